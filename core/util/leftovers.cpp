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

namespace {

// Removes the entries of folder that match nameFilter and whose PID (the number that follows
// the last `marker` in the name, ended by '-') is of a process that is gone.
int sweep(const QString &folder, const QString &nameFilter, const QString &marker)
{
    int removed = 0;
    const QFileInfoList entries = QDir(folder).entryInfoList({nameFilter}, QDir::Files | QDir::Dirs | QDir::Hidden |
                                                                               QDir::NoDotAndDotDot | QDir::System);
    for (const QFileInfo &entry : entries) {
        const qsizetype at = entry.fileName().lastIndexOf(marker);
        if (at < 0)
            continue;
        const QString rest = entry.fileName().mid(at + marker.size());
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

}  // namespace

int sweepLeftovers(const QString &folder, const QString &prefix)
{
    return sweep(folder, prefix + QLatin1Char('*'), prefix);
}

int sweepHiddenLeftovers(const QString &folder, const QString &marker)
{
    return sweep(folder, QStringLiteral(".*") + marker + QLatin1Char('*'), marker);
}

}  // namespace dw
