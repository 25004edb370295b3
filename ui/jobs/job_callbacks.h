#pragma once
// Hooking a continuation onto one job: the callback runs once, on the GUI thread, with a
// copy of the finished job (its result, or its error), and never after `context` is gone.
#include "core/jobs/job.h"

#include <QObject>
#include <QString>

#include <functional>

namespace dw {

class JobManager;

void whenJobFinished(JobManager &jobs, const QString &jobId, QObject *context,
                     std::function<void(const JobInfo &job)> callback);

}  // namespace dw
