#pragma once
// torchvision's MobileNetV2 (width 1.0): features.0 ... features.18, classifier.1 the linear
// layer after dropout; any number of input channels and classes.
#include "plugins/imageclass/models/classifier.h"

#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/pimpl.h>

namespace dw::imageclass {

class MobileNetV2Impl : public ClassifierImpl {
public:
    explicit MobileNetV2Impl(ModelSpec spec, double dropout = 0.2);

    torch::Tensor features(torch::Tensor x) override;
    torch::Tensor head(torch::Tensor featureMap) override;
    std::string headName() const override { return "classifier"; }
    // The last inverted residual (320 channels) and the 1×1 convolution to 1280.
    std::vector<std::string> lastStagePrefixes() const override { return {"features.17.", "features.18."}; }
    void replaceHead(int64_t numClasses) override;

private:
    torch::nn::Sequential makeClassifier(int64_t numClasses) const;

    double m_dropout;
    torch::nn::Sequential m_features{nullptr};
    torch::nn::Sequential m_classifier{nullptr};
};
TORCH_MODULE(MobileNetV2);

}  // namespace dw::imageclass
