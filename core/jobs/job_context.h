#pragma once
// What a running job sees of the world: its cancellation flag, a way to report progress
// and log lines, the device it should use and a folder for its files. Every call is
// thread-safe and cheap; progress is throttled before it reaches the GUI thread.
#include "core/jobs/training_progress.h"

#include <QString>

#include <atomic>
#include <functional>

namespace dw {

class JobContext {
public:
    struct Callbacks {
        std::function<void(double fraction, const QString &message)> progress;
        std::function<void(const QString &line)> log;
        std::function<void(const TrainingProgress &event)> training;
    };

    JobContext() = default;  // a detached context: nothing reported, never cancelled
    JobContext(QString jobId, const std::atomic_bool *cancelFlag, Callbacks callbacks,
               QString device = QStringLiteral("cpu"), QString workDirectory = {});

    const QString &jobId() const { return m_jobId; }
    bool isCancelled() const { return m_cancel && m_cancel->load(std::memory_order_relaxed); }

    // fraction in [0, 1] (clamped; NaN keeps the last fraction and only updates the message);
    // message such as "epoch 3/10, batch 120/469". total <= 0: the total is not known yet.
    void setProgress(double fraction, const QString &message = {}) const;
    void setProgress(qint64 done, qint64 total, const QString &message = {}) const;
    void log(const QString &line) const;
    // A training run's typed progress: handed to the training callback, and also told the
    // plain way (a Step moves the bar with its describe() as message, an Epoch is logged),
    // so that front ends that only know progress and log lines still see it.
    void report(const TrainingProgress &event) const;

    // "cpu" or "cuda[:N]": the device the job was asked to run on.
    const QString &device() const { return m_device; }
    // A folder that belongs to this job (run record, checkpoints); may be empty.
    const QString &workDirectory() const { return m_workDirectory; }

private:
    QString m_jobId;
    const std::atomic_bool *m_cancel = nullptr;
    Callbacks m_callbacks;
    QString m_device = QStringLiteral("cpu");
    QString m_workDirectory;
};

}  // namespace dw
