#include "plugins/imageclass/models/convnext.h"

#include "plugins/imageclass/models/cn_block.h"
#include "plugins/imageclass/models/nested_sequential.h"

#include <torch/nn/modules/conv.h>
#include <torch/nn/modules/linear.h>

#include <cmath>
#include <iterator>

namespace dw::imageclass {

namespace {
constexpr int64_t kMinImageSize = 32;
constexpr double kLayerScale = 1e-6;
// Of the last block; earlier blocks drop less, in proportion to their depth (torchvision).
constexpr double kStochasticDepthProb = 0.1;
constexpr double kInitStd = 0.02;

struct Stage {
    int64_t channels, blocks;
};
constexpr Stage kStages[] = {{96, 3}, {192, 3}, {384, 9}, {768, 3}};
constexpr int64_t kLastChannels = 768;

// torch.nn.init.trunc_normal_(std=0.02, a=-2, b=2) as PyTorch computes it (inverse CDF of a
// uniform draw), which LibTorch 1.13 lacks. With bounds at ±100 std the truncation hardly
// ever bites, but the same formula keeps the distribution exactly torchvision's.
void truncNormal(torch::Tensor &t, double stddev, double low = -2.0, double high = 2.0)
{
    const auto cdf = [stddev](double x) { return (1.0 + std::erf(x / stddev / std::sqrt(2.0))) / 2.0; };
    t.uniform_(2.0 * cdf(low) - 1.0, 2.0 * cdf(high) - 1.0).erfinv_().mul_(stddev * std::sqrt(2.0)).clamp_(low, high);
}

// torchvision's ConvNeXt initialisation of every convolution and linear layer.
void initConvAndLinear(torch::nn::Module &module)
{
    torch::NoGradGuard noGrad;
    for (auto &child : module.modules(/*include_self=*/true)) {
        torch::Tensor *weight = nullptr, *bias = nullptr;
        if (auto *conv = child->as<torch::nn::Conv2d>()) {
            weight = &conv->weight;
            bias = &conv->bias;
        } else if (auto *linear = child->as<torch::nn::Linear>()) {
            weight = &linear->weight;
            bias = &linear->bias;
        } else {
            continue;
        }
        truncNormal(*weight, kInitStd);
        if (bias->defined())
            bias->zero_();
    }
}

torch::nn::Conv2d conv(int64_t in, int64_t out, int64_t kernelAndStride)
{
    return torch::nn::Conv2d(torch::nn::Conv2dOptions(in, out, kernelAndStride).stride(kernelAndStride));
}
}  // namespace

ConvNeXtImpl::ConvNeXtImpl(ModelSpec spec) : ClassifierImpl(std::move(spec))
{
    torch::nn::Sequential features;
    // torchvision's Conv2dNormActivation with a LayerNorm2d, no activation, and a bias.
    features->push_back(NestedSequential(conv(inChannels(), kStages[0].channels, 4), LayerNorm2d(kStages[0].channels)));
    int64_t totalBlocks = 0;
    for (const Stage &stage : kStages)
        totalBlocks += stage.blocks;
    int64_t blockIndex = 0;
    for (size_t s = 0; s < std::size(kStages); ++s) {
        const Stage &stage = kStages[s];
        NestedSequential blocks;
        for (int64_t i = 0; i < stage.blocks; ++i, ++blockIndex)  // from 0 to the full rate at the last
            blocks->push_back(CNBlock(stage.channels, kLayerScale,
                                      kStochasticDepthProb * double(blockIndex) / double(totalBlocks - 1)));
        features->push_back(blocks);
        if (s + 1 < std::size(kStages))
            features->push_back(
                NestedSequential(LayerNorm2d(stage.channels), conv(stage.channels, kStages[s + 1].channels, 2)));
    }
    m_features = register_module("features", features);
    m_headNorm = LayerNorm2d(kLastChannels);
    m_classifier = register_module("classifier", makeClassifier(numClasses()));
    initConvAndLinear(*m_features);
}

torch::nn::Sequential ConvNeXtImpl::makeClassifier(int64_t numClasses) const
{
    torch::nn::Linear linear(kLastChannels, numClasses);
    initConvAndLinear(*linear);
    return torch::nn::Sequential(m_headNorm, torch::nn::Flatten(), linear);
}

torch::Tensor ConvNeXtImpl::features(torch::Tensor x)
{
    checkInput(x, kMinImageSize);
    return m_features->forward(x);
}

torch::Tensor ConvNeXtImpl::head(torch::Tensor featureMap)
{
    return m_classifier->forward(torch::adaptive_avg_pool2d(featureMap, {1, 1}));
}

void ConvNeXtImpl::replaceHead(int64_t numClasses)
{
    m_classifier = swapHead("classifier", makeClassifier(numClasses), numClasses);  // shares m_headNorm
}

}  // namespace dw::imageclass
