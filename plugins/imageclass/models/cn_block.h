#pragma once
// torchvision's ConvNeXt CNBlock: 7×7 depth-wise convolution, LayerNorm over channels, 1×1
// expansion to 4× as a Linear, GELU, Linear back, each channel scaled by the learnt
// "layer_scale" (C×1×1), stochastic depth, plus the input. The Sequential "block" keeps
// torchvision's indices: 0 conv, 1 permute, 2 norm, 3 linear, 4 GELU, 5 linear, 6 permute.
#include <torch/nn/module.h>
#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/pimpl.h>

#include <cstdint>

namespace dw::imageclass {

class CNBlockImpl : public torch::nn::Module {
public:
    CNBlockImpl(int64_t channels, double layerScale, double stochasticDepthProb);
    torch::Tensor forward(torch::Tensor x);

private:
    torch::Tensor m_layerScale;
    torch::nn::Sequential m_block{nullptr};
    double m_stochasticDepthProb;
};
TORCH_MODULE(CNBlock);

}  // namespace dw::imageclass
