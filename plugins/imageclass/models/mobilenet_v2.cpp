#include "plugins/imageclass/models/mobilenet_v2.h"

#include "plugins/imageclass/models/conv_norm_activation.h"
#include "plugins/imageclass/models/inverted_residual.h"

#include <torch/nn/init.h>
#include <torch/nn/modules/dropout.h>
#include <torch/nn/modules/linear.h>

namespace dw::imageclass {

namespace {
constexpr int64_t kMinImageSize = 32;
constexpr int64_t kFirstChannels = 32;
constexpr int64_t kLastChannels = 1280;

struct Stage {
    int64_t expandRatio, channels, repeats, stride;
};
constexpr Stage kStages[] = {{1, 16, 1, 1}, {6, 24, 2, 2},  {6, 32, 3, 2}, {6, 64, 4, 2},
                             {6, 96, 3, 1}, {6, 160, 3, 2}, {6, 320, 1, 1}};
}  // namespace

MobileNetV2Impl::MobileNetV2Impl(ModelSpec spec, double dropout) : ClassifierImpl(std::move(spec)), m_dropout(dropout)
{
    torch::nn::Sequential features;
    features->push_back(ConvNormActivation(inChannels(), kFirstChannels,
                                           ConvNormOptions{.kernel = 3, .stride = 2, .activation = Activation::ReLU6}));
    int64_t channels = kFirstChannels;
    for (const Stage &stage : kStages) {
        for (int64_t i = 0; i < stage.repeats; ++i) {
            features->push_back(
                InvertedResidual(channels, stage.channels, i == 0 ? stage.stride : 1, stage.expandRatio));
            channels = stage.channels;
        }
    }
    features->push_back(
        ConvNormActivation(channels, kLastChannels, ConvNormOptions{.kernel = 1, .activation = Activation::ReLU6}));
    m_features = register_module("features", features);
    m_classifier = register_module("classifier", makeClassifier(numClasses()));
    initConvAndNorm(*this);
}

torch::nn::Sequential MobileNetV2Impl::makeClassifier(int64_t numClasses) const
{
    torch::nn::Linear linear(kLastChannels, numClasses);
    {
        torch::NoGradGuard noGrad;
        torch::nn::init::normal_(linear->weight, 0.0, 0.01);
        linear->bias.zero_();
    }
    return torch::nn::Sequential(torch::nn::Dropout(m_dropout), linear);
}

torch::Tensor MobileNetV2Impl::features(torch::Tensor x)
{
    checkInput(x, kMinImageSize);
    return m_features->forward(x);
}

torch::Tensor MobileNetV2Impl::head(torch::Tensor featureMap)
{
    return m_classifier->forward(torch::adaptive_avg_pool2d(featureMap, {1, 1}).flatten(1));
}

void MobileNetV2Impl::replaceHead(int64_t numClasses)
{
    m_classifier = swapHead("classifier", makeClassifier(numClasses), numClasses);
}

}  // namespace dw::imageclass
