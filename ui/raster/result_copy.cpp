#include "ui/raster/result_copy.h"

#include "core/jobs/job_context.h"
#include "core/util/file_commit.h"

#include <QFile>
#include <QFileInfo>
#include <QObject>
#include <QSaveFile>

namespace dw {

Result<void> copyFileSafely(const QString &source, const QString &destination, JobContext &job)
{
    QFile in(source);
    if (!in.open(QIODevice::ReadOnly))
        return failure(QObject::tr("cannot read %1: %2; was it moved or deleted?").arg(source, in.errorString()));
    QSaveFile out(destination);
    if (!out.open(QIODevice::WriteOnly))
        return failure(
            QObject::tr("cannot write %1: %2; choose a writable folder").arg(destination, out.errorString()));
    const qint64 total = in.size();
    constexpr qint64 kChunk = 4 * 1024 * 1024;
    qint64 done = 0;
    while (!in.atEnd()) {
        if (job.isCancelled()) {
            out.cancelWriting();
            return failure(QObject::tr("cancelled; %1 was left as it was").arg(destination));
        }
        const QByteArray chunk = in.read(kChunk);
        if (chunk.isEmpty() && in.error() != QFile::NoError)
            return failure(QObject::tr("reading %1 failed: %2").arg(source, in.errorString()));
        if (out.write(chunk) != chunk.size())
            return failure(
                QObject::tr("writing %1 failed: %2 (is the disk full?)").arg(destination, out.errorString()));
        done += chunk.size();
        job.setProgress(done, total, QObject::tr("Copying to %1").arg(QFileInfo(destination).fileName()));
    }
    return commitFile(out, QObject::tr("the copy"));
}

}  // namespace dw
