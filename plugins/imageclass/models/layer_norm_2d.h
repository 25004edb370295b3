#pragma once
// torchvision's ConvNeXt LayerNorm2d: a LayerNorm over the channels of an N×C×H×W map
// (channels first), with nn.LayerNorm's parameter names "weight" and "bias" so that
// features.0.1.weight, classifier.0.bias, ... load from torchvision's files.
#include <torch/nn/module.h>
#include <torch/nn/pimpl.h>

#include <cstdint>

namespace dw::imageclass {

class LayerNorm2dImpl : public torch::nn::Module {
public:
    explicit LayerNorm2dImpl(int64_t channels, double eps = 1e-6);
    torch::Tensor forward(torch::Tensor x);
    double eps() const { return m_eps; }

private:
    int64_t m_channels;
    double m_eps;
    torch::Tensor m_weight, m_bias;
};
TORCH_MODULE(LayerNorm2d);

}  // namespace dw::imageclass
