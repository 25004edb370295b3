#include "core/ml/torch/classification_loss.h"

#include <torch/nn/functional/loss.h>

#include <numeric>

namespace dw::ml {

ClassificationLoss::ClassificationLoss(torch::Tensor classWeights, double labelSmoothing)
    : m_weights(std::move(classWeights)), m_smoothing(labelSmoothing)
{
    if (m_weights.defined())
        m_weights = m_weights.to(torch::kFloat32);
}

torch::Tensor ClassificationLoss::operator()(const torch::Tensor &logits, const torch::Tensor &targets) const
{
    auto options = torch::nn::functional::CrossEntropyFuncOptions().label_smoothing(m_smoothing);
    if (m_weights.defined())
        options.weight(m_weights);
    return torch::nn::functional::cross_entropy(logits.to(torch::kFloat32), targets, options);
}

void ClassificationLoss::to(const torch::Device &device)
{
    if (m_weights.defined())
        m_weights = m_weights.to(device);
}

torch::Tensor ClassificationLoss::balancedWeights(const std::vector<qint64> &countsPerClass)
{
    const auto classes = static_cast<int64_t>(countsPerClass.size());
    const double total = static_cast<double>(std::accumulate(countsPerClass.begin(), countsPerClass.end(), qint64(0)));
    torch::Tensor weights = torch::zeros({classes}, torch::kFloat32);
    auto w = weights.accessor<float, 1>();
    for (int64_t c = 0; c < classes; ++c) {
        const auto n = countsPerClass[static_cast<std::size_t>(c)];
        w[c] = n > 0 ? static_cast<float>(total / (static_cast<double>(classes) * static_cast<double>(n))) : 0.0f;
    }
    return weights;
}

}  // namespace dw::ml
