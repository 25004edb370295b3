#pragma once
// How long a training would take with given settings on the job's device, measured rather
// than guessed: a plugin that can tell implements TrainingEstimator next to TaskPlugin
// (Q_INTERFACES(dw::TaskPlugin dw::TrainingEstimator)); it builds the network and the data
// as train() would, times a few training batches after a warm-up batch, and counts the
// batches of an epoch from the data. Front ends find it with trainingEstimatorOf(plugin).
// A separate interface, so that TaskPlugin's vtable and IID stay as they are. No LibTorch here.
#include "core/jobs/job_context.h"
#include "core/task/task_plugin.h"
#include "core/util/result.h"

#include <QJsonObject>
#include <QObject>
#include <QString>
#include <QVariantMap>
#include <QtPlugin>

namespace dw {

struct TrainingEstimate {
    double secondsPerStep = 0.0;  // one training batch (forward, backward, optimiser step), as measured
    qint64 stepsPerEpoch = 0;     // training batches of an epoch, from the data and the batch size
    int epochs = 0;               // as asked (early stopping may end the run sooner)
    qint64 trainSamples = 0;      // per epoch: images, windows or patches
    qint64 validationSamples = 0;
    // Per epoch: the validation pass, reckoned at a third of a training batch's time per
    // sample (a forward pass without gradients).
    double validationSecondsPerEpoch = 0.0;
    int measuredSteps = 0;  // the batches timed (after the warm-up one)
    double totalSeconds = 0.0;
    QString device;  // "cpu", "cuda", "cuda:1"
    // What was measured, for people, without the epochs: "3 batches of smallcnn at 32 px, 80
    // training images".
    QString how;

    double secondsPerEpoch() const { return double(stepsPerEpoch) * secondsPerStep + validationSecondsPerEpoch; }
    // Fills validationSecondsPerEpoch (with batchSize) and totalSeconds from the rest.
    void complete(qint64 batchSize)
    {
        const double perSample = batchSize > 0 ? secondsPerStep / double(batchSize) : secondsPerStep;
        validationSecondsPerEpoch = double(validationSamples) * perSample / 3.0;
        totalSeconds = double(epochs) * secondsPerEpoch();
    }

    // The same measurement for another number of epochs (they do not change a batch's time).
    TrainingEstimate withEpochs(int count) const
    {
        TrainingEstimate e = *this;
        e.epochs = count;
        e.totalSeconds = double(count) * secondsPerEpoch();
        return e;
    }

    QJsonObject toJson() const
    {
        return {{QStringLiteral("seconds_per_step"), secondsPerStep},
                {QStringLiteral("steps_per_epoch"), stepsPerEpoch},
                {QStringLiteral("epochs"), epochs},
                {QStringLiteral("train_samples"), trainSamples},
                {QStringLiteral("validation_samples"), validationSamples},
                {QStringLiteral("validation_seconds_per_epoch"), validationSecondsPerEpoch},
                {QStringLiteral("measured_steps"), measuredSteps},
                {QStringLiteral("total_seconds"), totalSeconds},
                {QStringLiteral("device"), device},
                {QStringLiteral("how"), how}};
    }
    static TrainingEstimate fromJson(const QJsonObject &json)
    {
        TrainingEstimate e;
        e.secondsPerStep = json.value(QStringLiteral("seconds_per_step")).toDouble();
        e.stepsPerEpoch = json.value(QStringLiteral("steps_per_epoch")).toInteger();
        e.epochs = json.value(QStringLiteral("epochs")).toInt();
        e.trainSamples = json.value(QStringLiteral("train_samples")).toInteger();
        e.validationSamples = json.value(QStringLiteral("validation_samples")).toInteger();
        e.validationSecondsPerEpoch = json.value(QStringLiteral("validation_seconds_per_epoch")).toDouble();
        e.measuredSteps = json.value(QStringLiteral("measured_steps")).toInt();
        e.totalSeconds = json.value(QStringLiteral("total_seconds")).toDouble();
        e.device = json.value(QStringLiteral("device")).toString();
        e.how = json.value(QStringLiteral("how")).toString();
        return e;
    }
};

class TrainingEstimator {
public:
    virtual ~TrainingEstimator() = default;
    // args have been validated against trainArguments(); "output" may be a placeholder: nothing
    // is written, and "resume" is ignored. Runs a few training batches on context.device(), so
    // it is a job like train() (cancel is checked between batches). Errors: what train() would
    // say about the data or the settings.
    virtual Result<TrainingEstimate> estimateTraining(const QVariantMap &args, JobContext &context) = 0;
};

}  // namespace dw

#define DW_TRAINING_ESTIMATOR_IID "org.deep-hybrid-datacloud.workbench.TrainingEstimator/1.0"
Q_DECLARE_INTERFACE(dw::TrainingEstimator, DW_TRAINING_ESTIMATOR_IID)

namespace dw {

// The plugin's estimator, or nullptr when it has none.
inline TrainingEstimator *trainingEstimatorOf(TaskPlugin *plugin)
{
    return qobject_cast<TrainingEstimator *>(dynamic_cast<QObject *>(plugin));
}

}  // namespace dw
