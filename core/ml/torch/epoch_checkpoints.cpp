#include "core/ml/torch/epoch_checkpoints.h"

#include "core/ml/torch/random_state.h"
#include "core/ml/torch/training_checkpoint.h"

#include <QDir>
#include <QFileInfo>

namespace dw::ml {

Result<ResumedTraining> resumeTraining(const QString &path, const QJsonObject &current,
                                       std::initializer_list<const char *> mustMatch, torch::nn::Module &model,
                                       torch::optim::Optimizer &optimizer, const torch::Device &device, int patience)
{
    QStringList keys;
    for (const char *key : mustMatch)
        keys << QLatin1String(key);
    return resumeTraining(path, current, keys, model, optimizer, device, patience);
}

Result<ResumedTraining> resumeTraining(const QString &path, const QJsonObject &current, const QStringList &mustMatch,
                                       torch::nn::Module &model, torch::optim::Optimizer &optimizer,
                                       const torch::Device &device, int patience)
{
    Result<CheckpointData> peek = TrainingCheckpoint::peek(path);
    if (!peek)
        return Error::at(QStringLiteral("resume"), peek.error().message);
    const QJsonObject meta = peek->meta;
    for (const QString &key : mustMatch) {
        if (meta.value(key) != current.value(key))
            return failure(
                QStringLiteral("cannot resume from %1: it was trained with another %2 (%3, not %4); give the "
                               "interrupted training's own options with --resume, or start over under another "
                               "--name (or delete the folder %5 first)")
                    .arg(path, key, meta.value(key).toVariant().toString(), current.value(key).toVariant().toString(),
                         QFileInfo(QFileInfo(path).absolutePath()).absolutePath()),
                QStringLiteral("resume"));
    }
    Result<CheckpointData> loaded = TrainingCheckpoint::load(path, model, optimizer, device);
    if (!loaded)
        return loaded.error();
    Result<TrainingHistory> history = TrainingHistory::fromJson(meta.value(QStringLiteral("history")).toObject());
    if (!history)
        return history.error();
    ResumedTraining resumed;
    resumed.epoch = loaded->epoch;
    resumed.meta = meta;
    resumed.history = std::move(history).value();
    resumed.history.setStopped({});
    QJsonObject stopping = meta.value(QStringLiteral("early_stopping")).toObject();
    stopping.insert(QStringLiteral("patience"), patience);
    resumed.stopping = EarlyStopping::fromJson(stopping);
    resumed.best = std::move(loaded->bestState);
    loaded->random.restore();
    return resumed;
}

Result<void> saveEpochCheckpoint(const QString &path, int epoch, const QJsonObject &meta, const NamedTensors &best,
                                 const torch::nn::Module &model, const torch::optim::Optimizer &optimizer)
{
    const QString folder = QFileInfo(path).absolutePath();
    if (!QDir().mkpath(folder))
        return failure(
            QStringLiteral("cannot create the folder %1 for checkpoints: check the output path and permissions")
                .arg(folder),
            QStringLiteral("output"));
    CheckpointData data;
    data.epoch = epoch;
    data.meta = meta;
    data.bestState = best;
    data.random = RandomState::capture();
    return TrainingCheckpoint::save(path, model, optimizer, data);
}

}  // namespace dw::ml
