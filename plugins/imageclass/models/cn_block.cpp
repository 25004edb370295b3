#include "plugins/imageclass/models/cn_block.h"

#include "plugins/imageclass/models/permute.h"
#include "plugins/imageclass/models/stochastic_depth.h"

#include <torch/nn/modules/activation.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/modules/normalization.h>

namespace dw::imageclass {

namespace {
constexpr double kLayerNormEps = 1e-6;
constexpr int64_t kExpansion = 4;
}  // namespace

CNBlockImpl::CNBlockImpl(int64_t channels, double layerScale, double stochasticDepthProb)
    : m_stochasticDepthProb(stochasticDepthProb)
{
    m_layerScale = register_parameter("layer_scale", torch::full({channels, 1, 1}, layerScale));
    // The linear layers act on the channels-last view: a 1×1 convolution in effect, but with
    // torchvision's Linear weight shapes ([4C, C], not [4C, C, 1, 1]).
    m_block = register_module(
        "block", torch::nn::Sequential(
                     torch::nn::Conv2d(torch::nn::Conv2dOptions(channels, channels, 7).padding(3).groups(channels)),
                     Permute(std::vector<int64_t>{0, 2, 3, 1}),
                     torch::nn::LayerNorm(torch::nn::LayerNormOptions({channels}).eps(kLayerNormEps)),
                     torch::nn::Linear(channels, kExpansion * channels), torch::nn::GELU(),
                     torch::nn::Linear(kExpansion * channels, channels), Permute(std::vector<int64_t>{0, 3, 1, 2})));
}

torch::Tensor CNBlockImpl::forward(torch::Tensor x)
{
    const torch::Tensor branch = m_layerScale * m_block->forward(x);
    return stochasticDepth(branch, m_stochasticDepthProb, is_training()) + x;
}

}  // namespace dw::imageclass
