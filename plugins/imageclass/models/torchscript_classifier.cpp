#include "plugins/imageclass/models/torchscript_classifier.h"

#include "core/ml/torch/script_module.h"

#include <c10/util/Exception.h>

#include <QString>

#include <cmath>
#include <optional>
#include <sstream>

namespace dw::imageclass {

namespace {

// A scripted submodule seen as an nn::Module: its tensors are registered by the caller, and
// train()/eval() reach the script so that dropout and batch norm switch with the mirror.
class ScriptChild : public torch::nn::Module {
public:
    explicit ScriptChild(torch::jit::Module module) : m_module(std::move(module)) {}
    void train(bool on) override
    {
        torch::nn::Module::train(on);
        m_module.train(on);
    }

private:
    torch::jit::Module m_module;
};

void mirrorInto(torch::nn::Module &target, const torch::jit::Module &source)
{
    for (const auto &parameter : source.named_parameters(/*recurse=*/false))
        if (parameter.value.defined())
            target.register_parameter(parameter.name, parameter.value, parameter.value.requires_grad());
    for (const auto &buffer : source.named_buffers(/*recurse=*/false))
        if (buffer.value.defined())
            target.register_buffer(buffer.name, buffer.value);
    for (const auto &child : source.named_children()) {
        auto mirror = std::make_shared<ScriptChild>(child.value);
        mirrorInto(*mirror, child.value);
        target.register_module(child.name, mirror);
    }
}

// The last part of a scripted module's type name: "Linear" for
// "__torch__.torch.nn.modules.linear.___torch_mangle_3.Linear".
std::string kindOf(const torch::jit::Module &module)
{
    const std::string name = ml::scriptTypeName(module);
    const auto dot = name.rfind('.');
    return dot == std::string::npos ? name : name.substr(dot + 1);
}

bool isHeadLayer(const std::string &kind)
{
    for (const char *k :
         {"AdaptiveAvgPool2d", "AdaptiveMaxPool2d", "AvgPool2d", "Flatten", "Dropout", "Linear", "Identity"})
        if (kind == k)
            return true;
    return false;
}

bool hasParameters(const torch::jit::Module &module)
{
    return module.parameters(/*recurse=*/true).size() > 0;
}

std::string shapeText(const torch::Tensor &t)
{
    std::ostringstream text;
    text << t.sizes();
    return text.str();
}

// A fixed, smooth input: the probe must not depend on (or disturb) the random generators.
torch::Tensor probeBatch(const ModelSpec &spec)
{
    const int64_t side = std::max<int64_t>(spec.imageSize, 1);
    const int64_t count = 2 * spec.inChannels * side * side;
    return (torch::sin(torch::arange(count, torch::kFloat32) * 0.37) * 0.8).reshape({2, spec.inChannels, side, side});
}

}  // namespace

TorchScriptClassifierImpl::TorchScriptClassifierImpl(ModelSpec spec, torch::jit::Module module)
    : ClassifierImpl(std::move(spec)), m_module(std::move(module))
{}

void TorchScriptClassifierImpl::mirror()
{
    mirrorInto(*this, m_module);
}

std::shared_ptr<TorchScriptClassifierImpl> TorchScriptClassifierImpl::load(const std::string &path,
                                                                           const ModelSpec &spec, std::string *error)
{
    auto fail = [error](const std::string &message) -> std::shared_ptr<TorchScriptClassifierImpl> {
        if (error)
            *error = message;
        return nullptr;
    };
    Result<torch::jit::Module> loaded = ml::loadScriptModule(QString::fromStdString(path));
    if (!loaded)
        return fail(loaded.error().message.toStdString());
    std::shared_ptr<TorchScriptClassifierImpl> model(new TorchScriptClassifierImpl(spec, std::move(loaded).value()));
    try {
        model->mirror();
        model->eval();
        torch::NoGradGuard noGrad;
        const torch::Tensor probe = probeBatch(spec);
        torch::Tensor logits;
        try {
            logits = ml::runScriptModule(model->m_module, probe);
        } catch (const std::exception &e) {  // the interpreter's errors are not c10::Error
            return fail("the model fails on a batch of 2 images of " + std::to_string(spec.inChannels) +
                        " channel(s) at " + std::to_string(spec.imageSize) + "×" + std::to_string(spec.imageSize) +
                        " px: " + ml::scriptErrorText(e) +
                        ". Check the input size and the number of channels it was made for.");
        }
        if (logits.dim() != 2 || logits.size(0) != 2 || logits.size(1) != spec.numClasses)
            return fail("the model returns a tensor of shape " + shapeText(logits) + " for 2 images, but " +
                        std::to_string(spec.numClasses) + " labels were given: a classifier must return [2, " +
                        std::to_string(spec.numClasses) +
                        "] (one score per label). Check the labels file against the "
                        "model's outputs.");
        if (!torch::isfinite(logits).all().item<bool>())
            return fail("the model returns NaN or infinite scores on a test batch; it cannot be used as it is");
        model->findSplit(probe, logits.to(torch::kFloat32));
    } catch (const std::exception &e) {
        return fail("the model could not be prepared: " + ml::scriptErrorText(e));
    }
    return model;
}

torch::Tensor TorchScriptClassifierImpl::forward(torch::Tensor x)
{
    checkInput(x, 1);
    return ml::runScriptModule(m_module, x);
}

torch::Tensor TorchScriptClassifierImpl::features(torch::Tensor x)
{
    checkInput(x, 1);
    return m_split == Split::None ? x : m_features(x);
}

torch::Tensor TorchScriptClassifierImpl::head(torch::Tensor featureMap)
{
    return m_split == Split::None ? ml::runScriptModule(m_module, featureMap) : m_head(featureMap);
}

bool TorchScriptClassifierImpl::trySplit(const Stage &features, const Stage &head, const torch::Tensor &probe,
                                         const torch::Tensor &logits)
{
    try {
        const torch::Tensor map = features(probe);
        if (map.dim() != 4)
            return false;
        const torch::Tensor out = head(map);
        if (out.sizes() != logits.sizes())
            return false;
        const double scale = std::max(1.0, logits.abs().max().item<double>());
        return (out.to(torch::kFloat32) - logits).abs().max().item<double>() <= 1e-4 * scale;
    } catch (const std::exception &) {
        return false;  // this way of splitting does not fit the model: try the next
    }
}

void TorchScriptClassifierImpl::findSplit(const torch::Tensor &probe, const torch::Tensor &logits)
{
    auto call = [](torch::jit::Module module) -> Stage {
        return [module](const torch::Tensor &x) mutable { return ml::runScriptModule(module, x); };
    };
    std::vector<std::pair<std::string, torch::jit::Module>> children;
    for (const auto &child : m_module.named_children())
        children.emplace_back(child.name, child.value);
    auto childNamed = [&](const std::string &name) -> std::optional<torch::jit::Module> {
        for (const auto &[childName, module] : children)
            if (childName == name)
                return module;
        return std::nullopt;
    };

    // 1. features + classifier, with the pooling and flattening forward() does in between.
    if (const auto featureChild = childNamed("features")) {
        const Stage features = call(*featureChild);
        for (const char *headChild : {"classifier", "fc", "head"}) {
            const auto classifier = childNamed(headChild);
            if (!classifier)
                continue;
            const Stage run = call(*classifier);
            const std::vector<std::pair<std::string, Stage>> heads{
                {"average pooling, flatten",
                 [run](const torch::Tensor &f) {
                     return run(torch::adaptive_avg_pool2d(f, {1, 1}).flatten(1));
                 }},
                {"average pooling",
                 [run](const torch::Tensor &f) {
                     return run(torch::adaptive_avg_pool2d(f, {1, 1}));
                 }},
                {"flatten", [run](const torch::Tensor &f) { return run(f.flatten(1)); }},
                {"", run}};
            for (const auto &[between, head] : heads) {
                if (!trySplit(features, head, probe, logits))
                    continue;
                m_split = Split::FeaturesAndClassifier;
                m_features = features;
                m_head = head;
                m_headName = headChild;
                m_description = "features → " + (between.empty() ? std::string() : between + " → ") + headChild;
                const auto stages = featureChild->named_children();
                for (const auto &stage : stages)
                    if (hasParameters(stage.value))
                        m_lastStage = {"features." + stage.name + "."};
                return;
            }
        }
    }

    // 2. A run of children applied in order, ending in pooling/flatten/dropout/linear layers.
    size_t headStart = children.size();
    while (headStart > 0 && isHeadLayer(kindOf(children[headStart - 1].second)))
        --headStart;
    bool hasLinear = false;
    for (size_t i = headStart; i < children.size(); ++i)
        hasLinear = hasLinear || kindOf(children[i].second) == "Linear";
    if (headStart > 0 && headStart < children.size() && hasLinear) {
        std::vector<Stage> body, tail;
        std::vector<bool> tailIsLinear;
        for (size_t i = 0; i < children.size(); ++i) {
            (i < headStart ? body : tail).push_back(call(children[i].second));
            if (i >= headStart)
                tailIsLinear.push_back(kindOf(children[i].second) == "Linear");
        }
        const Stage features = [body](const torch::Tensor &x) {
            torch::Tensor y = x;
            for (const Stage &stage : body)
                y = stage(y);
            return y;
        };
        const Stage head = [tail, tailIsLinear](const torch::Tensor &f) {
            torch::Tensor y = f;
            for (size_t i = 0; i < tail.size(); ++i)
                y = tail[i](tailIsLinear[i] && y.dim() > 2 ? y.flatten(1) : y);
            return y;
        };
        if (trySplit(features, head, probe, logits)) {
            m_split = Split::ChildSequence;
            m_features = features;
            m_head = head;
            for (size_t i = headStart; i < children.size(); ++i)
                if (kindOf(children[i].second) == "Linear")
                    m_headName = children[i].first;
            for (size_t i = 0; i < headStart; ++i)
                if (hasParameters(children[i].second))
                    m_lastStage = {children[i].first + "."};
            m_description = "children up to " + children[headStart - 1].first + " → " + children.back().first;
            return;
        }
    }

    // 3. No feature map: the head is whatever child holds the last layer with one row per class.
    for (const auto &parameter : m_module.named_parameters(/*recurse=*/true))
        if (parameter.value.dim() == 2 && parameter.value.size(0) == numClasses())
            m_headName = parameter.name.substr(0, parameter.name.find('.'));
    if (m_headName.find('.') != std::string::npos || m_headName == "weight" || m_headName == "bias")
        m_headName.clear();
}

void TorchScriptClassifierImpl::replaceHead(int64_t numClasses)
{
    TORCH_CHECK(numClasses == this->numClasses(), "a TorchScript model keeps its own classifier: it was imported for ",
                this->numClasses(), " classes and cannot be re-trained for ", numClasses,
                ". Fine-tune it on data with the same classes, or export a model for the new classes from PyTorch.");
}

void TorchScriptClassifierImpl::train(bool on)
{
    ClassifierImpl::train(on);
    m_module.train(on);
}

void TorchScriptClassifierImpl::to(torch::Device device, torch::Dtype dtype, bool nonBlocking)
{
    m_module.to(device, dtype, nonBlocking);
    ClassifierImpl::to(device, dtype, nonBlocking);
}

void TorchScriptClassifierImpl::to(torch::Dtype dtype, bool nonBlocking)
{
    m_module.to(dtype, nonBlocking);
    ClassifierImpl::to(dtype, nonBlocking);
}

void TorchScriptClassifierImpl::to(torch::Device device, bool nonBlocking)
{
    m_module.to(device, nonBlocking);
    ClassifierImpl::to(device, nonBlocking);
}

bool TorchScriptClassifierImpl::permuteOutputs(const std::vector<int64_t> &order, std::string *error)
{
    torch::Tensor weight, bias;
    std::string weightName;
    const std::string prefix = m_headName.empty() ? std::string() : m_headName + ".";
    for (const auto &[name, tensor] : named_parameters(/*recurse=*/true).pairs()) {
        if (name.rfind(prefix, 0) != 0 || tensor.dim() != 2 || tensor.size(0) != numClasses())
            continue;
        weight = tensor;
        weightName = name;
    }
    if (!weight.defined() || int64_t(order.size()) != numClasses()) {
        if (error)
            *error = "no last linear layer with one row per class was found in the TorchScript model, so its outputs "
                     "cannot be put in the order of the data's classes";
        return false;
    }
    const std::string biasName = weightName.substr(0, weightName.size() - std::string("weight").size()) + "bias";
    for (const auto &[name, tensor] : named_parameters(/*recurse=*/true).pairs())
        if (name == biasName && tensor.dim() == 1 && tensor.size(0) == numClasses())
            bias = tensor;
    torch::NoGradGuard noGrad;
    const torch::Tensor index = torch::tensor(order, torch::kInt64).to(weight.device());
    weight.copy_(weight.index_select(0, index));
    if (bias.defined())
        bias.copy_(bias.index_select(0, index));
    return true;
}

bool TorchScriptClassifierImpl::saveScript(const std::string &path, std::string *error) const
{
    const Result<void> saved = ml::saveScriptModule(m_module, QString::fromStdString(path));
    if (!saved && error)
        *error = saved.error().message.toStdString();
    return saved.ok();
}

std::string TorchScriptClassifierImpl::splitDescription() const
{
    return m_description;
}

}  // namespace dw::imageclass
