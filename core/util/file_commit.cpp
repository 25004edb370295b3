#include "core/util/file_commit.h"

#include <QSaveFile>

namespace dw {

QString writeProblemText(const QString &errorString)
{
    if (errorString.contains(QLatin1String("No space left"), Qt::CaseInsensitive))
        return QStringLiteral("the disk is full: free some space on it (or choose another folder) and try again");
    if (errorString.contains(QLatin1String("File too large"), Qt::CaseInsensitive))
        return QStringLiteral("the file is larger than this system allows (a file-size limit, ulimit -f, or the file "
                              "system's own): raise the limit or choose another folder");
    if (errorString.contains(QLatin1String("quota"), Qt::CaseInsensitive))
        return QStringLiteral("your disk quota is used up: free some space and try again");
    if (errorString.contains(QLatin1String("Read-only file system"), Qt::CaseInsensitive))
        return QStringLiteral("the folder is on a read-only file system: choose another folder");
    if (errorString.contains(QLatin1String("Permission denied"), Qt::CaseInsensitive))
        return QStringLiteral("permission denied: check that the folder is writable");
    if (errorString.isEmpty() || errorString == QLatin1String("Unknown error"))
        return QStringLiteral("the write came up short: the disk is probably full; free some space and try again");
    return errorString;
}

namespace {

// QSaveFile::write() returns a short count, with no error, when the disk fills up part-way:
// write the rest until it fails for real, so that the file's error says why (ENOSPC, EFBIG).
bool writeAll(QSaveFile &file, const char *bytes, qint64 size)
{
    while (size > 0) {
        const qint64 written = file.write(bytes, size);
        if (written <= 0)
            return false;
        bytes += written;
        size -= written;
    }
    return true;
}

}  // namespace

std::size_t SaveFileSink::write(const void *bytes, std::size_t size)
{
    if (!m_failed && !writeAll(m_file, static_cast<const char *>(bytes), static_cast<qint64>(size)))
        m_failed = true;
    return size;
}

Result<void> commitFile(QSaveFile &file, const QString &what, const QString &field)
{
    const QString &at = field;
    // flush() before commit(): QSaveFile::commit() does not see a failed flush of its buffer.
    if (file.error() != QFileDevice::NoError || !file.flush()) {
        const QString reason = writeProblemText(file.errorString());
        file.cancelWriting();
        file.commit();  // removes the temporary file; the target is untouched
        return failure(QStringLiteral("cannot write %1 %2: %3; what was there before is unchanged")
                           .arg(what, file.fileName(), reason),
                       at);
    }
    if (!file.commit())
        return failure(QStringLiteral("cannot write %1 %2: %3; what was there before is unchanged")
                           .arg(what, file.fileName(), writeProblemText(file.errorString())),
                       at);
    return success();
}

Result<void> writeFileAtomically(const QString &path, const QByteArray &bytes, const QString &what,
                                 const QString &field)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return failure(QStringLiteral("cannot write %1 %2: %3").arg(what, path, writeProblemText(file.errorString())),
                       field);
    if (!writeAll(file, bytes.constData(), bytes.size())) {
        const QString reason = writeProblemText(file.errorString());
        file.cancelWriting();
        file.commit();
        return failure(
            QStringLiteral("cannot write %1 %2: %3; what was there before is unchanged").arg(what, path, reason),
            field);
    }
    return commitFile(file, what, field);
}

}  // namespace dw
