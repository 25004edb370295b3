#pragma once
// How long the training on the Parameters page would take, measured: a short while after the
// last change of the form or the dataset the task plugin's TrainingEstimator (core/task/
// training_estimate.h) times a few batches of the chosen network on the workbench's device as
// a job, and the label says "Estimated time: about 4 min on this CPU (measured: ...)". A
// newer change cancels the running probe and its result is dropped; while a training runs no
// probe starts (the label says so, and measures again when the training is over). A change of
// what does not change a batch's time (the epochs, the patience, the name) reuses the last
// measurement of the same settings.
#include "core/jobs/job.h"
#include "core/task/training_estimate.h"
#include "core/util/result.h"

#include <QLabel>
#include <QVariantMap>

#include <functional>
#include <optional>

class QTimer;

namespace dw {

class JobManager;

class TrainingEstimateLabel : public QLabel {
    Q_OBJECT
public:
    // What to measure: the plugin, its validated train arguments, the device and queue.
    struct Probe {
        TrainingEstimator *estimator = nullptr;
        QVariantMap args;
        QString device = QStringLiteral("cpu");
        JobQueue queue = JobQueue::Cpu;
    };
    // Asked when the delay is over; an error is shown as the reason there is no estimate.
    using ProbeSource = std::function<Result<Probe>()>;

    TrainingEstimateLabel(JobManager &jobs, QWidget *parent = nullptr);

    void setProbeSource(ProbeSource source) { m_source = std::move(source); }
    void setDelay(int milliseconds);  // after the last change; 800 ms by default
    // The form or the dataset changed: the shown estimate is stale, a new one is measured
    // after the delay (the running probe is cancelled).
    void schedule();
    // The same, measuring again even for settings measured before (the dataset was scanned anew).
    void remeasure();
    // No probe for now (a training starts): the running one is cancelled, the text says why.
    void stop(const QString &why);

    bool isMeasuring() const { return !m_job.isEmpty(); }
    // Waiting for the delay to pass, or measuring.
    bool isPending() const;
    // The last estimate shown, none while measuring or after an error.
    const std::optional<TrainingEstimate> &estimate() const { return m_estimate; }

    // "about 40 s", "about 4 min", "about 2.5 h", "about 3 days".
    static QString durationText(double seconds);
    // "Estimated time: about 4 min on this CPU (measured: 3 batches of smallcnn at 32 px, ...)".
    static QString describe(const TrainingEstimate &estimate);

Q_SIGNALS:
    void estimateShown();  // an estimate or the reason there is none is shown

private:
    void start();
    void finished(const QString &jobId, const JobInfo &job);
    bool trainingRuns() const;
    void showReason(const QString &reason);
    void show(const TrainingEstimate &estimate);

    JobManager &m_jobs;
    ProbeSource m_source;
    QTimer *m_delay = nullptr;
    QString m_job;  // the running probe
    std::optional<TrainingEstimate> m_estimate;
    // The last measurement and what it was of (the arguments that change a batch's time, and the device).
    std::optional<TrainingEstimate> m_measured;
    QVariantMap m_measuredKey, m_probeKey;
    bool m_waitingForTraining = false;
};

}  // namespace dw
