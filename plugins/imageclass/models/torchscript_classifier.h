#pragma once
// A classifier brought by the user as a TorchScript archive (architecture "torchscript"):
// any network scripted or traced in PyTorch that maps N×C×H×W images to N×K logits.
//
// Its parameters and buffers are mirrored, tensor for tensor and under the same names, into
// this nn::Module, so that everything written for our own networks works on it unchanged:
// the optimiser trains the scripted model's own tensors, checkpoints and best-epoch restores
// go through stateDict(), train()/eval() reach the script. saveScript() writes the model back
// as TorchScript with its current weights.
//
// Grad-CAM needs the last feature map, which a script does not expose. At load the model's
// children are searched for a split forward(x) == head(features(x)) — a "features" child and a
// "classifier"/"fc"/"head" child (torchvision's VGG, MobileNet, EfficientNet, ConvNeXt and most
// hand-written CNNs), or a run of children ending in pooling and linear layers (torchvision's
// ResNets) — and a split is kept only if it reproduces forward() on a probe batch. Without one,
// features() is the input itself and hasFeatureMap() is false: saliency from input gradients.
#include "plugins/imageclass/models/classifier.h"

#include <torch/script.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace dw::imageclass {

class TorchScriptClassifierImpl : public ClassifierImpl {
public:
    // spec.architecture is "torchscript"; spec.inChannels/imageSize the inputs the module
    // declares and spec.numClasses its labels: a probe batch checks the model takes them and
    // returns N×numClasses logits. nullptr and *error set otherwise.
    static std::shared_ptr<TorchScriptClassifierImpl> load(const std::string &path, const ModelSpec &spec,
                                                           std::string *error);

    torch::Tensor forward(torch::Tensor x) override;
    torch::Tensor features(torch::Tensor x) override;
    torch::Tensor head(torch::Tensor featureMap) override;
    bool hasFeatureMap() const override { return m_split != Split::None; }
    // The child holding the last linear layer; "" when none was found (then only freeze
    // "full" applies).
    std::string headName() const override { return m_headName; }
    std::vector<std::string> lastStagePrefixes() const override { return m_lastStage; }
    // A script's head cannot be rebuilt for other classes: the same count is kept as it is,
    // another count throws c10::Error saying so.
    void replaceHead(int64_t numClasses) override;
    void train(bool on = true) override;
    // The script moves as a whole (attributes that are neither parameters nor buffers too);
    // the mirrored tensors are the same ones.
    void to(torch::Device device, torch::Dtype dtype, bool nonBlocking = false) override;
    void to(torch::Dtype dtype, bool nonBlocking = false) override;
    void to(torch::Device device, bool nonBlocking = false) override;

    // Reorders the outputs: new output i is old output order[i] (the rows of the last linear
    // layer). False with *error when no last linear layer with numClasses rows was found.
    bool permuteOutputs(const std::vector<int64_t> &order, std::string *error);
    // Writes the script with its current weights (atomically).
    bool saveScript(const std::string &path, std::string *error) const;
    // How features() and head() split the model, in words (for logs and tests).
    std::string splitDescription() const;

private:
    enum class Split { None, FeaturesAndClassifier, ChildSequence };
    using Stage = std::function<torch::Tensor(const torch::Tensor &)>;

    explicit TorchScriptClassifierImpl(ModelSpec spec, torch::jit::Module module);
    void mirror();
    void findSplit(const torch::Tensor &probe, const torch::Tensor &logits);
    bool trySplit(const Stage &features, const Stage &head, const torch::Tensor &probe, const torch::Tensor &logits);

    torch::jit::Module m_module;
    Split m_split = Split::None;
    Stage m_features, m_head;
    std::string m_headName, m_description = "none";
    std::vector<std::string> m_lastStage;
};
TORCH_MODULE(TorchScriptClassifier);

}  // namespace dw::imageclass
