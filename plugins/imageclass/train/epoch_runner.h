#pragma once
// One pass over the data: a training epoch (learning rate set per batch from the schedule,
// bf16 autocast on CUDA, a NaN/inf loss stops with advice, cancel checked and each batch
// reported through the training skeleton's StepReporter) or an evaluation (loss, top-1 and top-5 accuracy, no gradients).
#include "core/jobs/job_context.h"
#include "core/ml/lr_schedule.h"
#include "core/ml/torch/classification_loss.h"
#include "core/ml/torch/epoch_training.h"
#include "core/ml/torch/grouped_optimizer.h"
#include "core/ml/torch/training_device.h"
#include "core/util/result.h"
#include "plugins/imageclass/data/batch_loader.h"
#include "plugins/imageclass/train/classifier_setup.h"

namespace dw::imageclass {

struct PassStats {
    double loss = 0.0;              // mean per image
    double top1 = 0.0, top5 = 0.0;  // fractions
    qint64 images = 0, skipped = 0;
    double seconds = 0.0;
    double lastLr = 0.0;
    bool cancelled = false;
};

class EpochRunner {
public:
    EpochRunner(const ClassifierSetup &setup, ml::GroupedOptimizer &optimizer, const ml::ClassificationLoss &loss,
                const ml::TrainingDevice &device, LrScheduleOptions schedule, JobContext &context);

    // Trains epoch (from 1); steps count from (epoch - 1) × batches per epoch.
    Result<PassStats> train(BatchLoader &loader, int epoch, ml::StepReporter &steps);
    // Plain cross entropy (no smoothing, no class weights) and accuracies; label "val"/"test".
    Result<PassStats> evaluate(BatchLoader &loader, int epoch, const QString &label);

private:
    const ClassifierSetup &m_setup;
    ml::GroupedOptimizer &m_optimizer;
    const ml::ClassificationLoss &m_loss;
    const ml::TrainingDevice &m_device;
    LrScheduleOptions m_schedule;
    JobContext &m_context;
};

}  // namespace dw::imageclass
