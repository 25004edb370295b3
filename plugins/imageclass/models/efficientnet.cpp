#include "plugins/imageclass/models/efficientnet.h"

#include "plugins/imageclass/models/conv_norm_activation.h"
#include "plugins/imageclass/models/mb_conv.h"
#include "plugins/imageclass/models/nested_sequential.h"

#include <torch/nn/init.h>
#include <torch/nn/modules/dropout.h>
#include <torch/nn/modules/linear.h>

#include <cmath>

namespace dw::imageclass {

namespace {
constexpr int64_t kMinImageSize = 32;
constexpr int64_t kStemChannels = 32;
constexpr int64_t kLastChannels = 1280;
constexpr double kDropout = 0.2;
// Of the last block; earlier blocks drop less, in proportion to their depth (torchvision).
constexpr double kStochasticDepthProb = 0.2;

// Table 1 of the EfficientNet paper, as torchvision's _efficientnet_conf for B0 (width and
// depth multipliers 1).
struct Stage {
    int64_t expandRatio, kernel, stride, channels, repeats;
};
constexpr Stage kStages[] = {{1, 3, 1, 16, 1},  {6, 3, 2, 24, 2},  {6, 5, 2, 40, 2}, {6, 3, 2, 80, 3},
                             {6, 5, 1, 112, 3}, {6, 5, 2, 192, 4}, {6, 3, 1, 320, 1}};
}  // namespace

EfficientNetImpl::EfficientNetImpl(ModelSpec spec) : ClassifierImpl(std::move(spec))
{
    torch::nn::Sequential features;
    features->push_back(ConvNormActivation(inChannels(), kStemChannels,
                                           ConvNormOptions{.kernel = 3, .stride = 2, .activation = Activation::SiLU}));
    int64_t totalBlocks = 0;
    for (const Stage &stage : kStages)
        totalBlocks += stage.repeats;
    int64_t channels = kStemChannels;
    int64_t blockIndex = 0;
    for (const Stage &stage : kStages) {
        NestedSequential blocks;  // one Sequential per stage: features.N.M.block...
        for (int64_t i = 0; i < stage.repeats; ++i, ++blockIndex) {
            blocks->push_back(MBConv(
                MBConvOptions{.inChannels = channels,
                              .outChannels = stage.channels,
                              .kernel = stage.kernel,
                              .stride = i == 0 ? stage.stride : 1,
                              .expandRatio = stage.expandRatio,
                              .stochasticDepthProb = kStochasticDepthProb * double(blockIndex) / double(totalBlocks)}));
            channels = stage.channels;
        }
        features->push_back(blocks);
    }
    features->push_back(
        ConvNormActivation(channels, kLastChannels, ConvNormOptions{.kernel = 1, .activation = Activation::SiLU}));
    m_features = register_module("features", features);
    m_classifier = register_module("classifier", makeClassifier(numClasses()));
    initConvAndNorm(*this);  // also zeroes the biases of the squeeze-and-excitation convolutions
}

torch::nn::Sequential EfficientNetImpl::makeClassifier(int64_t numClasses) const
{
    torch::nn::Linear linear(kLastChannels, numClasses);
    {
        torch::NoGradGuard noGrad;
        // torchvision's EfficientNet initialisation: the range shrinks with the number of classes.
        const double range = 1.0 / std::sqrt(double(numClasses));
        torch::nn::init::uniform_(linear->weight, -range, range);
        linear->bias.zero_();
    }
    return torch::nn::Sequential(torch::nn::Dropout(kDropout), linear);
}

torch::Tensor EfficientNetImpl::features(torch::Tensor x)
{
    checkInput(x, kMinImageSize);
    return m_features->forward(x);
}

torch::Tensor EfficientNetImpl::head(torch::Tensor featureMap)
{
    return m_classifier->forward(torch::adaptive_avg_pool2d(featureMap, {1, 1}).flatten(1));
}

void EfficientNetImpl::replaceHead(int64_t numClasses)
{
    // The dropout before the linear layer has no state: a new one is the same.
    m_classifier = swapHead("classifier", makeClassifier(numClasses), numClasses);
}

}  // namespace dw::imageclass
