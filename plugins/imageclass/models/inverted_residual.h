#pragma once
// torchvision's MobileNetV2 InvertedResidual: 1×1 expansion (left out when the expansion
// ratio is 1), 3×3 depth-wise convolution, linear 1×1 projection, all in the Sequential "conv"
// (conv.0.0, conv.0.1, conv.1.0, ..., conv.2 the projection, conv.3 its batch norm).
#include <torch/nn/module.h>
#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/pimpl.h>

#include <cstdint>

namespace dw::imageclass {

class InvertedResidualImpl : public torch::nn::Module {
public:
    InvertedResidualImpl(int64_t inChannels, int64_t outChannels, int64_t stride, int64_t expandRatio);
    torch::Tensor forward(torch::Tensor x);
    bool residual() const { return m_residual; }  // x + conv(x)

private:
    torch::nn::Sequential m_conv{nullptr};
    bool m_residual = false;
};
TORCH_MODULE(InvertedResidual);

}  // namespace dw::imageclass
