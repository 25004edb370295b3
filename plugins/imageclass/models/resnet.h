#pragma once
// torchvision's ResNet-18/34/50 with its parameter names (conv1, bn1, layer1.0.conv1, ...,
// layer1.0.downsample.0, fc), any number of input channels and classes.
#include "plugins/imageclass/models/classifier.h"

#include <torch/nn/modules/batchnorm.h>
#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/pimpl.h>

#include <array>
#include <cstdint>
#include <optional>
#include <string>

namespace dw::imageclass {

enum class ResNetBlock { Basic, Bottleneck };

struct ResNetLayout {
    ResNetBlock block = ResNetBlock::Basic;
    std::array<int64_t, 4> blocks{2, 2, 2, 2};
};

class ResNetImpl : public ClassifierImpl {
public:
    // The layout of "resnet18", "resnet34" or "resnet50"; nullopt for other names.
    static std::optional<ResNetLayout> layoutFor(const std::string &architecture);

    ResNetImpl(ModelSpec spec, ResNetLayout layout, bool zeroInitResidual = false);

    torch::Tensor features(torch::Tensor x) override;
    torch::Tensor head(torch::Tensor featureMap) override;
    std::string headName() const override { return "fc"; }
    std::vector<std::string> lastStagePrefixes() const override { return {"layer4."}; }
    void replaceHead(int64_t numClasses) override;

private:
    torch::nn::Sequential makeLayer(int64_t planes, int64_t blocks, int64_t stride);

    ResNetLayout m_layout;
    int64_t m_inPlanes = 64;
    torch::nn::Conv2d m_conv1{nullptr};
    torch::nn::BatchNorm2d m_bn1{nullptr};
    torch::nn::Sequential m_layer1{nullptr}, m_layer2{nullptr}, m_layer3{nullptr}, m_layer4{nullptr};
    torch::nn::Linear m_fc{nullptr};
};
TORCH_MODULE(ResNet);

}  // namespace dw::imageclass
