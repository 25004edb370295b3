#pragma once
// torchvision's EfficientNet-B0: features.0 the stem, features.1 ... features.7 the MBConv
// stages, features.8 the 1×1 convolution to 1280 channels; classifier.1 the linear layer
// after dropout; any number of input channels and classes.
#include "plugins/imageclass/models/classifier.h"

#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/pimpl.h>

namespace dw::imageclass {

class EfficientNetImpl : public ClassifierImpl {
public:
    explicit EfficientNetImpl(ModelSpec spec);

    torch::Tensor features(torch::Tensor x) override;
    torch::Tensor head(torch::Tensor featureMap) override;
    std::string headName() const override { return "classifier"; }
    // The last MBConv stage (320 channels) and the 1×1 convolution to 1280.
    std::vector<std::string> lastStagePrefixes() const override { return {"features.7.", "features.8."}; }
    void replaceHead(int64_t numClasses) override;

private:
    torch::nn::Sequential makeClassifier(int64_t numClasses) const;

    torch::nn::Sequential m_features{nullptr};
    torch::nn::Sequential m_classifier{nullptr};
};
TORCH_MODULE(EfficientNet);

}  // namespace dw::imageclass
