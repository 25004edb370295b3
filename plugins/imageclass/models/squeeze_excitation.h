#pragma once
// torchvision.ops.SqueezeExcitation as EfficientNet uses it: global average pool, 1×1
// convolution "fc1" down to the squeeze channels, SiLU, 1×1 convolution "fc2" back, sigmoid;
// the result re-weights the input's channels.
#include <torch/nn/module.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/pimpl.h>

#include <cstdint>

namespace dw::imageclass {

class SqueezeExcitationImpl : public torch::nn::Module {
public:
    SqueezeExcitationImpl(int64_t channels, int64_t squeezeChannels);
    torch::Tensor forward(torch::Tensor x);

private:
    torch::nn::Conv2d m_fc1{nullptr};
    torch::nn::Conv2d m_fc2{nullptr};
};
TORCH_MODULE(SqueezeExcitation);

}  // namespace dw::imageclass
