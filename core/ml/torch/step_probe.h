#pragma once
// Times a task's own training batches for an estimate of a whole run (core/task/
// training_estimate.h): the trainer's training pass runs as in a real epoch, under a job
// context of its own that stops it after a warm-up batch and a few measured ones. Nothing is
// checkpointed or written; the network and optimiser have taken those steps afterwards.
#include "core/jobs/job_context.h"
#include "core/ml/torch/epoch_training.h"
#include "core/util/result.h"

namespace dw::ml {

struct StepProbeOptions {
    int warmUpSteps = 1;  // not counted: allocations, cuDNN autotuning, the loader's first batch
    // At least minSteps batches and minSeconds of them are timed (fast batches: more of them,
    // so that one slow batch does not swing the estimate), at most maxSteps or maxSeconds
    // (big networks on a CPU: fewer, at least one).
    int minSteps = 3;
    double minSeconds = 1.0;
    int maxSteps = 200;
    double maxSeconds = 15;
    QString unit = QStringLiteral("samples");
};

struct StepTiming {
    double secondsPerStep = 0.0;  // the median measured batch
    int measuredSteps = 0;        // 0: the epochs held only the warm-up batch, which was used instead
};

// Runs task.trainEpoch() (epoch 1, then 2, ... while an epoch has fewer batches than needed)
// until the warm-up and measured batches have run (see StepProbeOptions); the time from one
// batch's report to the next is a batch's time, and the median of the measured ones is the
// result. Errors: the task's own, or the job was cancelled.
Result<StepTiming> measureTrainingSteps(EpochTask &task, const JobContext &context,
                                        const StepProbeOptions &options = {});

// For an estimate's wording: "3 batches" ("1 batch" also for 0: the warm-up one).
QString countedBatches(int measured);

}  // namespace dw::ml
