#include "core/task/guarded_training.h"

#include "core/catalog/manifest_io.h"
#include "core/catalog/module_lock.h"
#include "core/catalog/training_leftover.h"

#include <QDir>
#include <QFileInfo>

namespace dw {

Result<TaskResult> runGuardedTraining(TaskPlugin &plugin, const QVariantMap &args, JobContext &context)
{
    const QString folder = args.value(QStringLiteral("output")).toString();
    if (folder.isEmpty())
        return plugin.train(args, context);
    Result<std::unique_ptr<ModuleLock>> lock = ModuleLock::acquire(folder);
    if (!lock)
        return lock.error();
    const bool resume = args.value(QStringLiteral("resume")).toBool();
    bool existed = QFileInfo::exists(folder);
    if (!resume && existed) {
        // Checked again under the lock: another training may have finished into it meanwhile.
        if (!holdsNoTrainingYet(folder))
            return failure(
                QStringLiteral(
                    "a module '%1' already exists (%2): choose another name, or resume its interrupted training")
                    .arg(QFileInfo(folder).fileName(), folder),
                QStringLiteral("name"));
        // What a training killed before its first checkpoint left goes: it holds nothing.
        QDir(folder).removeRecursively();
        existed = false;
    }
    Result<TaskResult> result = plugin.train(args, context);
    const bool cancelled =
        result && taskResultToJson(*result).value(QStringLiteral("stopped")).toString() == QLatin1String("cancelled");
    if ((!result || cancelled) && !existed && QFileInfo::exists(folder) && holdsNoTrainingYet(folder))
        QDir(folder).removeRecursively();
    return result;
}

}  // namespace dw
