#include "plugins/imageclass/train/train_request.h"

#include "core/ml/lr_schedule.h"

#include <cmath>

namespace dw::imageclass {

Result<void> checkTrainRequest(const TrainRequest &request)
{
    if (request.dataPath.isEmpty())
        return failure(QStringLiteral("no training data given: name a folder of images (one sub-folder per class), "
                                      "DEEP split files or a CSV manifest"),
                       QStringLiteral("data"));
    if (request.moduleDir.isEmpty())
        return failure(QStringLiteral("no output folder given for the trained module"), QStringLiteral("output"));
    if (request.epochs < 1 || request.epochs > 100000)
        return failure(QStringLiteral("epochs must be at least 1 (got %1)").arg(request.epochs),
                       QStringLiteral("epochs"));
    if (request.batchSize < 1 || request.batchSize > 65536)
        return failure(
            QStringLiteral("the batch size must be at least 1 (got %1); 32 to 256 are usual").arg(request.batchSize),
            QStringLiteral("batch"));
    if (request.imageSize < 0 || request.imageSize > 4096)
        return failure(QStringLiteral("the image size must lie between the architecture's minimum and 4096 px (got %1)")
                           .arg(request.imageSize),
                       QStringLiteral("image-size"));
    if (request.channels < 0 || request.channels > 1024)
        return failure(QStringLiteral("the channel count must lie between 1 and 1024 (got %1)").arg(request.channels),
                       QStringLiteral("channels"));
    if (!(request.learningRate > 0.0) || !std::isfinite(request.learningRate))
        return failure(QStringLiteral("the learning rate must be a positive number (got %1): try 1e-3 for Adam/AdamW, "
                                      "0.1 for SGD")
                           .arg(request.learningRate),
                       QStringLiteral("lr"));
    if (!(request.warmupEpochs >= 0.0) || request.warmupEpochs > request.epochs)
        return failure(QStringLiteral("the warm-up must lie between 0 and the number of epochs (got %1)")
                           .arg(request.warmupEpochs),
                       QStringLiteral("warmup"));
    if (!(request.weightDecay >= 0.0) || !std::isfinite(request.weightDecay))
        return failure(QStringLiteral("the weight decay must be 0 or positive (got %1)").arg(request.weightDecay),
                       QStringLiteral("weight-decay"));
    if (!(request.labelSmoothing >= 0.0 && request.labelSmoothing < 1.0))
        return failure(
            QStringLiteral("label smoothing must lie in [0, 1) (got %1); 0.1 is usual").arg(request.labelSmoothing),
            QStringLiteral("label-smoothing"));
    if (request.optimizer != QLatin1String("sgd") && request.optimizer != QLatin1String("adam") &&
        request.optimizer != QLatin1String("adamw"))
        return failure(QStringLiteral("unknown optimizer \"%1\": use sgd, adam or adamw").arg(request.optimizer),
                       QStringLiteral("optimizer"));
    if (!isKnownLrSchedule(request.schedule))
        return failure(QStringLiteral("unknown schedule \"%1\": use cosine, step or constant").arg(request.schedule),
                       QStringLiteral("schedule"));
    if (request.patience < 0)
        return failure(QStringLiteral("patience must be 0 (no early stopping) or more (got %1)").arg(request.patience),
                       QStringLiteral("patience"));
    if (request.workers < 0)
        return failure(QStringLiteral("workers must be 0 (one per core) or more (got %1)").arg(request.workers),
                       QStringLiteral("workers"));
    const bool fractionsOk = request.valFraction > 0.0 && request.valFraction < 1.0 && request.testFraction >= 0.0 &&
                             request.testFraction < 1.0 && request.valFraction + request.testFraction < 1.0;
    if (!fractionsOk)
        return failure(QStringLiteral("the validation fraction must lie in (0, 1) and the test fraction in [0, 1), "
                                      "leaving images to train on (got %1 and %2)")
                           .arg(request.valFraction)
                           .arg(request.testFraction),
                       QStringLiteral("val-fraction"));
    if (request.freeze != QLatin1String("head") && request.freeze != QLatin1String("partial") &&
        request.freeze != QLatin1String("full"))
        return failure(QStringLiteral("unknown freeze mode \"%1\": use head (train only the classifier), partial (the "
                                      "last stage and the classifier) or full (everything)")
                           .arg(request.freeze),
                       QStringLiteral("freeze"));
    if (request.parentDir.isEmpty() && request.init == QLatin1String("random") &&
        request.freeze != QLatin1String("full"))
        return failure(
            QStringLiteral("freeze mode \"%1\" needs pretrained weights (--init imagenet, a weights file or a "
                           "module) or a parent module; from random weights every layer is trained (freeze full)")
                .arg(request.freeze),
            QStringLiteral("freeze"));
    if (request.stopAfterEpoch < 0)
        return failure(QStringLiteral("stopAfterEpoch cannot be negative"));
    return success();
}

QJsonObject hyperParametersJson(const TrainRequest &request)
{
    QJsonObject json{{QStringLiteral("arch"), request.architecture},
                     {QStringLiteral("epochs"), request.epochs},
                     {QStringLiteral("batch"), request.batchSize},
                     {QStringLiteral("lr"), request.learningRate},
                     {QStringLiteral("image-size"), request.imageSize},
                     {QStringLiteral("channels"), request.channels},
                     {QStringLiteral("optimizer"), request.optimizer},
                     {QStringLiteral("schedule"), request.schedule},
                     {QStringLiteral("warmup"), request.warmupEpochs},
                     {QStringLiteral("weight-decay"), request.weightDecay},
                     {QStringLiteral("label-smoothing"), request.labelSmoothing},
                     {QStringLiteral("balanced"), request.balancedClassWeights},
                     {QStringLiteral("patience"), request.patience},
                     // JSON numbers hold integers exactly up to 2^53 only.
                     {QStringLiteral("seed"), request.seed <= (quint64(1) << 53)
                                                  ? QJsonValue(static_cast<qint64>(request.seed))
                                                  : QJsonValue(QString::number(request.seed))},
                     {QStringLiteral("val-fraction"), request.valFraction},
                     {QStringLiteral("test-fraction"), request.testFraction},
                     {QStringLiteral("augment"), request.augment},
                     {QStringLiteral("freeze"), request.freeze},
                     {QStringLiteral("init"), request.init}};
    return json;
}

}  // namespace dw::imageclass
