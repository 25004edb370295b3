// Every training goes through here, whoever starts it (CLI, GUI, REST): the module folder
// (args "output") is locked for the run, so that a second training with the same name is
// refused instead of writing into the same folder; a new folder must still be free once the
// lock is held; and a run that fails or is cancelled before leaving anything to resume from
// takes its empty folder away, so that nothing half-written is listed in the catalog.
#pragma once

#include "core/task/task_plugin.h"

namespace dw {

Result<TaskResult> runGuardedTraining(TaskPlugin &plugin, const QVariantMap &args, JobContext &context);

}  // namespace dw
