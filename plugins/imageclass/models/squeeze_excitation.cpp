#include "plugins/imageclass/models/squeeze_excitation.h"

namespace dw::imageclass {

SqueezeExcitationImpl::SqueezeExcitationImpl(int64_t channels, int64_t squeezeChannels)
{
    // With bias, unlike the convolutions followed by a batch norm.
    m_fc1 = register_module("fc1", torch::nn::Conv2d(torch::nn::Conv2dOptions(channels, squeezeChannels, 1)));
    m_fc2 = register_module("fc2", torch::nn::Conv2d(torch::nn::Conv2dOptions(squeezeChannels, channels, 1)));
}

torch::Tensor SqueezeExcitationImpl::forward(torch::Tensor x)
{
    torch::Tensor scale = m_fc1->forward(torch::adaptive_avg_pool2d(x, {1, 1}));
    scale = torch::sigmoid(m_fc2->forward(torch::silu(scale)));
    return scale * x;
}

}  // namespace dw::imageclass
