#include "core/ml/torch/module_weights.h"

#include "core/util/file_commit.h"

#include <torch/serialize/input-archive.h>
#include <torch/serialize/output-archive.h>

#include <QFileInfo>
#include <QSaveFile>

#include <map>
#include <string>
#include <vector>

namespace dw::ml {

namespace {
QString torchMessage(const c10::Error &error)
{
    return QString::fromStdString(error.what_without_backtrace()).section(QLatin1Char('\n'), 0, 0);
}
}  // namespace

Result<void> ModuleWeights::save(const torch::nn::Module &model, const QString &path)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return failure(QStringLiteral("cannot write the weights %1: %2").arg(path, file.errorString()),
                       QStringLiteral("output"));
    try {
        torch::serialize::OutputArchive archive;
        model.save(archive);
        SaveFileSink sink(file);
        archive.save_to([&sink](const void *bytes, size_t size) -> size_t { return sink.write(bytes, size); });
    } catch (const c10::Error &error) {
        file.cancelWriting();
        return failure(QStringLiteral("cannot write the weights %1: %2").arg(path, torchMessage(error)),
                       QStringLiteral("output"));
    }
    return commitFile(file, QStringLiteral("the weights"), QStringLiteral("output"));
}

Result<void> ModuleWeights::load(torch::nn::Module &model, const QString &path, const torch::Device &device)
{
    if (!QFileInfo(path).isFile())
        return failure(QStringLiteral("the weights file %1 is missing: train the module again").arg(path),
                       QStringLiteral("module"));
    // LibTorch replaces tensors whatever their shape: keep the old ones to compare and restore.
    std::map<std::string, torch::Tensor> before;
    for (const auto &item : model.named_parameters())
        before.emplace(item.key(), item.value().detach().clone());
    try {
        torch::serialize::InputArchive archive;
        archive.load_from(path.toStdString(), device);
        model.load(archive);
    } catch (const c10::Error &error) {
        return failure(
            QStringLiteral("cannot read the weights %1: %2 (the file is damaged or written for another network)")
                .arg(path, torchMessage(error)),
            QStringLiteral("module"));
    }
    for (const auto &item : model.named_parameters()) {
        const auto old = before.find(item.key());
        if (old != before.end() && old->second.sizes() != item.value().sizes()) {
            torch::NoGradGuard noGrad;
            for (const auto &restore : model.named_parameters()) {
                const auto kept = before.find(restore.key());
                if (kept != before.end())
                    restore.value().set_(kept->second);
            }
            return failure(QStringLiteral("the weights %1 do not fit the module's network (%2 has another shape): the "
                                          "module.json and weights.pt come from different trainings")
                               .arg(path, QString::fromStdString(item.key())),
                           QStringLiteral("module"));
        }
    }
    return success();
}

}  // namespace dw::ml
