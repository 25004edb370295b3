#pragma once
// torchvision's ConvNeXt-Tiny: features.0 the 4×4 stride-4 stem (convolution and
// LayerNorm2d), features.1/3/5/7 the stages of CNBlocks (3, 3, 9, 3 blocks of 96, 192, 384,
// 768 channels), features.2/4/6 the downsampling (LayerNorm2d, 2×2 stride-2 convolution);
// classifier.0 a LayerNorm2d, classifier.2 the linear layer; any number of input channels
// and classes.
#include "plugins/imageclass/models/classifier.h"
#include "plugins/imageclass/models/layer_norm_2d.h"

#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/pimpl.h>

namespace dw::imageclass {

class ConvNeXtImpl : public ClassifierImpl {
public:
    explicit ConvNeXtImpl(ModelSpec spec);

    torch::Tensor features(torch::Tensor x) override;
    // Pools to N×768×1×1 first: the classifier's LayerNorm2d normalises the pooled channels.
    torch::Tensor head(torch::Tensor featureMap) override;
    std::string headName() const override { return "classifier"; }
    // The last downsampling and the last stage (768 channels).
    std::vector<std::string> lastStagePrefixes() const override { return {"features.6.", "features.7."}; }
    // A new classifier.2; the LayerNorm2d at classifier.0 keeps its (trained) values.
    void replaceHead(int64_t numClasses) override;

private:
    torch::nn::Sequential makeClassifier(int64_t numClasses) const;

    torch::nn::Sequential m_features{nullptr};
    LayerNorm2d m_headNorm{nullptr};
    torch::nn::Sequential m_classifier{nullptr};
};
TORCH_MODULE(ConvNeXt);

}  // namespace dw::imageclass
