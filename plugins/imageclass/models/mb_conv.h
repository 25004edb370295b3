#pragma once
// torchvision's EfficientNet MBConv block: 1×1 expansion (left out when the expansion ratio
// is 1), depth-wise k×k convolution, squeeze-and-excitation, linear 1×1 projection, all in
// the Sequential "block" (block.0.0, block.0.1, block.1.0, ..., block.2.fc1, block.3.0 when
// there is an expansion; block.0 the depth-wise, block.1 the SE, block.2 the projection
// without). The residual branch goes through stochastic depth while training.
#include <torch/nn/module.h>
#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/pimpl.h>

#include <cstdint>

namespace dw::imageclass {

struct MBConvOptions {
    int64_t inChannels = 16;
    int64_t outChannels = 16;
    int64_t kernel = 3;
    int64_t stride = 1;
    int64_t expandRatio = 6;
    double stochasticDepthProb = 0.0;
};

class MBConvImpl : public torch::nn::Module {
public:
    explicit MBConvImpl(const MBConvOptions &options);
    torch::Tensor forward(torch::Tensor x);
    bool residual() const { return m_residual; }  // x + block(x) (stochastic depth in training)

private:
    torch::nn::Sequential m_block{nullptr};
    bool m_residual = false;
    double m_stochasticDepthProb = 0.0;
};
TORCH_MODULE(MBConv);

}  // namespace dw::imageclass
