#include "plugins/timeseries/export/onnx_forecaster_export.h"

#include "core/ml/torch/module_weights.h"
#include "core/ml/torch/onnx_export.h"
#include "core/ml/torch/onnx_recurrent.h"
#include "core/onnx/onnx_module_metadata.h"
#include "plugins/timeseries/data/forecast_module.h"
#include "plugins/timeseries/models/forecaster.h"

#include <torch/torch.h>

#include <QJsonArray>

namespace dw::timeseries {

namespace {

torch::nn::Module *child(torch::nn::Module &parent, const std::string &name)
{
    return ml::namedChild(parent, name);
}

// A Conv1d over N×F×W written as a Conv2d over N×1×W×F (first layer: kernel 3×F) or over
// N×C×W×1 (later layers): no Transpose of the window is needed.
ml::OnnxValue conv1dAs2d(ml::OnnxEmitter &e, torch::nn::Conv1dImpl &conv, const ml::OnnxValue &in, bool first,
                         const std::string &path)
{
    const auto &o = conv.options;
    const int64_t dilation = (*o.dilation())[0];
    const int64_t padding = (*c10::get<torch::ExpandingArray<1>>(o.padding()))[0];
    torch::Tensor weight = conv.weight.detach();  // out × in × 3
    torch::Tensor sample;
    if (first) {
        weight = weight.permute({0, 2, 1}).unsqueeze(1);  // out × 1 × 3 × F
        sample = conv.forward(in.sample.squeeze(1).transpose(1, 2)).unsqueeze(-1);
    } else {
        weight = weight.unsqueeze(-1);  // out × in × 3 × 1
        sample = conv.forward(in.sample.squeeze(-1)).unsqueeze(-1);
    }
    return e.node("Conv",
                  {in.name, e.constant(weight, ml::childPath(path, "weight")),
                   e.constant(conv.bias, ml::childPath(path, "bias"))},
                  sample, path,
                  {{"kernel_shape", std::vector<int64_t>{weight.size(2), weight.size(3)}},
                   {"strides", std::vector<int64_t>{1, 1}},
                   {"pads", std::vector<int64_t>{padding, 0, padding, 0}},
                   {"dilations", std::vector<int64_t>{dilation, 1}}});
}

Result<ml::OnnxValue> convBody(ml::OnnxEmitter &e, torch::nn::Module &network, const ml::OnnxValue &input)
{
    auto *convs = child(network, "convs");
    auto *head = child(network, "head");
    if (!convs || !head)
        return failure(QStringLiteral("cannot export the CNN forecaster: its layers 'convs' and 'head' are missing"));
    // N×W×F -> N×1×W×F
    ml::OnnxValue x =
        e.node("Unsqueeze", {input.name}, input.sample.unsqueeze(1), "window_map", {{"axes", std::vector<int64_t>{1}}});
    bool first = true;
    for (const auto &item : convs->named_children()) {
        const std::string path = "convs." + item.key();
        if (auto *conv = item.value()->as<torch::nn::Conv1d>()) {
            x = conv1dAs2d(e, *conv, x, first, path);
            first = false;
        } else {
            Result<ml::OnnxValue> next = e.emit(*item.value(), x, path);
            if (!next)
                return next.error();
            x = *next;
        }
    }
    return e.linear(*head->as<torch::nn::Linear>(), e.flatten(x, "convs"), "head");
}

}  // namespace

Result<ml::OnnxValue> emitForecaster(ml::OnnxEmitter &e, ForecasterImpl &network, const ml::OnnxValue &input)
{
    const ForecasterSpec &spec = network.spec();
    Result<ml::OnnxValue> body = failure(QString());
    if (spec.kind == "mlp") {
        body = e.emitChild(network, "layers", e.flatten(input, "window"), "");
    } else if (spec.kind == "cnn") {
        body = convBody(e, network, input);
    } else if (auto *recurrent = child(network, spec.kind == "gru" ? "gru" : "lstm")) {
        Result<ml::OnnxValue> last = ml::emitRecurrentLastStep(e, *recurrent, input, spec.kind);
        if (!last)
            return last.error();
        body = e.linear(*child(network, "head")->as<torch::nn::Linear>(), *last, "head");
    } else {
        return failure(QStringLiteral("cannot export a '%1' forecaster to ONNX: the workbench has no emitter for it")
                           .arg(QString::fromStdString(spec.kind)));
    }
    if (!body)
        return body.error();
    ml::OnnxValue out = *body;  // N × H·T
    if (spec.residual) {
        // + the last observed value of each target: a fixed selection from the flat window.
        torch::Tensor select = torch::zeros({spec.horizon * spec.targets, spec.window * spec.features});
        for (int64_t h = 0; h < spec.horizon; ++h)
            for (int64_t t = 0; t < spec.targets; ++t)
                select[h * spec.targets + t][(spec.window - 1) * spec.features + t] = 1.0f;
        const ml::OnnxValue flat = e.flatten(input, "residual");
        const ml::OnnxValue last = e.node("Gemm", {flat.name, e.constant(select, "residual.select")},
                                          flat.sample.matmul(select.t()), "residual.last", {{"transB", int64_t(1)}});
        out = e.add(out, last, "residual");
    }
    const torch::Tensor sample = network.forward(input.sample);
    return e.node("Reshape", {out.name, e.graph().int64s("forecast_shape", {-1, spec.horizon, spec.targets})}, sample,
                  "forecast");
}

Result<TaskResult> exportForecasterOnnx(const QString &moduleDir, const QString &output)
{
    Result<ForecastModule> module = readForecastModule(moduleDir);
    if (!module)
        return module.error();
    Result<ForecasterPtr> network = createForecaster(module->network);
    if (!network)
        return network.error();
    if (Result<void> loaded = ml::ModuleWeights::load(**network, module->weightsPath(), torch::kCPU); !loaded)
        return loaded.error();
    (*network)->eval();
    const ForecasterSpec &spec = module->network;

    ml::OnnxExportSpec exportSpec;
    exportSpec.graphName = module->manifest.id.toStdString();
    exportSpec.inputDims = {{-1, "batch"}, {spec.window, {}}, {spec.features, {}}};
    exportSpec.outputDims = {{-1, "batch"}, {spec.horizon, {}}, {spec.targets, {}}};
    exportSpec.sample = torch::randn({1, spec.window, spec.features});
    exportSpec.description = QStringLiteral("%1: forecasts the next %2 steps of %3 from the last %4 (scaled) steps")
                                 .arg(module->manifest.title)
                                 .arg(spec.horizon)
                                 .arg(module->targets.join(QStringLiteral(", ")))
                                 .arg(spec.window);
    exportSpec.metadata = moduleOnnxMetadata(module->manifest);
    exportSpec.metadata.insert(QStringLiteral("window"), QString::number(spec.window));
    exportSpec.metadata.insert(QStringLiteral("horizon"), QString::number(spec.horizon));
    exportSpec.metadata.insert(QStringLiteral("targets"), onnxJsonText(QJsonArray::fromStringList(module->targets)));
    exportSpec.metadata.insert(QStringLiteral("features"),
                               onnxJsonText(QJsonArray::fromStringList(module->featureNames())));
    exportSpec.metadata.insert(QStringLiteral("scaling"), onnxJsonText(module->space.toJson()));
    exportSpec.metadata.insert(QStringLiteral("input_layout"), QStringLiteral("batch x window x features"));
    if (module->manifest.extra.contains(QStringLiteral("anomaly")))  // the alert thresholds, per target
        exportSpec.metadata.insert(QStringLiteral("anomaly"),
                                   onnxJsonText(module->manifest.extra.value(QStringLiteral("anomaly"))));
    exportSpec.metadata.insert(QStringLiteral("output_layout"), QStringLiteral("batch x horizon x targets"));

    ForecasterImpl &net = **network;
    Result<ml::OnnxExportReport> report = ml::exportOnnx(
        exportSpec, {}, [&net](ml::OnnxEmitter &e, const ml::OnnxValue &in) { return emitForecaster(e, net, in); },
        output);
    if (!report)
        return report.error();
    return TaskResult{JsonResult{ml::onnxExportSummary(*report, output)}};
}

}  // namespace dw::timeseries
