// One writer per module folder. A training, re-training or import holds a lock file beside
// the folder (CATALOG/.NAME.lock, QLockFile: the PID, host and program inside) while it
// writes; a second writer is refused with a message naming the first. A lock left by a
// process that is gone (kill -9, a crash) is stale and taken over.
#pragma once

#include "core/util/result.h"

#include <QString>

#include <memory>
#include <optional>

class QLockFile;

namespace dw {

class ModuleLock {
public:
    // Takes the lock of moduleDir (the folder need not exist yet). `activity` says what the
    // caller does ("a training"), for the message a second writer gets.
    static Result<std::unique_ptr<ModuleLock>> acquire(const QString &moduleDir);
    ~ModuleLock();
    ModuleLock(const ModuleLock &) = delete;
    ModuleLock &operator=(const ModuleLock &) = delete;

    // The PID of a live process that holds moduleDir's lock, if any (read only: the catalog
    // calls this while scanning).
    static std::optional<qint64> holder(const QString &moduleDir);
    static QString lockPath(const QString &moduleDir);

private:
    explicit ModuleLock(std::unique_ptr<QLockFile> file);
    std::unique_ptr<QLockFile> m_file;
};

}  // namespace dw
