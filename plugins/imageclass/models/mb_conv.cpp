#include "plugins/imageclass/models/mb_conv.h"

#include "plugins/imageclass/models/conv_norm_activation.h"
#include "plugins/imageclass/models/squeeze_excitation.h"
#include "plugins/imageclass/models/stochastic_depth.h"

#include <algorithm>

namespace dw::imageclass {

MBConvImpl::MBConvImpl(const MBConvOptions &options)
    : m_residual(options.stride == 1 && options.inChannels == options.outChannels),
      m_stochasticDepthProb(options.stochasticDepthProb)
{
    // torchvision rounds inChannels * ratio to a multiple of 8; for the channel counts of
    // EfficientNet-B0 (16, 24, 40, 80, 112, 192 times 6) the product already is one.
    const int64_t expanded = options.inChannels * options.expandRatio;
    torch::nn::Sequential block;
    if (expanded != options.inChannels)
        block->push_back(ConvNormActivation(options.inChannels, expanded,
                                            ConvNormOptions{.kernel = 1, .activation = Activation::SiLU}));
    block->push_back(ConvNormActivation(
        expanded, expanded,
        ConvNormOptions{
            .kernel = options.kernel, .stride = options.stride, .groups = expanded, .activation = Activation::SiLU}));
    // The squeeze width follows the block's input, not the expansion (as in the paper).
    block->push_back(SqueezeExcitation(expanded, std::max<int64_t>(1, options.inChannels / 4)));
    block->push_back(ConvNormActivation(expanded, options.outChannels,
                                        ConvNormOptions{.kernel = 1, .activation = Activation::None}));
    m_block = register_module("block", block);
}

torch::Tensor MBConvImpl::forward(torch::Tensor x)
{
    torch::Tensor result = m_block->forward(x);
    if (m_residual)
        result = stochasticDepth(result, m_stochasticDepthProb, is_training()) + x;
    return result;
}

}  // namespace dw::imageclass
