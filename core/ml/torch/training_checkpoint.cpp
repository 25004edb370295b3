#include "core/ml/torch/training_checkpoint.h"

#include "core/util/file_commit.h"

#include <torch/serialize/input-archive.h>
#include <torch/serialize/output-archive.h>

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>
#include <QStringList>

namespace dw::ml {

namespace {

// The archive key of the i-th tensor of the best weights ("t0", "t1", ...). Made through QString:
// GCC 12 warns wrongly (-Wstringop-overflow, its bug 105329) on "t" + std::to_string(i).
std::string bestTensorKey(qsizetype i)
{
    return QStringLiteral("t%1").arg(i).toStdString();
}
const char *const kFormat = "deepwb-training-checkpoint-1";

QString torchMessage(const c10::Error &error)
{
    return QString::fromStdString(error.what_without_backtrace()).section(QLatin1Char('\n'), 0, 0);
}

QString shapeText(const std::vector<int64_t> &sizes)
{
    QStringList parts;
    for (int64_t size : sizes)
        parts << QString::number(size);
    return QLatin1Char('[') + parts.join(QStringLiteral(", ")) + QLatin1Char(']');
}

Result<void> readHeader(torch::serialize::InputArchive &archive, const QString &path, CheckpointData &data)
{
    c10::IValue value;
    if (!archive.try_read("format", value) || !value.isString() || value.toStringRef() != kFormat)
        return failure(QStringLiteral("%1 is not a training checkpoint of the workbench: delete the module folder (or "
                                      "choose another --name) and train without --resume")
                           .arg(path),
                       path);
    archive.read("epoch", value);
    data.epoch = static_cast<int>(value.toInt());
    archive.read("meta", value);
    const QJsonDocument meta = QJsonDocument::fromJson(QByteArray::fromStdString(value.toStringRef()));
    data.meta = meta.object();
    return success();
}
}  // namespace

Result<void> TrainingCheckpoint::save(const QString &path, const torch::nn::Module &model,
                                      const torch::optim::Optimizer &optimizer, const CheckpointData &data)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return failure(QStringLiteral("cannot write the checkpoint %1: %2 (check that the folder is writable)")
                           .arg(path, file.errorString()),
                       path);
    try {
        torch::serialize::OutputArchive archive;
        archive.write("format", c10::IValue(std::string(kFormat)));
        archive.write("epoch", c10::IValue(static_cast<int64_t>(data.epoch)));
        archive.write("meta", c10::IValue(QJsonDocument(data.meta).toJson(QJsonDocument::Compact).toStdString()));

        torch::serialize::OutputArchive modelArchive(archive.compilation_unit());
        model.save(modelArchive);
        archive.write("model", modelArchive);

        torch::serialize::OutputArchive optimizerArchive(archive.compilation_unit());
        optimizer.save(optimizerArchive);
        archive.write("optimizer", optimizerArchive);

        // Names may hold dots, which archive keys may not: the tensors go by position.
        torch::serialize::OutputArchive bestArchive(archive.compilation_unit());
        QJsonArray names;
        for (std::size_t i = 0; i < data.bestState.size(); ++i) {
            names.append(QString::fromStdString(data.bestState[i].first));
            bestArchive.write(bestTensorKey(qsizetype(i)), data.bestState[i].second.detach().cpu(), true);
        }
        archive.write("best_names", c10::IValue(QJsonDocument(names).toJson(QJsonDocument::Compact).toStdString()));
        archive.write("best", bestArchive);

        if (data.random.cpu.defined())
            archive.write("rng_cpu", data.random.cpu, true);
        if (data.random.cuda.defined())
            archive.write("rng_cuda", data.random.cuda.cpu(), true);

        SaveFileSink sink(file);
        archive.save_to([&sink](const void *bytes, size_t size) -> size_t { return sink.write(bytes, size); });
    } catch (const c10::Error &error) {
        file.cancelWriting();
        return failure(QStringLiteral("cannot write the checkpoint %1: %2").arg(path, torchMessage(error)), path);
    } catch (const std::exception &error) {
        file.cancelWriting();
        return failure(QStringLiteral("cannot write the checkpoint %1: %2").arg(path, QString::fromUtf8(error.what())),
                       path);
    }
    return commitFile(file, QStringLiteral("the checkpoint"));
}

