#include "plugins/imageclass/models/small_cnn.h"

#include "plugins/imageclass/models/conv_norm_activation.h"

#include <torch/nn/modules/dropout.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/modules/pooling.h>

namespace dw::imageclass {

namespace {
constexpr int64_t kLastChannels = 128;
constexpr int64_t kPooledSide = 4;  // keeps where things are, unlike global pooling
}  // namespace

SmallCNNImpl::SmallCNNImpl(ModelSpec spec, double dropout) : ClassifierImpl(std::move(spec)), m_dropout(dropout)
{
    m_features =
        register_module("features", torch::nn::Sequential(ConvNormActivation(inChannels(), 32), torch::nn::MaxPool2d(2),
                                                          ConvNormActivation(32, 64), torch::nn::MaxPool2d(2),
                                                          ConvNormActivation(64, kLastChannels)));
    m_classifier = register_module("classifier", makeClassifier(numClasses()));
    initConvAndNorm(*this);
}

torch::nn::Sequential SmallCNNImpl::makeClassifier(int64_t numClasses) const
{
    return torch::nn::Sequential(torch::nn::Dropout(m_dropout),
                                 torch::nn::Linear(kLastChannels * kPooledSide * kPooledSide, numClasses));
}

torch::Tensor SmallCNNImpl::features(torch::Tensor x)
{
    checkInput(x, kMinImageSize);
    return m_features->forward(x);
}

torch::Tensor SmallCNNImpl::head(torch::Tensor featureMap)
{
    return m_classifier->forward(torch::adaptive_avg_pool2d(featureMap, {kPooledSide, kPooledSide}).flatten(1));
}

void SmallCNNImpl::replaceHead(int64_t numClasses)
{
    m_classifier = swapHead("classifier", makeClassifier(numClasses), numClasses);
}

}  // namespace dw::imageclass
