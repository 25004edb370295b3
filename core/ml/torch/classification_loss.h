#pragma once
// Cross entropy for classifiers, with label smoothing and per-class weights, computed in
// float32 whatever precision the logits come in (bf16 under autocast).
#include <torch/types.h>

#include <QtGlobal>

#include <vector>

namespace dw::ml {

class ClassificationLoss {
public:
    // classWeights: empty or one weight per class; labelSmoothing in [0, 1).
    explicit ClassificationLoss(torch::Tensor classWeights = {}, double labelSmoothing = 0.0);

    // logits N×K, targets N (int64): the mean loss (weighted mean with class weights, as in
    // PyTorch's F.cross_entropy).
    torch::Tensor operator()(const torch::Tensor &logits, const torch::Tensor &targets) const;

    // Moves the class weights to the device the logits will be on.
    void to(const torch::Device &device);
    const torch::Tensor &classWeights() const { return m_weights; }
    double labelSmoothing() const { return m_smoothing; }

    // "Balanced" weights as scikit-learn computes them: n / (K × n_c) for each class c, so
    // that every class contributes equally; 0 for a class without samples.
    static torch::Tensor balancedWeights(const std::vector<qint64> &countsPerClass);

private:
    torch::Tensor m_weights;
    double m_smoothing = 0.0;
};

}  // namespace dw::ml
