#include "core/util/leftovers.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <cerrno>
#include <csignal>

namespace dw {

bool processIsAlive(qint64 pid)
{
    if (pid <= 0)
        return false;
    // Signal 0 only asks whether the process is there; EPERM: there, but another user's.
    return ::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM;
}

QString pidTag()
{
    return QString::number(QCoreApplication::applicationPid()) + QLatin1Char('-');
}

int sweepLeftovers(const QString &folder, const QString &prefix)
{
    int removed = 0;
    QDir dir(folder);
    const QFileInfoList entries =
        dir.entryInfoList({prefix + QLatin1Char('*')}, QDir::Files | QDir::Dirs | QDir::Hidden | QDir::NoDotAndDotDot | QDir::System);
    for (const QFileInfo &entry : entries) {
        const QString rest = entry.fileName().mid(prefix.size());
        bool isNumber = false;
        const qint64 pid = rest.section(QLatin1Char('-'), 0, 0).toLongLong(&isNumber);
        if (!isNumber || !rest.contains(QLatin1Char('-')) || processIsAlive(pid))
            continue;
        const bool gone = entry.isDir() && !entry.isSymLink() ? QDir(entry.absoluteFilePath()).removeRecursively()
                                                               : QFile::remove(entry.absoluteFilePath());
        if (gone)
            ++removed;
    }
    return removed;
}

}  // namespace dw
