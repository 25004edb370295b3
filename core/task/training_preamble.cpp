#include "core/task/training_preamble.h"

#include <QDir>

namespace dw {

using namespace Qt::StringLiterals;

Result<void> resolveModuleFolder(QString &moduleDir)
{
    if (moduleDir.isEmpty())
        return failure(
            u"no module folder to write: give 'output' (the CLI and the workbench derive it from the name)"_s,
            u"output"_s);
    moduleDir = QDir(moduleDir).absolutePath();
    return success();
}

QJsonObject trainedResultJson(const TrainedSummary &s)
{
    return {{u"module"_s, s.moduleDir},
            {u"id"_s, s.moduleId.isEmpty() ? QDir(s.moduleDir).dirName() : s.moduleId},
            {u"task"_s, s.task},
            {u"architecture"_s, s.architecture},
            {u"epochs_run"_s, s.epochsRun},
            {u"best_epoch"_s, s.bestEpoch},
            {u"stopped"_s, s.stopped},
            {u"seconds"_s, s.seconds}};
}

}  // namespace dw
