#include "plugins/imageclass/models/layer_norm_2d.h"

namespace dw::imageclass {

LayerNorm2dImpl::LayerNorm2dImpl(int64_t channels, double eps) : m_channels(channels), m_eps(eps)
{
    m_weight = register_parameter("weight", torch::ones({channels}));
    m_bias = register_parameter("bias", torch::zeros({channels}));
}

torch::Tensor LayerNorm2dImpl::forward(torch::Tensor x)
{
    // layer_norm normalises the trailing dimensions: move the channels last and back, as
    // torchvision does, so that the rounding matches too.
    x = torch::layer_norm(x.permute({0, 2, 3, 1}), {m_channels}, m_weight, m_bias, m_eps);
    return x.permute({0, 3, 1, 2});
}

}  // namespace dw::imageclass
