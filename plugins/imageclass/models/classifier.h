#pragma once
// The one interface that training, evaluation, Grad-CAM and transfer learning see, whatever
// the architecture behind it. Parameter and buffer names follow torchvision so that state
// dicts exchange with PyTorch (see state_dict.h).
#include <torch/nn/module.h>
#include <torch/types.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace dw::imageclass {

struct ModelSpec {
    std::string architecture;  // one of architectures() (model_factory.h)
    int64_t inChannels = 3;
    int64_t numClasses = 10;
    int64_t imageSize = 224;  // the side the model is trained at; any size >= the minimum runs
};

class ClassifierImpl : public torch::nn::Module {
public:
    explicit ClassifierImpl(ModelSpec spec) : m_spec(std::move(spec)) {}

    // Always head(features(x)). x: N×C×H×W, float, C == spec().inChannels.
    virtual torch::Tensor forward(torch::Tensor x) { return head(features(x)); }
    // The last convolutional feature map, N×C×h×w: what Grad-CAM differentiates against.
    virtual torch::Tensor features(torch::Tensor x) = 0;
    // Adaptive average pooling and the classifier: feature map -> logits N×numClasses.
    virtual torch::Tensor head(torch::Tensor featureMap) = 0;
    // The child holding the classifier ("fc" or "classifier"): every parameter whose name
    // starts with headName() + "." is trained in freeze mode "head"; replaceHead() renews its
    // last linear layer (ConvNeXt keeps the layer norm in front of it).
    virtual std::string headName() const = 0;
    // Name prefixes of the last stage before the head ({"layer4."} for ResNets), trained
    // together with the head in freeze mode "partial".
    virtual std::vector<std::string> lastStagePrefixes() const = 0;
    // A freshly initialised classifier for numClasses outputs, on the device and dtype of the
    // old one; nothing else changes.
    virtual void replaceHead(int64_t numClasses) = 0;
    // False when features() is the input itself (a network brought from elsewhere whose last
    // feature map could not be found): saliency then comes from input gradients, not Grad-CAM.
    virtual bool hasFeatureMap() const { return true; }
    // False when no gradient flows through the network (an ONNX graph run by OpenCV): no heat
    // maps, no training.
    virtual bool differentiable() const { return true; }

    const ModelSpec &spec() const { return m_spec; }
    const std::string &architecture() const { return m_spec.architecture; }
    int64_t numClasses() const { return m_spec.numClasses; }
    int64_t inChannels() const { return m_spec.inChannels; }

protected:
    // Rejects input the network cannot take with a message naming what it got.
    void checkInput(const torch::Tensor &x, int64_t minSize) const;
    void setNumClasses(int64_t numClasses) { m_spec.numClasses = numClasses; }
    // replaceHead()'s common part: the new head (a module holder) takes the child `name`'s
    // place on the network's device and dtype, in its training mode; returns it.
    template <class Head>
    Head swapHead(const std::string &name, Head head, int64_t numClasses)
    {
        const auto options = parameters().front().options();
        head->to(options.device(), options.dtype().toScalarType());
        head->train(is_training());
        setNumClasses(numClasses);
        return replace_module(name, head);
    }

private:
    ModelSpec m_spec;
};

}  // namespace dw::imageclass
