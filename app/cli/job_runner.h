#pragma once
// Runs one task call (train, evaluate, predict) for the CLI: the work on a worker thread,
// progress and log lines on stderr through a ProgressBar, and Ctrl-C turned into the job's
// cancel flag so that training stops within a batch and keeps its checkpoint. A second
// Ctrl-C ends the process at once.
#include "core/jobs/job_context.h"
#include "core/task/task_result.h"
#include "core/util/result.h"

#include <QString>

#include <functional>

namespace dw::cli {

using TaskFunction = std::function<Result<TaskResult>(JobContext &context)>;

class JobRunner {
public:
    // device: handed to the JobContext ("cpu", "cuda:0").
    explicit JobRunner(QString device) : m_device(std::move(device)) {}

    // Blocks until the call returns. An exception escaping the call becomes an Error.
    Result<TaskResult> run(const QString &jobId, const TaskFunction &call);
    // True when the user pressed Ctrl-C during the last run().
    bool wasInterrupted() const { return m_interrupted; }
    // What the first Ctrl-C prints (the default speaks of trainings and their checkpoint).
    void setCancelNote(QString note) { m_cancelNote = std::move(note); }
    // A distributed run's other ranks: no progress bar, log lines prefixed ("rank 1: ").
    void setFollower(QString logPrefix) { m_logPrefix = std::move(logPrefix); }

private:
    QString m_device;
    bool m_interrupted = false;
    QString m_logPrefix;  // set: a follower rank
    QString m_cancelNote = QStringLiteral("the job stops after the current batch and keeps its checkpoint");
};

}  // namespace dw::cli
