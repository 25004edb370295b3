#include "core/ml/torch/epoch_training.h"

#include "core/ml/distributed_group.h"
#include "core/ml/epoch_stop.h"
#include "core/ml/torch/epoch_checkpoints.h"
#include "core/ml/torch/module_weights.h"

#include <QDir>

#include <cmath>

namespace dw::ml {

Error lossNotFinite(double value, int epoch, qint64 batch, double lr, const QString &advice)
{
    return Error::at(QStringLiteral("lr"),
                     QStringLiteral("the loss became %1 at epoch %2 batch %3: lower the learning rate (now "
                                    "%4; try %5) or %6")
                         .arg(std::isnan(value) ? QStringLiteral("NaN") : QStringLiteral("infinite"))
                         .arg(epoch)
                         .arg(batch)
                         .arg(lr, 0, 'g', 3)
                         .arg(lr / 10.0, 0, 'g', 3)
                         .arg(advice));
}

namespace {

// A pass's figures over all ranks of a distributed run: samples and skipped summed, each metric
// the sample-weighted mean of the ranks' (so every rank reports, and early-stops on, the same).
Result<void> combineRanks(DistributedGroup &group, PassResult &pass)
{
    std::vector<double> values{double(pass.samples), double(pass.skipped), pass.cancelled ? 1.0 : 0.0};
    const double weight = double(std::max<qint64>(1, pass.samples));
    for (const TrainingMetric &m : pass.metrics)
        values.push_back(m.value * weight);
    Result<std::vector<double>> sums = group.sum(values);
    if (!sums)
        return sums.error();
    const std::vector<double> &total = *sums;
    if (total.size() != values.size())
        return failure(QStringLiteral("the ranks reported different metrics: every rank must run the same command"),
                       QStringLiteral("distributed"));
    pass.samples = qint64(total[0]);
    pass.skipped = qint64(total[1]);
    pass.cancelled = pass.cancelled || total[2] > 0;
    const double weights = std::max(1.0, total[0]);
    for (qsizetype i = 0; i < pass.metrics.size(); ++i)
        pass.metrics[i].value = total[std::size_t(3 + i)] / weights;
    return success();
}

}  // namespace

StepReporter::StepReporter(const JobContext &context, int epoch, int epochs, qint64 stepsPerEpoch, const QString &unit,
                           QElapsedTimer &runClock, qint64 &runSteps)
    : m_context(context), m_epoch(epoch), m_epochs(epochs), m_steps(stepsPerEpoch), m_unit(unit), m_runClock(runClock),
      m_runSteps(runSteps)
{
    m_epochClock.start();
    if (!m_runClock.isValid())
        m_runClock.start();
}

void StepReporter::step(qint64 index, double runningLoss, double lr, qint64 samples)
{
    ++m_runSteps;
    TrainingProgress p;
    p.kind = TrainingProgress::Kind::Step;
    p.epoch = m_epoch;
    p.epochs = m_epochs;
    p.step = index + 1;
    p.steps = m_steps;
    p.metrics.append({QStringLiteral("train_loss"), runningLoss, false});
    p.learningRate = lr;
    p.unit = m_unit;
    const double epochSeconds = double(m_epochClock.nsecsElapsed()) / 1e9;
    p.throughput = epochSeconds > 0 ? double(samples) / epochSeconds : 0.0;
    // The rate of this run's steps so far, over the steps left in the whole plan.
    const qint64 left = qint64(m_epochs - m_epoch) * m_steps + (m_steps - p.step);
    p.etaSeconds = double(m_runClock.elapsed()) / 1000.0 / double(m_runSteps) * double(std::max<qint64>(0, left));
    m_context.report(p);
}

EpochTraining::EpochTraining(EpochTrainingOptions options, JobContext &context)
    : m_options(std::move(options)), m_context(context), m_stopping(m_options.patience)
{}

double EpochTraining::bestValue() const
{
    return m_options.higherIsBetter ? m_stopping.bestValue() : -m_stopping.bestValue();
}

QJsonObject EpochTraining::checkpointMeta(const EpochTask &task) const
{
    QJsonObject meta = task.checkpointMeta();
    meta.insert(QStringLiteral("history"), m_history.toJson());
    meta.insert(QStringLiteral("early_stopping"), m_stopping.toJson());
    return meta;
}

Result<void> EpochTraining::resume(EpochTask &task)
{
    if (!m_options.resume)
        return success();
    const QString &path = m_options.checkpointPath;
    const QJsonObject current = checkpointMeta(task);
    Result<ResumedTraining> resumed = resumeTraining(path, current, m_options.mustMatch, task.network(),
                                                     task.optimizer(), m_options.device, m_options.patience);
    if (!resumed)
        return resumed.error();
    m_history = std::move(resumed->history);
    m_stopping = resumed->stopping;
    m_best = std::move(resumed->best);
    m_resumedMeta = resumed->meta;
    m_startEpoch = resumed->epoch + 1;
    m_outcome.epochsRun = resumed->epoch;
    if (Result<void> ok = task.resumed(m_resumedMeta); !ok)
        return ok;
    m_context.log(QStringLiteral("resuming after epoch %1 from %2").arg(resumed->epoch).arg(path));
    return success();
}

Result<void> EpochTraining::saveCheckpoint(EpochTask &task, int epoch)
{
    return saveEpochCheckpoint(m_options.checkpointPath, epoch, checkpointMeta(task), m_best, task.network(),
                               task.optimizer());
}

Result<EpochTrainingOutcome> EpochTraining::run(EpochTask &task)
{
    QElapsedTimer runClock;
    qint64 runSteps = 0;
    m_outcome.stopped = TrainingHistory::stoppedCompleted();
    const auto cancelledIn = [&](int epoch) {
        m_outcome.stopped = TrainingHistory::stoppedCancelled();
        m_context.log(QStringLiteral("cancelled during epoch %1; the checkpoint of epoch %2 is kept for resuming")
                          .arg(epoch)
                          .arg(epoch - 1));
        return m_outcome;
    };
    DistributedGroup *group = DistributedGroup::active();
    if (group) {
        // Every rank starts from rank 0's network (the same seed made it already; a resume
        // read the same checkpoint): nothing may differ before the first step.
        if (Result<void> sent = group->broadcastState(task.network()); !sent)
            return sent.error();
        m_context.log(QStringLiteral("%1: every rank trains on 1/%2 of each epoch and the gradients are averaged, so "
                                     "a step sees %2 × the batch size; the learning rate applies to that global "
                                     "batch as given")
                          .arg(group->launch().describe())
                          .arg(group->worldSize()));
    }
    for (int epoch = m_startEpoch; epoch <= m_options.epochs; ++epoch) {
        QElapsedTimer timer;
        timer.start();
        StepReporter steps(m_context, epoch, m_options.epochs, task.stepsPerEpoch(), m_options.unit, runClock,
                           runSteps);
        Result<PassResult> trained = task.trainEpoch(epoch, steps);
        if (!trained)
            return trained.error();
        if (trained->cancelled)
            return cancelledIn(epoch);
        // Batch-norm statistics are rank 0's on every rank before scoring.
        if (group) {
            if (Result<void> ok = group->broadcastBuffers(task.network()); !ok)
                return ok.error();
            if (Result<void> ok = combineRanks(*group, *trained); !ok)
                return ok.error();
        }
        Result<PassResult> validated = task.validate(epoch);
        if (!validated)
            return validated.error();
        if (group) {
            if (Result<void> ok = combineRanks(*group, *validated); !ok)
                return ok.error();
        }
        if (validated->cancelled)
            return cancelledIn(epoch);
        m_outcome.trainSeconds += trained->seconds;
        m_outcome.trainSamples += trained->samples;
        m_outcome.skipped += trained->skipped + validated->skipped;

        TrainingProgress report;
        report.kind = TrainingProgress::Kind::Epoch;
        report.epoch = epoch;
        report.epochs = m_options.epochs;
        report.metrics = trained->metrics + validated->metrics;
        report.learningRate = trained->lastLr;
        report.unit = m_options.unit;
        report.throughput = trained->seconds > 0 ? double(trained->samples) / trained->seconds : 0.0;
        report.monitored = m_options.monitored;
        const std::optional<double> monitored = report.metric(m_options.monitored);
        if (!monitored)
            return failure(
                QStringLiteral("the trainer did not report %1 after epoch %2").arg(m_options.monitored).arg(epoch));
        if (!std::isfinite(*monitored))
            return failure(
                QStringLiteral("training stopped: the %1 became %2 at epoch %3; lower the learning rate (now %4)")
                    .arg(TrainingMetric{m_options.monitored}.label(),
                         std::isnan(*monitored) ? QStringLiteral("NaN") : QStringLiteral("infinite"))
                    .arg(epoch)
                    .arg(trained->lastLr, 0, 'g', 3),
                QStringLiteral("lr"));

        const bool improved = m_stopping.update(epoch, m_options.higherIsBetter ? *monitored : -*monitored);
        report.seconds = double(timer.nsecsElapsed()) / 1e9;
        m_history.add(EpochRecord::fromProgress(report, trained->skipped + validated->skipped));
        if (improved)
            m_best = task.snapshot();
        m_history.setBestEpoch(m_stopping.bestEpoch());
        report.best = improved;
        report.bestEpoch = m_stopping.bestEpoch();
        report.note = task.afterEpoch(epoch, *validated, improved);
        const qint64 skipped = trained->skipped + validated->skipped;
        if (skipped > 0)
            report.note += (report.note.isEmpty() ? QString() : QStringLiteral("; ")) +
                           QStringLiteral("%1 unreadable samples skipped").arg(skipped);
        m_outcome.epochsRun = epoch;
        // Rank 0 alone writes (checkpoints here, the module at the end).
        if (!group || group->isLeader()) {
            if (Result<void> saved = saveCheckpoint(task, epoch); !saved)
                return saved.error();
        }
        m_context.report(report);
        if (const EpochStop stop = stopAfterEpoch(epoch, m_options.epochs, m_options.stopAfterEpoch, m_stopping,
                                                  TrainingMetric{m_options.monitored}.label())) {
            m_outcome.stopped = stop.stopped;
            m_context.log(stop.message);
            break;
        }
    }
    m_outcome.bestEpoch = m_stopping.bestEpoch();
    m_outcome.bestValue = bestValue();
    if (group) {
        if (Result<void> same = group->checkSameWeights(task.network()); !same)
            return same.error();
        m_context.log(QStringLiteral("rank %1 of %2: weights sha256 %3")
                          .arg(group->rank())
                          .arg(group->worldSize())
                          .arg(DistributedGroup::weightsDigest(task.network())));
    }
    return m_outcome;
}

Result<void> EpochTraining::writeModuleFiles(EpochTask &task, const QString &directory, const QString &stopped)
{
    m_history.setStopped(stopped);
    if (!QDir().mkpath(directory))
        return failure(
            QStringLiteral("cannot create the module folder %1: check the output path and permissions").arg(directory),
            QStringLiteral("output"));
    if (Result<void> saved =
            ModuleWeights::save(task.network(), QDir(directory).filePath(QStringLiteral("weights.pt")));
        !saved)
        return saved;
    return m_history.save(QDir(directory).filePath(QStringLiteral("history.json")));
}

Result<void> EpochTraining::restoreBest(EpochTask &task)
{
    if (m_best.empty())
        return success();
    return task.restore(m_best);
}

}  // namespace dw::ml
