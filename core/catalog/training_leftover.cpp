#include "core/catalog/training_leftover.h"

#include "core/catalog/manifest_io.h"

#include <QDir>
#include <QFileInfo>

#include <algorithm>

namespace dw {

namespace {

// Only empty folders below, and files only where allowPartial (the checkpoints folder).
bool onlyEmptyFolders(const QString &folder, bool allowPartial)
{
    const QDir dir(folder);
    if (!allowPartial && !dir.entryList(QDir::Files | QDir::Hidden | QDir::System).isEmpty())
        return false;
    const QStringList folders = dir.entryList(QDir::Dirs | QDir::Hidden | QDir::NoDotAndDotDot);
    return std::all_of(folders.begin(), folders.end(),
                       [&dir](const QString &f) { return onlyEmptyFolders(dir.filePath(f), false); });
}

}  // namespace

bool holdsNoTrainingYet(const QString &moduleDir)
{
    const QDir dir(moduleDir);
    if (QFileInfo::exists(dir.filePath(manifestFileName())) || !interruptedCheckpoint(moduleDir).isEmpty())
        return false;
    if (!dir.entryList(QDir::Files | QDir::Hidden | QDir::System).isEmpty())
        return false;
    const QStringList folders = dir.entryList(QDir::Dirs | QDir::Hidden | QDir::NoDotAndDotDot);
    return std::all_of(folders.begin(), folders.end(), [&dir](const QString &f) {
        return onlyEmptyFolders(dir.filePath(f), f == QLatin1String("checkpoints"));
    });
}

}  // namespace dw
