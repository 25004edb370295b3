#include "plugins/imageclass/train/epoch_runner.h"

#include "core/ml/distributed_group.h"
#include "core/ml/torch_compat.h"

#include <torch/nn/functional/loss.h>

#include <cmath>

namespace dw::imageclass {

namespace {
// Correct top-1 and top-k predictions of a batch.
std::pair<qint64, qint64> countCorrect(const torch::Tensor &logits, const torch::Tensor &labels)
{
    const int64_t k = std::min<int64_t>(5, logits.size(1));
    const torch::Tensor topk = std::get<1>(logits.topk(k, 1));
    const torch::Tensor hits = topk.eq(labels.unsqueeze(1));
    const qint64 top1 = hits.select(1, 0).sum().item<int64_t>();
    const qint64 topK = hits.any(1).sum().item<int64_t>();
    return {top1, topK};
}
}  // namespace

EpochRunner::EpochRunner(const ClassifierSetup &setup, ml::GroupedOptimizer &optimizer,
                         const ml::ClassificationLoss &loss, const ml::TrainingDevice &device,
                         LrScheduleOptions schedule, JobContext &context)
    : m_setup(setup), m_optimizer(optimizer), m_loss(loss), m_device(device), m_schedule(std::move(schedule)),
      m_context(context)
{}

Result<PassStats> EpochRunner::train(BatchLoader &loader, int epoch, ml::StepReporter &steps)
{
    PassStats stats;
    QElapsedTimer timer;
    timer.start();
    ClassifierImpl &model = *m_setup.model();
    m_setup.setTrainingMode();
    const qint64 batches = loader.batchesPerEpoch();
    double lossSum = 0.0;
    qint64 correct = 0, correctK = 0;

    loader.startEpoch(epoch);
    while (true) {
        if (steps.cancelled()) {
            loader.cancel();
            stats.cancelled = true;
            return stats;
        }
        std::optional<Batch> batch = loader.next();
        if (!batch)
            break;
        stats.skipped += batch->skipped;
        const qint64 n = batch->size();
        // Batch norm cannot train on a single image; such a last batch is left out. A distributed
        // run decides on the planned size, the same on every rank, so that all ranks step together;
        // a rank whose batch lost images it could not read steps with the others' gradients only.
        const bool distributed = ml::DistributedGroup::active() != nullptr;
        if ((distributed ? n + batch->skipped : n) < 2)
            continue;
        const qint64 step = static_cast<qint64>(epoch - 1) * batches + batch->number;
        const double lr = learningRateAt(m_schedule, step);
        m_optimizer.setLearningRate(lr);
        stats.lastLr = lr;
        if (n < 2) {
            m_optimizer.zeroGrad();
            if (Result<void> stepped = m_optimizer.step(); !stepped)
                return stepped.error();
            continue;
        }

        const torch::Tensor images = m_device.toDevice(batch->images);
        const torch::Tensor labels = m_device.toDevice(batch->labels);
        m_optimizer.zeroGrad();
        torch::Tensor logits, loss;
        {
            compat::AutocastGuard autocast(m_device.mixedPrecision(), at::kBFloat16, m_device.device().type());
            logits = model.forward(images);
            loss = m_loss(logits, labels);
        }
        const double value = loss.item<double>();
        if (!std::isfinite(value))
            return ml::lossNotFinite(value, epoch, batch->number + 1, lr,
                                     QStringLiteral("check the images (normalisation, corrupt files) and labels"));
        loss.backward();
        if (Result<void> stepped = m_optimizer.step(); !stepped)
            return stepped.error();

        lossSum += value * static_cast<double>(n);
        stats.images += n;
        {
            torch::NoGradGuard noGrad;
            const auto [top1, topK] = countCorrect(logits.detach(), labels);
            correct += top1;
            correctK += topK;
        }
        steps.step(batch->number, lossSum / static_cast<double>(stats.images), lr, stats.images);
    }
    if (!loader.error().isEmpty())
        return failure(
            QStringLiteral("reading the training images failed at epoch %1: %2").arg(epoch).arg(loader.error()));
    if (stats.images > 0) {
        stats.loss = lossSum / static_cast<double>(stats.images);
        stats.top1 = static_cast<double>(correct) / static_cast<double>(stats.images);
        stats.top5 = static_cast<double>(correctK) / static_cast<double>(stats.images);
    }
    stats.seconds = static_cast<double>(timer.nsecsElapsed()) / 1e9;
    return stats;
}

Result<PassStats> EpochRunner::evaluate(BatchLoader &loader, int epoch, const QString &label)
{
    PassStats stats;
    QElapsedTimer timer;
    timer.start();
    ClassifierImpl &model = *m_setup.model();
    model.eval();
    torch::NoGradGuard noGrad;
    double lossSum = 0.0;
    qint64 correct = 0, correctK = 0;
    loader.startEpoch(epoch);
    while (true) {
        if (m_context.isCancelled()) {
            loader.cancel();
            stats.cancelled = true;
            return stats;
        }
        std::optional<Batch> batch = loader.next();
        if (!batch)
            break;
        stats.skipped += batch->skipped;
        const qint64 n = batch->size();
        if (n == 0)
            continue;
        const torch::Tensor images = m_device.toDevice(batch->images);
        const torch::Tensor labels = m_device.toDevice(batch->labels);
        torch::Tensor logits;
        {
            compat::AutocastGuard autocast(m_device.mixedPrecision(), at::kBFloat16, m_device.device().type());
            logits = model.forward(images).to(torch::kFloat32);
        }
        lossSum += torch::nn::functional::cross_entropy(
                       logits, labels, torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kSum))
                       .item<double>();
        const auto [top1, topK] = countCorrect(logits, labels);
        correct += top1;
        correctK += topK;
        stats.images += n;
    }
    if (!loader.error().isEmpty())
        return failure(QStringLiteral("reading the %1 images failed: %2").arg(label, loader.error()));
    if (stats.images > 0) {
        stats.loss = lossSum / static_cast<double>(stats.images);
        stats.top1 = static_cast<double>(correct) / static_cast<double>(stats.images);
        stats.top5 = static_cast<double>(correctK) / static_cast<double>(stats.images);
    }
    stats.seconds = static_cast<double>(timer.nsecsElapsed()) / 1e9;
    return stats;
}

}  // namespace dw::imageclass