Result<CheckpointData> TrainingCheckpoint::load(const QString &path, torch::nn::Module &model,
                                                torch::optim::Optimizer &optimizer, const torch::Device &device)
{
    if (!QFile::exists(path))
        return failure(QStringLiteral("there is no checkpoint %1 to resume from: drop --resume, after deleting the "
                                      "module folder if it is still there")
                           .arg(path),
                       path);
    CheckpointData data;
    try {
        torch::serialize::InputArchive archive;
        archive.load_from(path.toStdString(), device);
        if (auto header = readHeader(archive, path, data); !header.ok())
            return header.error();

        // LibTorch replaces tensors whatever their shape: compare before and after.
        std::vector<std::pair<std::string, std::vector<int64_t>>> shapes;
        for (const auto &item : model.named_parameters())
            shapes.emplace_back(item.key(), item.value().sizes().vec());
        for (const auto &item : model.named_buffers())
            shapes.emplace_back(item.key(), item.value().sizes().vec());
        torch::serialize::InputArchive modelArchive;
        archive.read("model", modelArchive);
        model.load(modelArchive);
        const auto parameters = model.named_parameters();
        const auto buffers = model.named_buffers();
        for (const auto &[name, before] : shapes) {
            const torch::Tensor *now = parameters.find(name);
            if (!now)
                now = buffers.find(name);
            if (now && now->sizes().vec() != before)
                return failure(
                    QStringLiteral("cannot resume from the checkpoint %1: it holds %2 with shape %3 where the "
                                   "network has %4; it was written for another network. Train without "
                                   "resume to start over")
                        .arg(path, QString::fromStdString(name), shapeText(now->sizes().vec()), shapeText(before)),
                    path);
        }

        torch::serialize::InputArchive optimizerArchive;
        archive.read("optimizer", optimizerArchive);
        optimizer.load(optimizerArchive);

        c10::IValue value;
        archive.read("best_names", value);
        const QJsonArray names = QJsonDocument::fromJson(QByteArray::fromStdString(value.toStringRef())).array();
        torch::serialize::InputArchive bestArchive;
        archive.read("best", bestArchive);
        for (qsizetype i = 0; i < names.size(); ++i) {
            torch::Tensor tensor;
            bestArchive.read(bestTensorKey(i), tensor, true);
            data.bestState.emplace_back(names.at(i).toString().toStdString(), tensor);
        }

        torch::Tensor rng;
        if (archive.try_read("rng_cpu", rng, true))
            data.random.cpu = rng.cpu();
        torch::Tensor rngCuda;
        if (archive.try_read("rng_cuda", rngCuda, true))
            data.random.cuda = rngCuda.cpu();
    } catch (const c10::Error &error) {
        return failure(
            QStringLiteral("cannot resume from the checkpoint %1: %2. It was probably written for another "
                           "architecture, class list or optimizer; give the interrupted run's own options, or start "
                           "over: delete the module folder (or choose another --name) and train without --resume")
                .arg(path, torchMessage(error)),
            path);
    } catch (const std::exception &error) {
        return failure(QStringLiteral("cannot read the checkpoint %1: %2").arg(path, QString::fromUtf8(error.what())),
                       path);
    }
    return data;
}

Result<CheckpointData> TrainingCheckpoint::peek(const QString &path)
{
    if (!QFile::exists(path))
        return failure(QStringLiteral("there is no checkpoint %1 to resume from: drop --resume, after deleting the "
                                      "module folder if it is still there")
                           .arg(path),
                       path);
    CheckpointData data;
    try {
        torch::serialize::InputArchive archive;
        archive.load_from(path.toStdString(), torch::Device(torch::kCPU));
        if (auto header = readHeader(archive, path, data); !header.ok())
            return header.error();
    } catch (const c10::Error &error) {
        return failure(QStringLiteral("cannot read the checkpoint %1: %2 (the file is damaged: delete the module "
                                      "folder, or choose another --name, and train without --resume)")
                           .arg(path, torchMessage(error)),
                       path);
    }
    return data;
}

}  // namespace dw::ml
