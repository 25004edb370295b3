#pragma once
// What every task's trainer holds beside its own data and network — the request and job it
// runs for, the device, the optimiser, the epoch-training skeleton and the outcome — and the
// frame of its run(): check the request, resolve the device, run the stages, fill the common
// outcome fields, finish (write the module) unless the run was cancelled, time it all.
//
// A trainer derives from TaskTrainer<Request, Outcome> (itself an ml::EpochTask), gives its
// stages to runTraining() (its own, and resumeFromCheckpoint() and runEpochs()) and implements
// finish() and completeOutcome(). In a distributed run (DistributedGroup::active()) every rank
// runs the stages and the epochs; rank 0 alone finishes.
// Request has moduleDir, batchSize, epochs, stopAfterEpoch, patience, resume and precision; Outcome has moduleDir, bestEpoch, stopped and seconds.
#include "core/jobs/job_context.h"
#include "core/ml/distributed_group.h"
#include "core/ml/torch/epoch_training.h"
#include "core/ml/torch/grouped_optimizer.h"
#include "core/ml/torch/training_device.h"
#include "core/ml/training_history.h"
#include "core/util/result.h"

#include <QDir>
#include <QElapsedTimer>

#include <initializer_list>
#include <memory>
#include <optional>

namespace dw::ml {

template <typename Request, typename Outcome>
class TaskTrainer : public EpochTask {
public:
    TaskTrainer(const Request &request, JobContext &context) : m_request(request), m_context(context) {}

    torch::optim::Optimizer &optimizer() override { return m_optimizer->optimizer(); }

protected:
    // The batches an epoch over `samples` takes at the request's batch size.
    qint64 batchesOf(qint64 samples) const { return (samples + m_request.batchSize - 1) / m_request.batchSize; }

    // run()'s frame. `checked` is the task's check of the request; `rule` what the request's
    // precision "auto" means for the task's networks (bf16 on CUDA, on the CPU).
    template <typename Trainer>
    Result<Outcome> runTraining(Result<void> checked, TrainingDevice::PrecisionRule rule,
                                std::initializer_list<Result<void> (Trainer::*)()> stages)
    {
        QElapsedTimer clock;
        clock.start();
        if (!checked)
            return checked.error();
        if (Result<void> placed = chooseDevice(rule); !placed)
            return placed.error();
        if (Result<void> ok = runStages(static_cast<Trainer &>(*this), stages); !ok)
            return ok.error();
        m_outcome.moduleDir = QDir(m_request.moduleDir).absolutePath();
        m_outcome.bestEpoch = m_training->stopping().bestEpoch();
        completeOutcome();
        // In a distributed run only rank 0 evaluates and writes the module.
        const DistributedGroup *group = DistributedGroup::active();
        if (m_outcome.stopped != TrainingHistory::stoppedCancelled() && (!group || group->isLeader())) {
            if (Result<void> ok = finish(); !ok)
                return ok.error();
        }
        m_outcome.seconds = static_cast<double>(clock.nsecsElapsed()) / 1e9;
        return m_outcome;
    }

    // The job's device in the request's precision (m_device), said in the job log.
    Result<void> chooseDevice(TrainingDevice::PrecisionRule rule)
    {
        Result<TrainingDevice> device = TrainingDevice::forTraining(m_context.device(), m_request.precision, rule);
        if (!device)
            return device.error();
        m_device = device.value();
        m_context.log(m_device->describePrecision(m_request.precision, rule));
        return success();
    }

    // The network on the run's device, and its optimiser as the request says (optimizer,
    // learningRate, weightDecay) over the parameters that learn.
    Result<void> placeAndOptimise(torch::nn::Module &network)
    {
        m_device->prepare(network);
        Result<std::unique_ptr<GroupedOptimizer>> optimizer = GroupedOptimizer::forNetwork(
            network.parameters(), m_request.optimizer, m_request.learningRate, m_request.weightDecay);
        if (!optimizer)
            return optimizer.error();
        m_optimizer = std::move(optimizer).value();
        return success();
    }

    // The skeleton for this request (its epochs, stop-after epoch, patience and resume) on the
    // run's device; `task` says what is monitored, the unit, the checkpoint and what a resume
    // must find unchanged.
    void createTraining(EpochTrainingOptions task)
    {
        task.epochs = m_request.epochs;
        task.stopAfterEpoch = m_request.stopAfterEpoch;
        task.patience = m_request.patience;
        task.resume = m_request.resume;
        task.device = m_device->device();
        m_training.emplace(task, m_context);
    }

    // After restoreBest(): weights.pt and history.json into the module folder; its absolute path.
    Result<QString> writeTrainedFiles()
    {
        const QString directory = QDir(m_request.moduleDir).absolutePath();
        if (Result<void> written = m_training->writeModuleFiles(*this, directory, m_outcome.stopped); !written)
            return written.error();
        return directory;
    }

    // Stages every task shares: resume from the last checkpoint (when the request asks), and
    // run the epochs (m_epochs holds what they did: throughput, skipped samples).
    Result<void> resumeFromCheckpoint() { return m_training->resume(*this); }
    Result<void> runEpochs()
    {
        Result<EpochTrainingOutcome> trained = m_training->run(*this);
        if (!trained)
            return trained.error();
        m_epochs = trained.value();
        m_outcome.stopped = m_epochs.stopped;
        m_outcome.epochsRun = m_epochs.epochsRun;
        return success();
    }

    // The task's own outcome fields, once the epochs have run (best value, baselines, ...).
    virtual void completeOutcome() = 0;
    // After a run that was not cancelled: restore the best weights, evaluate, write the module.
    virtual Result<void> finish() = 0;

    const Request &m_request;
    JobContext &m_context;
    std::optional<TrainingDevice> m_device;
    std::unique_ptr<GroupedOptimizer> m_optimizer;
    std::optional<EpochTraining> m_training;
    EpochTrainingOutcome m_epochs;
    Outcome m_outcome;
};

}  // namespace dw::ml
