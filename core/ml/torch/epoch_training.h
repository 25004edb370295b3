#pragma once
// The one epoch-training skeleton every task's trainer plugs into: the loop over epochs,
// cancel, early stopping on a named validation metric (higher or lower is better), the
// best model kept and put back, a checkpoint after every epoch and a bitwise resume from it
// (network, optimiser, random generators, history, early stopping and the task's own
// state), and typed progress (JobContext::report) after every batch and epoch.
//
// A task gives its batches and losses through EpochTask: trainEpoch() runs one pass over the
// training data and reports each batch to the StepReporter it is handed; validate() scores
// the validation data. Everything else is here, once.
#include "core/jobs/job_context.h"
#include "core/jobs/training_progress.h"
#include "core/ml/early_stopping.h"
#include "core/ml/torch/model_snapshot.h"
#include "core/ml/training_history.h"
#include "core/util/result.h"

#include <torch/nn/module.h>
#include <torch/optim/optimizer.h>
#include <torch/types.h>

#include <QElapsedTimer>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <initializer_list>

namespace dw::ml {

// A batch's loss that became NaN or infinite, as every trainer says it (field "lr"): where,
// the rate to lower and what else to check (advice, e.g. "check the data for extreme values").
// batch counts from 1.
Error lossNotFinite(double value, int epoch, qint64 batch, double lr, const QString &advice);

// A trainer's stages (read the data, build the network, resume, train) in order, stopping at
// the first that fails.
template <typename Trainer>
Result<void> runStages(Trainer &trainer, std::initializer_list<Result<void> (Trainer::*)()> stages)
{
    for (auto stage : stages) {
        if (Result<void> ok = (trainer.*stage)(); !ok)
            return ok;
    }
    return success();
}

// What one pass over a part of the data found.
struct PassResult {
    QList<TrainingMetric> metrics;  // "train_loss", "train_accuracy" / "val_loss", "val_psnr", ...
    qint64 samples = 0;             // images, windows or patches seen
    qint64 skipped = 0;             // unreadable samples left out
    double seconds = 0.0;
    double lastLr = 0.0;     // a training pass: the rate of its last step
    bool cancelled = false;  // stopped early because the job was cancelled
};

// Handed to a training pass: cancellation and one report per batch (running loss, lr), from
// which it makes the Step event with throughput and ETA.
class StepReporter {
public:
    StepReporter(const JobContext &context, int epoch, int epochs, qint64 stepsPerEpoch, const QString &unit,
                 QElapsedTimer &runClock, qint64 &runSteps);

    bool cancelled() const { return m_context.isCancelled(); }
    // After batch `index` (from 0) with the epoch's mean training loss so far over `samples`.
    void step(qint64 index, double runningLoss, double lr, qint64 samples);
    int epoch() const { return m_epoch; }
    qint64 stepsPerEpoch() const { return m_steps; }

private:
    const JobContext &m_context;
    int m_epoch, m_epochs;
    qint64 m_steps;
    QString m_unit;
    QElapsedTimer &m_runClock;
    qint64 &m_runSteps;
    QElapsedTimer m_epochClock;
};

class EpochTask {
public:
    virtual ~EpochTask() = default;
    virtual torch::nn::Module &network() = 0;
    virtual torch::optim::Optimizer &optimizer() = 0;
    virtual qint64 stepsPerEpoch() const = 0;
    virtual Result<PassResult> trainEpoch(int epoch, StepReporter &steps) = 0;
    virtual Result<PassResult> validate(int epoch) = 0;
    // The task's part of the checkpoint: what a resume must match (see EpochTrainingOptions::
    // mustMatch) and what it restores in resumed().
    virtual QJsonObject checkpointMeta() const = 0;
    virtual Result<void> resumed(const QJsonObject &meta)
    {
        (void)meta;
        return success();
    }
    // After an epoch is scored, before its checkpoint (a plateau schedule lowers its rate
    // here); what it returns is said in the epoch's report ("lr lowered to 1e-4").
    virtual QString afterEpoch(int epoch, const PassResult &validation, bool improved)
    {
        (void)epoch, (void)validation, (void)improved;
        return {};
    }
    virtual NamedTensors snapshot() { return snapshotOf(network()); }
    virtual Result<void> restore(const NamedTensors &state)
    {
        restoreSnapshot(network(), state);
        return success();
    }
};

struct EpochTrainingOptions {
    int epochs = 1;
    int stopAfterEpoch = 0;  // 0: none; else stop (resumable) after that epoch
    int patience = 0;        // early stopping; 0: never
    QString monitored;       // the validation metric for early stopping and the best model
    bool higherIsBetter = false;
    QString unit = QStringLiteral("samples");
    QString checkpointPath;  // written after every epoch
    bool resume = false;     // continue from checkpointPath
    QStringList mustMatch;   // keys of checkpointMeta() a resume must find unchanged
    torch::Device device = torch::kCPU;
};

struct EpochTrainingOutcome {
    QString stopped;  // TrainingHistory::stopped*()
    int epochsRun = 0;
    int bestEpoch = 0;
    double bestValue = 0.0;  // of the monitored metric, in its own sign
    double trainSeconds = 0.0;
    qint64 trainSamples = 0;
    qint64 skipped = 0;
    double throughput() const { return trainSeconds > 0 ? double(trainSamples) / trainSeconds : 0.0; }
};

class EpochTraining {
public:
    EpochTraining(EpochTrainingOptions options, JobContext &context);

    // With options.resume: loads the checkpoint into the task's network and optimiser, puts
    // the random generators back and hands the task its metadata. Call before run().
    Result<void> resume(EpochTask &task);
    int startEpoch() const { return m_startEpoch; }
    const QJsonObject &resumedMeta() const { return m_resumedMeta; }

    Result<EpochTrainingOutcome> run(EpochTask &task);
    // Puts the best epoch's weights back (nothing when no epoch finished).
    Result<void> restoreBest(EpochTask &task);
    // A finished run into its module folder (made if need be): the network's weights as
    // weights.pt and the history, with why the run stopped, as history.json.
    Result<void> writeModuleFiles(EpochTask &task, const QString &directory, const QString &stopped);

    const TrainingHistory &history() const { return m_history; }
    TrainingHistory &history() { return m_history; }
    const EarlyStopping &stopping() const { return m_stopping; }
    double bestValue() const;  // of the monitored metric, in its own sign

private:
    QJsonObject checkpointMeta(const EpochTask &task) const;
    Result<void> saveCheckpoint(EpochTask &task, int epoch);

    EpochTrainingOptions m_options;
    JobContext &m_context;
    TrainingHistory m_history;
    EarlyStopping m_stopping;
    NamedTensors m_best;
    int m_startEpoch = 1;
    QJsonObject m_resumedMeta;
    EpochTrainingOutcome m_outcome;
};

}  // namespace dw::ml
