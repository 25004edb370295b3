#include "core/ml/torch/step_probe.h"

#include <QElapsedTimer>

#include <algorithm>
#include <atomic>
#include <vector>

namespace dw::ml {

Result<StepTiming> measureTrainingSteps(EpochTask &task, const JobContext &context, const StepProbeOptions &options)
{
    const int warmUp = std::max(0, options.warmUpSteps);
    const int minSteps = std::max(1, options.minSteps);
    const int maxSteps = std::max(minSteps, options.maxSteps);
    std::atomic_bool stop{false};
    std::vector<double> durations;  // every batch's, the warm-up ones first
    QElapsedTimer clock;
    clock.start();
    qint64 last = 0;
    double measured = 0.0;
    JobContext::Callbacks callbacks;
    callbacks.training = [&](const TrainingProgress &event) {
        if (!event.isStep())
            return;
        const qint64 now = clock.nsecsElapsed();
        durations.push_back(double(now - last) / 1e9);
        last = now;
        const int timed = int(durations.size()) - warmUp;
        if (timed > 0)
            measured += durations.back();
        context.setProgress(0, 0, QStringLiteral("timing training batches (%1 so far)").arg(durations.size()));
        const bool enough = timed >= minSteps && measured >= options.minSeconds;
        if (enough || timed >= maxSteps || measured >= options.maxSeconds || context.isCancelled())
            stop.store(true);
    };
    const JobContext probe(context.jobId(), &stop, callbacks, context.device(), context.workDirectory());

    QElapsedTimer runClock;
    qint64 runSteps = 0;
    const qint64 steps = task.stepsPerEpoch();
    if (steps <= 0)
        return failure(QStringLiteral("no training batches to time: the training data is empty"));
    // An epoch of a few batches needs several passes.
    const int passes = warmUp + maxSteps;
    for (int epoch = 1; epoch <= passes && !stop.load(); ++epoch) {
        if (context.isCancelled())
            return failure(QStringLiteral("cancelled"));
        StepReporter reporter(probe, epoch, epoch, steps, options.unit, runClock, runSteps);
        last = clock.nsecsElapsed();
        const std::size_t before = durations.size();
        Result<PassResult> pass = task.trainEpoch(epoch, reporter);
        if (!pass)
            return pass.error();
        if (durations.size() == before)
            break;  // a pass without a batch: nothing more to learn from another
    }
    if (context.isCancelled())
        return failure(QStringLiteral("cancelled"));
    if (durations.empty())
        return failure(QStringLiteral("no training batch ran: the training data is empty"));
    StepTiming timing;
    const auto first = durations.size() > std::size_t(warmUp) ? durations.begin() + warmUp : durations.begin();
    timing.measuredSteps = durations.size() > std::size_t(warmUp) ? int(durations.end() - first) : 0;
    // The median batch: a batch that waited for another process, or the first of a pass (its
    // loader starting), does not move it; over the batches of a real epoch those are few.
    std::vector<double> timed(first, durations.end());
    std::sort(timed.begin(), timed.end());
    const std::size_t middle = timed.size() / 2;
    timing.secondsPerStep = timed.size() % 2 == 1 ? timed[middle] : (timed[middle - 1] + timed[middle]) / 2.0;
    return timing;
}

QString countedBatches(int measured)
{
    return measured > 1 ? QStringLiteral("%1 batches").arg(measured) : QStringLiteral("1 batch");
}

}  // namespace dw::ml
