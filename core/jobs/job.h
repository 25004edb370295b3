#pragma once
// A job's public state, as copied to the GUI thread: plain values, safe to keep.
#include "core/jobs/training_progress.h"

#include <QDateTime>
#include <QJsonObject>
#include <QMetaType>
#include <QString>
#include <QStringList>
#include <QVariant>

#include <optional>

namespace dw {

enum class JobState { Queued, Running, Done, Failed, Cancelled };
// Gpu: one job at a time, in order (trainings, and the GUI's predictions); Cpu: a thread pool;
// Predict: one job at a time beside the Gpu queue, so that a served prediction is answered
// while a training runs (the two share the device: see docs/rest.md).
enum class JobQueue { Gpu, Cpu, Predict };

QString jobStateName(JobState state);  // "queued", "running", "done", "failed", "cancelled"
bool isFinished(JobState state);       // done, failed or cancelled
std::optional<JobState> jobStateFromName(const QString &name);
QString jobQueueName(JobQueue queue);  // "gpu", "cpu", "predict"

struct JobInfo {
    QString id;      // unique, sortable: "20261122-143005-3f2a"
    QString title;   // "Train plant-classifier"
    QString kind;    // free text: "train", "predict", "import", ...
    QString device;  // where it ran: JobSpec::device ("cpu", "cuda:0"); empty in old records
    JobQueue queue = JobQueue::Cpu;
    JobState state = JobState::Queued;
    double progress = 0.0;   // [0, 1]
    QString message;         // latest progress message
    qint64 etaSeconds = -1;  // -1: unknown
    QStringList log;         // newest last, capped
    QString error;           // why it failed
    QVariant result;         // what the job returned (often a dw::TaskResult), when done
    // A training's typed progress (JobContext::report): every epoch so far, in order (a
    // resumed epoch replaces its earlier report), and the latest step.
    QList<TrainingProgress> trainingEpochs;
    std::optional<TrainingProgress> trainingStep;
    QDateTime created;
    QDateTime started;
    QDateTime finished;
    QJsonObject toJson() const;        // the run record (without result); "training" when there is
                                       // typed progress: {"epochs": [...], "step": {...}}
    QJsonObject trainingJson() const;  // that "training" object; empty without typed progress
    // Reads a run record back (a "result" in it becomes a QJsonValue variant).
    static JobInfo fromJson(const QJsonObject &json);
};

}  // namespace dw

Q_DECLARE_METATYPE(dw::JobInfo)
