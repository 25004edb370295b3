#include "plugins/imageclass/models/inverted_residual.h"

#include "plugins/imageclass/models/conv_norm_activation.h"

#include <torch/nn/modules/batchnorm.h>
#include <torch/nn/modules/conv.h>

namespace dw::imageclass {

InvertedResidualImpl::InvertedResidualImpl(int64_t inChannels, int64_t outChannels, int64_t stride, int64_t expandRatio)
    : m_residual(stride == 1 && inChannels == outChannels)
{
    const int64_t hidden = inChannels * expandRatio;
    torch::nn::Sequential conv;
    if (expandRatio != 1)
        conv->push_back(
            ConvNormActivation(inChannels, hidden, ConvNormOptions{.kernel = 1, .activation = Activation::ReLU6}));
    conv->push_back(ConvNormActivation(
        hidden, hidden,
        ConvNormOptions{.kernel = 3, .stride = stride, .groups = hidden, .activation = Activation::ReLU6}));
    conv->push_back(torch::nn::Conv2d(torch::nn::Conv2dOptions(hidden, outChannels, 1).bias(false)));
    conv->push_back(torch::nn::BatchNorm2d(outChannels));
    m_conv = register_module("conv", conv);
}

torch::Tensor InvertedResidualImpl::forward(torch::Tensor x)
{
    return m_residual ? x + m_conv->forward(x) : m_conv->forward(x);
}

}  // namespace dw::imageclass
