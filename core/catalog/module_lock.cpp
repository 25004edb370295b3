#include "core/catalog/module_lock.h"

#include "core/util/leftovers.h"

#include <QDir>
#include <QFileInfo>
#include <QLockFile>

namespace dw {

QString ModuleLock::lockPath(const QString &moduleDir)
{
    const QFileInfo folder(QDir::cleanPath(QFileInfo(moduleDir).absoluteFilePath()));
    return folder.dir().filePath(QLatin1Char('.') + folder.fileName() + QStringLiteral(".lock"));
}

ModuleLock::ModuleLock(std::unique_ptr<QLockFile> file) : m_file(std::move(file))
{}

ModuleLock::~ModuleLock()
{
    m_file->unlock();
}

Result<std::unique_ptr<ModuleLock>> ModuleLock::acquire(const QString &moduleDir)
{
    const QString path = lockPath(moduleDir);
    if (!QDir().mkpath(QFileInfo(path).absolutePath()))
        return failure(QStringLiteral("cannot create the catalog folder %1: check its permissions")
                           .arg(QFileInfo(path).absolutePath()));
    auto file = std::make_unique<QLockFile>(path);
    file->setStaleLockTime(0);  // only a dead holder makes a lock stale: trainings run for hours
    if (file->tryLock(0))
        return std::unique_ptr<ModuleLock>(new ModuleLock(std::move(file)));
    const QString name = QFileInfo(moduleDir).fileName();
    if (file->error() == QLockFile::LockFailedError) {
        qint64 pid = 0;
        QString host, program;
        file->getLockInfo(&pid, &host, &program);
        return failure(
            QStringLiteral("the module '%1' is being written by another process (%2, PID %3): wait until it has "
                           "finished, or choose another name")
                .arg(name,
                     QFileInfo(program).fileName().isEmpty() ? QStringLiteral("deepwb") : QFileInfo(program).fileName())
                .arg(pid),
            QStringLiteral("name"));
    }
    return failure(
        QStringLiteral("cannot lock the module folder %1 for writing (%2): check that the catalog folder is writable")
            .arg(moduleDir, path),
        QStringLiteral("name"));
}

std::optional<qint64> ModuleLock::holder(const QString &moduleDir)
{
    const QString path = lockPath(moduleDir);
    if (!QFileInfo::exists(path))
        return std::nullopt;
    QLockFile file(path);
    qint64 pid = 0;
    QString host, program;
    if (!file.getLockInfo(&pid, &host, &program) || pid <= 0)
        return std::nullopt;
    return processIsAlive(pid) ? std::optional<qint64>(pid) : std::nullopt;
}

}  // namespace dw
