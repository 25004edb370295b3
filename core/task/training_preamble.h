#pragma once
// The parts of every task plugin's train() that are the same for all tasks: the module folder
// the run writes (required, made absolute) and the common fields of the JSON result that the
// CLI, the GUI and REST show (module, id, task, architecture, epochs_run, best_epoch,
// stopped, seconds), to which each task adds its own.
#include "core/util/result.h"

#include <QJsonObject>
#include <QString>

namespace dw {

// Makes the module folder absolute, or an error on "output" when none was given.
Result<void> resolveModuleFolder(QString &moduleDir);

struct TrainedSummary {
    QString moduleDir;  // as written
    QString moduleId;   // empty: the folder's name
    QString task;
    QString architecture;
    int epochsRun = 0;
    int bestEpoch = 0;
    QString stopped;
    double seconds = 0.0;
};
QJsonObject trainedResultJson(const TrainedSummary &summary);

}  // namespace dw
