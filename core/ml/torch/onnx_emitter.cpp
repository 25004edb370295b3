#include "core/ml/torch/onnx_emitter.h"

#include <torch/nn/modules/activation.h>
#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/modules/dropout.h>
#include <torch/nn/modules/pixelshuffle.h>
#include <torch/nn/modules/pooling.h>
#include <torch/torch.h>

#include <cmath>

namespace dw::ml {

namespace {

std::vector<int64_t> shapeOf(const torch::Tensor &t)
{
    return t.sizes().vec();
}

Error noEmitter(const torch::nn::Module &module, const std::string &path)
{
    return failure(QStringLiteral("cannot export layer '%1' (%2) to ONNX: the workbench has no ONNX emitter for it")
                       .arg(QString::fromStdString(path.empty() ? std::string("(the network)") : path),
                            QString::fromStdString(module.name())));
}

template <class Impl>
Impl *as(torch::nn::Module &module)
{
    return dynamic_cast<Impl *>(&module);
}

}  // namespace

std::string childPath(const std::string &path, const std::string &child)
{
    return path.empty() ? child : path + "." + child;
}

torch::nn::Module *namedChild(torch::nn::Module &parent, const std::string &name)
{
    for (const auto &item : parent.named_children())
        if (item.key() == name)
            return item.value().get();
    return nullptr;
}

OnnxEmitter::OnnxEmitter(OnnxGraph &graph) : m_graph(graph)
{
    using torch::nn::Module;
    auto sequence = [](OnnxEmitter &e, Module &m, const OnnxValue &in, const std::string &path) {
        return e.emitSequence(m, in, path);
    };
    add<torch::nn::SequentialImpl>(sequence);
    add<torch::nn::Conv2dImpl>([](OnnxEmitter &e, Module &m, const OnnxValue &in, const std::string &path) {
        return e.conv2d(*as<torch::nn::Conv2dImpl>(m), nullptr, in, path);
    });
    add<torch::nn::BatchNorm2dImpl>(
        [](OnnxEmitter &e, Module &m, const OnnxValue &in, const std::string &path) -> Result<OnnxValue> {
            return e.batchNorm(*as<torch::nn::BatchNorm2dImpl>(m), in, path);
        });
    add<torch::nn::LinearImpl>(
        [](OnnxEmitter &e, Module &m, const OnnxValue &in, const std::string &path) -> Result<OnnxValue> {
            return e.linear(*as<torch::nn::LinearImpl>(m), in, path);
        });
    add<torch::nn::ReLUImpl>([](OnnxEmitter &e, Module &, const OnnxValue &in,
                                const std::string &path) -> Result<OnnxValue> { return e.relu(in, path); });
    add<torch::nn::ReLU6Impl>(
        [](OnnxEmitter &e, Module &, const OnnxValue &in, const std::string &path) -> Result<OnnxValue> {
            return e.clip(in, 0.0f, 6.0f, path);
        });
    add<torch::nn::HardtanhImpl>(
        [](OnnxEmitter &e, Module &m, const OnnxValue &in, const std::string &path) -> Result<OnnxValue> {
            const auto &options = as<torch::nn::HardtanhImpl>(m)->options;
            return e.clip(in, float(options.min_val()), float(options.max_val()), path);
        });
    add<torch::nn::SiLUImpl>([](OnnxEmitter &e, Module &, const OnnxValue &in,
                                const std::string &path) -> Result<OnnxValue> { return e.silu(in, path); });
    add<torch::nn::GELUImpl>(
        [](OnnxEmitter &e, Module &m, const OnnxValue &in, const std::string &path) -> Result<OnnxValue> {
            if (as<torch::nn::GELUImpl>(m)->options.approximate() != "none")
                return failure(QStringLiteral("cannot export layer '%1' to ONNX: only the exact GELU (approximate "
                                              "'none') has an emitter")
                                   .arg(QString::fromStdString(path)));
            return e.gelu(in, path);
        });
    add<torch::nn::SigmoidImpl>([](OnnxEmitter &e, Module &, const OnnxValue &in,
                                   const std::string &path) -> Result<OnnxValue> { return e.sigmoid(in, path); });
    add<torch::nn::TanhImpl>(
        [](OnnxEmitter &e, Module &, const OnnxValue &in, const std::string &path) -> Result<OnnxValue> {
            return e.node("Tanh", {in.name}, torch::tanh(in.sample), childPath(path, "tanh"));
        });
    auto identity = [](OnnxEmitter &, Module &, const OnnxValue &in, const std::string &) -> Result<OnnxValue> {
        return in;  // Dropout and Identity do nothing in eval mode
    };
    add<torch::nn::DropoutImpl>(identity);
    add<torch::nn::IdentityImpl>(identity);
    add<torch::nn::FlattenImpl>(
        [](OnnxEmitter &e, Module &m, const OnnxValue &in, const std::string &path) -> Result<OnnxValue> {
            const auto &options = as<torch::nn::FlattenImpl>(m)->options;
            if (options.start_dim() != 1 || (options.end_dim() != -1 && options.end_dim() != in.sample.dim() - 1))
                return failure(QStringLiteral("cannot export layer '%1' to ONNX: only Flatten from dimension 1 to "
                                              "the last has an emitter")
                                   .arg(QString::fromStdString(path)));
            return e.flatten(in, path);
        });
    add<torch::nn::MaxPool2dImpl>(
        [](OnnxEmitter &e, Module &m, const OnnxValue &in, const std::string &path) -> Result<OnnxValue> {
            const auto &o = as<torch::nn::MaxPool2dImpl>(m)->options;
            const auto k = *o.kernel_size(), s = *o.stride(), p = *o.padding(), d = *o.dilation();
            if (k[0] != k[1] || s[0] != s[1] || p[0] != p[1] || d[0] != 1 || d[1] != 1 || o.ceil_mode())
                return failure(QStringLiteral("cannot export layer '%1' to ONNX: only square max pooling without "
                                              "dilation or ceil mode has an emitter")
                                   .arg(QString::fromStdString(path)));
            return e.maxPool(in, k[0], s[0], p[0], path);
        });
    add<torch::nn::PixelShuffleImpl>(
        [](OnnxEmitter &e, Module &m, const OnnxValue &in, const std::string &path) -> Result<OnnxValue> {
            const int64_t factor = as<torch::nn::PixelShuffleImpl>(m)->options.upscale_factor();
            // PyTorch's pixel shuffle is DepthToSpace in its column-row-depth order.
            return e.node("DepthToSpace", {in.name}, torch::pixel_shuffle(in.sample, factor),
                          childPath(path, "pixel_shuffle"), {{"blocksize", factor}, {"mode", std::string("CRD")}});
        });
    add<torch::nn::AdaptiveAvgPool2dImpl>(
        [](OnnxEmitter &e, Module &m, const OnnxValue &in, const std::string &path) -> Result<OnnxValue> {
            const auto size = *as<torch::nn::AdaptiveAvgPool2dImpl>(m)->options.output_size();
            const int64_t h = size[0].value_or(in.sample.size(2)), w = size[1].value_or(in.sample.size(3));
            return e.adaptiveAvgPool(in, h, w, path);
        });
}

Result<OnnxValue> OnnxEmitter::emit(torch::nn::Module &module, const OnnxValue &in, const std::string &path)
{
    const auto found = m_emitters.find(std::type_index(typeid(module)));
    if (found == m_emitters.end())
        return noEmitter(module, path);
    try {
        torch::NoGradGuard noGrad;
        return found->second(*this, module, in, path);
    } catch (const std::exception &e) {
        return failure(QStringLiteral("cannot export layer '%1' (%2) to ONNX: %3")
                           .arg(QString::fromStdString(path), QString::fromStdString(module.name()),
                                QString::fromUtf8(e.what()).section(QLatin1Char('\n'), 0, 0)));
    }
}

Result<OnnxValue> OnnxEmitter::emitChild(torch::nn::Module &parent, const std::string &child, const OnnxValue &in,
                                         const std::string &path)
{
    if (torch::nn::Module *found = namedChild(parent, child))
        return emit(*found, in, childPath(path, child));
    return failure(QStringLiteral("cannot export '%1' to ONNX: it has no layer '%2'")
                       .arg(QString::fromStdString(path), QString::fromStdString(child)));
}

Result<OnnxValue> OnnxEmitter::emitSequence(torch::nn::Module &container, const OnnxValue &in, const std::string &path)
{
    const auto children = container.named_children();
    OnnxValue x = in;
    for (size_t i = 0; i < children.size(); ++i) {
        torch::nn::Module &layer = *children[i].value();
        const std::string here = childPath(path, children[i].key());
        if (auto *conv = as<torch::nn::Conv2dImpl>(layer); conv && i + 1 < children.size()) {
            if (auto *norm = as<torch::nn::BatchNorm2dImpl>(*children[i + 1].value())) {
                torch::NoGradGuard noGrad;
                Result<OnnxValue> folded = conv2d(*conv, norm, x, here);
                if (!folded)
                    return folded.error();
                x = *folded;
                ++i;
                continue;
            }
        }
        Result<OnnxValue> next = emit(layer, x, here);
        if (!next)
            return next.error();
        x = *next;
    }
    return x;
}

OnnxValue OnnxEmitter::node(const std::string &op, const std::vector<std::string> &inputs, torch::Tensor sample,
                            const std::string &hint, const std::vector<OnnxAttribute> &attributes)
{
    return {m_graph.node(op, inputs, hint, attributes), std::move(sample)};
}

std::string OnnxEmitter::constant(const torch::Tensor &tensor, const std::string &hint)
{
    const torch::Tensor values = tensor.detach().to(torch::kCPU, torch::kFloat32).contiguous();
    return m_graph.floats(hint, shapeOf(values), values.data_ptr<float>());
}

Result<OnnxValue> OnnxEmitter::conv2d(torch::nn::Conv2dImpl &conv, torch::nn::BatchNorm2dImpl *foldedNorm,
                                      const OnnxValue &in, const std::string &path)
{
    const auto &o = conv.options;
    const auto *padding = c10::get_if<torch::ExpandingArray<2>>(&o.padding());
    if (!padding || !c10::holds_alternative<torch::enumtype::kZeros>(o.padding_mode()))
        return failure(QStringLiteral("cannot export layer '%1' to ONNX: only convolutions with explicit zero "
                                      "padding have an emitter")
                           .arg(QString::fromStdString(path)));
    torch::Tensor weight = conv.weight.detach().to(torch::kFloat32);
    torch::Tensor bias =
        conv.bias.defined() ? conv.bias.detach().to(torch::kFloat32) : torch::zeros({weight.size(0)}, weight.options());
    torch::Tensor sample = conv.forward(in.sample);
    if (foldedNorm) {
        // y = gamma * (conv(x) - mean) / sqrt(var + eps) + beta, as one convolution.
        const torch::Tensor factor =
            foldedNorm->weight.detach().to(torch::kFloat32) /
            torch::sqrt(foldedNorm->running_var.to(torch::kFloat32) + foldedNorm->options.eps());
        weight = weight * factor.view({-1, 1, 1, 1});
        bias = (bias - foldedNorm->running_mean.to(torch::kFloat32)) * factor +
               foldedNorm->bias.detach().to(torch::kFloat32);
        sample = foldedNorm->forward(sample);
    }
    const auto k = *o.kernel_size(), s = *o.stride(), d = *o.dilation(), p = **padding;
    const std::string name = m_graph.node(
        "Conv", {in.name, constant(weight, childPath(path, "weight")), constant(bias, childPath(path, "bias"))},
        path.empty() ? "conv" : path,
        {{"kernel_shape", std::vector<int64_t>{k[0], k[1]}},
         {"strides", std::vector<int64_t>{s[0], s[1]}},
         {"pads", std::vector<int64_t>{p[0], p[1], p[0], p[1]}},
         {"dilations", std::vector<int64_t>{d[0], d[1]}},
         {"group", int64_t(o.groups())}});
    return OnnxValue{name, sample};
}

OnnxValue OnnxEmitter::batchNorm(torch::nn::BatchNorm2dImpl &norm, const OnnxValue &in, const std::string &path)
{
    const int64_t channels = norm.running_mean.size(0);
    const torch::Tensor gamma = norm.weight.defined() ? norm.weight : torch::ones({channels});
    const torch::Tensor beta = norm.bias.defined() ? norm.bias : torch::zeros({channels});
    return node("BatchNormalization",
                {in.name, constant(gamma, childPath(path, "weight")), constant(beta, childPath(path, "bias")),
                 constant(norm.running_mean, childPath(path, "running_mean")),
                 constant(norm.running_var, childPath(path, "running_var"))},
                norm.forward(in.sample), path, {{"epsilon", float(norm.options.eps())}});
}

OnnxValue OnnxEmitter::linear(torch::nn::LinearImpl &layer, const OnnxValue &in, const std::string &path)
{
    std::vector<std::string> inputs{in.name, constant(layer.weight, childPath(path, "weight"))};
    if (layer.bias.defined())
        inputs.push_back(constant(layer.bias, childPath(path, "bias")));
    return node("Gemm", inputs, layer.forward(in.sample), path, {{"transB", int64_t(1)}});
}

OnnxValue OnnxEmitter::linearOverChannels(torch::nn::LinearImpl &layer, const OnnxValue &in, const std::string &path)
{
    const torch::Tensor weight = layer.weight.detach().unsqueeze(-1).unsqueeze(-1);
    std::vector<std::string> inputs{in.name, constant(weight, childPath(path, "weight"))};
    if (layer.bias.defined())
        inputs.push_back(constant(layer.bias, childPath(path, "bias")));
    const torch::Tensor sample = layer.forward(in.sample.permute({0, 2, 3, 1})).permute({0, 3, 1, 2});
    return node("Conv", inputs, sample, path,
                {{"kernel_shape", std::vector<int64_t>{1, 1}},
                 {"strides", std::vector<int64_t>{1, 1}},
                 {"pads", std::vector<int64_t>{0, 0, 0, 0}}});
}

OnnxValue OnnxEmitter::layerNormOverChannels(const OnnxValue &in, const torch::Tensor &weight,
                                             const torch::Tensor &bias, double eps, const std::string &path)
{
    const int64_t channels = in.sample.size(1);
    const std::vector<OnnxAttribute> pointwise{{"kernel_shape", std::vector<int64_t>{1, 1}},
                                               {"strides", std::vector<int64_t>{1, 1}},
                                               {"pads", std::vector<int64_t>{0, 0, 0, 0}}};
    const std::string average =
        constant(torch::full({channels, channels, 1, 1}, 1.0 / double(channels)), childPath(path, "channel_mean"));
    const std::string mean = m_graph.node("Conv", {in.name, average}, childPath(path, "mean"), pointwise);
    const std::string centred = m_graph.node("Sub", {in.name, mean}, childPath(path, "centred"));
    const std::string squared = m_graph.node("Mul", {centred, centred}, childPath(path, "squared"));
    const std::string variance = m_graph.node("Conv", {squared, average}, childPath(path, "variance"), pointwise);
    const std::string epsilon = m_graph.floats(childPath(path, "eps"), {1}, std::vector<float>{float(eps)});
    const std::string deviation = m_graph.node(
        "Sqrt", {m_graph.node("Add", {variance, epsilon}, childPath(path, "variance_eps"))}, childPath(path, "std"));
    const std::string normalised = m_graph.node("Div", {centred, deviation}, childPath(path, "normalised"));
    const std::string scaled = m_graph.node(
        "Mul", {normalised, constant(weight.view({-1, 1, 1}), childPath(path, "weight"))}, childPath(path, "scaled"));
    const torch::Tensor sample =
        torch::layer_norm(in.sample.permute({0, 2, 3, 1}), {channels}, weight, bias, eps).permute({0, 3, 1, 2});
    return node("Add", {scaled, constant(bias.view({-1, 1, 1}), childPath(path, "bias"))}, sample, path);
}

OnnxValue OnnxEmitter::relu(const OnnxValue &in, const std::string &path)
{
    return node("Relu", {in.name}, torch::relu(in.sample), childPath(path, "relu"));
}

OnnxValue OnnxEmitter::clip(const OnnxValue &in, float low, float high, const std::string &path)
{
    // max(x, low) = low + relu(x - low); min(y, high) = high - relu(high - y). Written with
    // Relu, Add and Mul by constants: OpenCV 4.6 reads Clip only in its opset-6 form (min and
    // max as attributes), and Min/Max only between two tensors.
    const std::string here = childPath(path, "clip");
    auto scalar = [&](const char *name, float value) {
        return m_graph.floats(here + "." + name, {1}, std::vector<float>{value});
    };
    std::string y = in.name;
    if (low != 0.0f)
        y = m_graph.node("Add", {y, scalar("minus_low", -low)}, here + ".shifted");
    y = m_graph.node("Relu", {y}, here + ".above_low");
    if (low != 0.0f)
        y = m_graph.node("Add", {y, scalar("low", low)}, here + ".at_least_low");
    const std::string minusOne = scalar("minus_one", -1.0f);
    const std::string highValue = scalar("high", high);
    const std::string headroom = m_graph.node(
        "Relu",
        {m_graph.node("Add", {m_graph.node("Mul", {y, minusOne}, here + ".negated"), highValue}, here + ".room")},
        here + ".headroom");
    return node("Add", {m_graph.node("Mul", {headroom, minusOne}, here + ".minus_headroom"), highValue},
                torch::clamp(in.sample, low, high), here);
}

OnnxValue OnnxEmitter::sigmoid(const OnnxValue &in, const std::string &path)
{
    return node("Sigmoid", {in.name}, torch::sigmoid(in.sample), childPath(path, "sigmoid"));
}

OnnxValue OnnxEmitter::silu(const OnnxValue &in, const std::string &path)
{
    const OnnxValue gate = sigmoid(in, childPath(path, "silu"));
    return node("Mul", {in.name, gate.name}, torch::silu(in.sample), childPath(path, "silu"));
}

OnnxValue OnnxEmitter::gelu(const OnnxValue &in, const std::string &path)
{
    // x * 0.5 * (1 + erf(x / sqrt(2))): the exact GELU (ONNX has no Gelu before opset 20).
    const std::string root2 = m_graph.floats(childPath(path, "sqrt2"), {1}, std::vector<float>{float(std::sqrt(2.0))});
    const std::string one = m_graph.floats(childPath(path, "one"), {1}, std::vector<float>{1.0f});
    const std::string half = m_graph.floats(childPath(path, "half"), {1}, std::vector<float>{0.5f});
    const std::string erf = m_graph.node("Erf", {m_graph.node("Div", {in.name, root2}, childPath(path, "gelu_in"))},
                                         childPath(path, "erf"));
    const std::string gate = m_graph.node("Add", {erf, one}, childPath(path, "erf1"));
    const std::string product = m_graph.node("Mul", {in.name, gate}, childPath(path, "gelu_x"));
    return node("Mul", {product, half}, torch::gelu(in.sample), childPath(path, "gelu"));
}

OnnxValue OnnxEmitter::add(const OnnxValue &a, const OnnxValue &b, const std::string &path)
{
    return node("Add", {a.name, b.name}, a.sample + b.sample, childPath(path, "add"));
}

OnnxValue OnnxEmitter::mul(const OnnxValue &a, const OnnxValue &b, const std::string &path)
{
    return node("Mul", {a.name, b.name}, a.sample * b.sample, childPath(path, "mul"));
}

OnnxValue OnnxEmitter::scale(const OnnxValue &in, const torch::Tensor &factor, const std::string &path)
{
    return node("Mul", {in.name, constant(factor, childPath(path, "scale"))}, in.sample * factor.detach(),
                childPath(path, "scaled"));
}

OnnxValue OnnxEmitter::flatten(const OnnxValue &in, const std::string &path)
{
    return node("Flatten", {in.name}, in.sample.flatten(1), childPath(path, "flatten"), {{"axis", int64_t(1)}});
}

OnnxValue OnnxEmitter::maxPool(const OnnxValue &in, int64_t kernel, int64_t stride, int64_t padding,
                               const std::string &path)
{
    return node("MaxPool", {in.name}, torch::max_pool2d(in.sample, kernel, stride, padding), childPath(path, "maxpool"),
                {{"kernel_shape", std::vector<int64_t>{kernel, kernel}},
                 {"strides", std::vector<int64_t>{stride, stride}},
                 {"pads", std::vector<int64_t>{padding, padding, padding, padding}}});
}

OnnxValue OnnxEmitter::adaptiveAvgPool(const OnnxValue &in, int64_t outH, int64_t outW, const std::string &path)
{
    const torch::Tensor sample = torch::adaptive_avg_pool2d(in.sample, {outH, outW});
    const std::string here = childPath(path, "avgpool");
    if (outH == 1 && outW == 1)
        return node("GlobalAveragePool", {in.name}, sample, here);
    const int64_t h = in.sample.size(2), w = in.sample.size(3);
    if (h % outH == 0 && w % outW == 0) {
        const int64_t kh = h / outH, kw = w / outW;
        return node("AveragePool", {in.name}, sample, here,
                    {{"kernel_shape", std::vector<int64_t>{kh, kw}}, {"strides", std::vector<int64_t>{kh, kw}}});
    }
    // Bins of unequal size (7 -> 4: [0,2) [1,4) [3,6) [5,7)): one average per bin.
    std::vector<OnnxValue> rows;
    for (int64_t i = 0; i < outH; ++i) {
        const int64_t h0 = (i * h) / outH, h1 = ((i + 1) * h + outH - 1) / outH;
        const OnnxValue band = slice(in, 2, h0, h1, here);
        std::vector<OnnxValue> cells;
        for (int64_t j = 0; j < outW; ++j) {
            const int64_t w0 = (j * w) / outW, w1 = ((j + 1) * w + outW - 1) / outW;
            const OnnxValue cell = slice(band, 3, w0, w1, here);
            cells.push_back(node("GlobalAveragePool", {cell.name}, cell.sample.mean({2, 3}, true), here + "_bin"));
        }
        rows.push_back(concat(cells, 3, here));
    }
    OnnxValue pooled = concat(rows, 2, here);
    pooled.sample = sample;
    return pooled;
}

OnnxValue OnnxEmitter::slice(const OnnxValue &in, int64_t axis, int64_t start, int64_t end, const std::string &path)
{
    const std::string starts = m_graph.int64s(childPath(path, "start"), {start});
    const std::string ends = m_graph.int64s(childPath(path, "end"), {end});
    const std::string axes = m_graph.int64s(childPath(path, "axis"), {axis});
    const int64_t size = in.sample.size(axis);
    const int64_t from = start < 0 ? size + start : start;
    const int64_t to = std::min(end < 0 ? size + end : end, size);
    return node("Slice", {in.name, starts, ends, axes}, in.sample.narrow(axis, from, to - from),
                childPath(path, "slice"));
}

OnnxValue OnnxEmitter::concat(const std::vector<OnnxValue> &parts, int64_t axis, const std::string &path)
{
    std::vector<std::string> names;
    std::vector<torch::Tensor> samples;
    for (const OnnxValue &part : parts) {
        names.push_back(part.name);
        samples.push_back(part.sample);
    }
    return node("Concat", names, torch::cat(samples, axis), childPath(path, "concat"), {{"axis", axis}});
}

}  // namespace dw::ml
