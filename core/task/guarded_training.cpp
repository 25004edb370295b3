#include "core/task/guarded_training.h"

#include "core/catalog/manifest_io.h"
#include "core/catalog/module_lock.h"

#include <QDir>
#include <QFileInfo>

#include <algorithm>

namespace dw {

namespace {

// Nothing worth keeping: no manifest, no checkpoint, no other file anywhere inside.
bool holdsNothing(const QString &moduleDir)
{
    if (QFileInfo::exists(QDir(moduleDir).filePath(manifestFileName())) || !interruptedCheckpoint(moduleDir).isEmpty())
        return false;
    QDir dir(moduleDir);
    const QStringList files = dir.entryList(QDir::Files | QDir::Hidden | QDir::System);
    if (!files.isEmpty())
        return false;
    const QStringList folders = dir.entryList(QDir::Dirs | QDir::Hidden | QDir::NoDotAndDotDot);
    return std::all_of(folders.begin(), folders.end(),
                       [&dir](const QString &f) { return holdsNothing(dir.filePath(f)); });
}

}  // namespace

Result<TaskResult> runGuardedTraining(TaskPlugin &plugin, const QVariantMap &args, JobContext &context)
{
    const QString folder = args.value(QStringLiteral("output")).toString();
    if (folder.isEmpty())
        return plugin.train(args, context);
    Result<std::unique_ptr<ModuleLock>> lock = ModuleLock::acquire(folder);
    if (!lock)
        return lock.error();
    const bool resume = args.value(QStringLiteral("resume")).toBool();
    const bool existed = QFileInfo::exists(folder);
    // Checked again under the lock: another training may have finished into it meanwhile.
    if (!resume && existed && !holdsNothing(folder))
        return failure(
            QStringLiteral("a module '%1' already exists (%2): choose another name, or resume its interrupted training")
                .arg(QFileInfo(folder).fileName(), folder),
            QStringLiteral("name"));
    Result<TaskResult> result = plugin.train(args, context);
    const bool cancelled =
        result && taskResultToJson(*result).value(QStringLiteral("stopped")).toString() == QLatin1String("cancelled");
    if ((!result || cancelled) && !existed && QFileInfo::exists(folder) && holdsNothing(folder))
        QDir(folder).removeRecursively();
    return result;
}

}  // namespace dw
