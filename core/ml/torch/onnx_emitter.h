#pragma once
// LibTorch modules written as ONNX nodes: one emitter per layer kind, looked up by the
// module's C++ type. Each emitted value carries the tensor LibTorch computes for the same
// step on a sample input (OnnxValue::sample), which gives every emitter the sizes it needs
// (an adaptive pooling's bins, a flatten's width). A layer without an emitter is an error
// that names it; nothing is written then (the caller writes the file only when all is emitted).
#include "core/onnx/onnx_graph.h"
#include "core/util/result.h"

#include <torch/nn/module.h>
#include <torch/nn/modules/batchnorm.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/modules/linear.h>
#include <torch/types.h>

#include <functional>
#include <string>
#include <typeindex>
#include <unordered_map>

namespace dw::ml {

struct OnnxValue {
    std::string name;      // the ONNX tensor
    torch::Tensor sample;  // what LibTorch computes for it on the sample input
};

class OnnxEmitter {
public:
    // (emitter, the module, its input, its path in the network: "layer1.0") -> its output
    using LayerEmitter =
        std::function<Result<OnnxValue>(OnnxEmitter &, torch::nn::Module &, const OnnxValue &, const std::string &)>;

    // Knows the standard layers: Sequential, Conv2d, BatchNorm2d, Linear, ReLU, ReLU6 (as
    // Hardtanh 0..6), SiLU, GELU, Sigmoid, Tanh, Dropout, Identity, Flatten, MaxPool2d,
    // AdaptiveAvgPool2d, PixelShuffle (DepthToSpace).
    explicit OnnxEmitter(OnnxGraph &graph);

    template <class Impl>
    void add(LayerEmitter emitter)
    {
        m_emitters[std::type_index(typeid(Impl))] = std::move(emitter);
    }

    OnnxGraph &graph() { return m_graph; }

    // The nodes of `module` applied to `in` (the module must be in eval mode).
    Result<OnnxValue> emit(torch::nn::Module &module, const OnnxValue &in, const std::string &path);
    // The named child of `parent`.
    Result<OnnxValue> emitChild(torch::nn::Module &parent, const std::string &child, const OnnxValue &in,
                                const std::string &path);
    // The children of a container in order; a Conv2d followed by a BatchNorm2d becomes one
    // Conv with the normalisation folded into its weights.
    Result<OnnxValue> emitSequence(torch::nn::Module &container, const OnnxValue &in, const std::string &path);

    // Building blocks; each computes its sample with LibTorch.
    OnnxValue node(const std::string &op, const std::vector<std::string> &inputs, torch::Tensor sample,
                   const std::string &hint, const std::vector<OnnxAttribute> &attributes = {});
    // A float initializer with the tensor's shape and values.
    std::string constant(const torch::Tensor &tensor, const std::string &hint);
    Result<OnnxValue> conv2d(torch::nn::Conv2dImpl &conv, torch::nn::BatchNorm2dImpl *foldedNorm, const OnnxValue &in,
                             const std::string &path);
    OnnxValue batchNorm(torch::nn::BatchNorm2dImpl &norm, const OnnxValue &in, const std::string &path);
    OnnxValue linear(torch::nn::LinearImpl &linear, const OnnxValue &in, const std::string &path);
    // A Linear applied to the channels of an N×C×H×W map (what x.permute(0,2,3,1) ->
    // Linear -> permute back computes), written as a 1×1 Conv.
    OnnxValue linearOverChannels(torch::nn::LinearImpl &linear, const OnnxValue &in, const std::string &path);
    // LayerNorm over the channels of an N×C×H×W map. The means are 1×1 convolutions with
    // weights 1/C (OpenCV 4.6 cannot broadcast a ReduceMean over channels back).
    OnnxValue layerNormOverChannels(const OnnxValue &in, const torch::Tensor &weight, const torch::Tensor &bias,
                                    double eps, const std::string &path);
    OnnxValue relu(const OnnxValue &in, const std::string &path);
    OnnxValue clip(const OnnxValue &in, float low, float high, const std::string &path);
    OnnxValue sigmoid(const OnnxValue &in, const std::string &path);
    OnnxValue silu(const OnnxValue &in, const std::string &path);
    OnnxValue gelu(const OnnxValue &in, const std::string &path);
    OnnxValue add(const OnnxValue &a, const OnnxValue &b, const std::string &path);
    OnnxValue mul(const OnnxValue &a, const OnnxValue &b, const std::string &path);
    // in * factor, factor a constant that broadcasts as in LibTorch (C×1×1 for a map).
    OnnxValue scale(const OnnxValue &in, const torch::Tensor &factor, const std::string &path);
    OnnxValue flatten(const OnnxValue &in, const std::string &path);
    OnnxValue maxPool(const OnnxValue &in, int64_t kernel, int64_t stride, int64_t padding, const std::string &path);
    // adaptive_avg_pool2d to outH×outW, exact for the sample's size: GlobalAveragePool for
    // 1×1, AveragePool when the bins tile the map, else one average per bin, concatenated.
    OnnxValue adaptiveAvgPool(const OnnxValue &in, int64_t outH, int64_t outW, const std::string &path);
    // x[..., start:end] along axis (a Slice with constant bounds).
    OnnxValue slice(const OnnxValue &in, int64_t axis, int64_t start, int64_t end, const std::string &path);
    OnnxValue concat(const std::vector<OnnxValue> &parts, int64_t axis, const std::string &path);

private:
    OnnxGraph &m_graph;
    std::unordered_map<std::type_index, LayerEmitter> m_emitters;
};

// "layer1.0.conv1" from a path and a child name.
std::string childPath(const std::string &path, const std::string &child);
// The direct child of that name, nullptr when there is none.
torch::nn::Module *namedChild(torch::nn::Module &parent, const std::string &name);
// The same child as Impl; throws std::runtime_error naming it when it is missing or of
// another kind (the emitters' callers turn that into an error value).
template <class Impl>
Impl &namedChildAs(torch::nn::Module &parent, const std::string &name)
{
    auto *typed = dynamic_cast<Impl *>(namedChild(parent, name));
    if (!typed)
        throw std::runtime_error("the layer '" + name + "' is missing or of another kind");
    return *typed;
}

}  // namespace dw::ml
