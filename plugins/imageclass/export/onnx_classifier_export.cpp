#include "plugins/imageclass/export/onnx_classifier_export.h"

#include "core/ml/torch/onnx_export.h"
#include "core/onnx/onnx_module_metadata.h"
#include "plugins/imageclass/export/classifier_layers_onnx.h"
#include "plugins/imageclass/infer/loaded_classifier.h"
#include "plugins/imageclass/models/classifier.h"

#include <torch/torch.h>

#include <QJsonArray>
#include <QJsonObject>

namespace dw::imageclass {

namespace {

QJsonArray numbers(const std::vector<double> &values)
{
    QJsonArray array;
    for (double v : values)
        array.append(v);
    return array;
}

QMap<QString, QString> classifierMetadata(const ClassifierModule &module, bool folded)
{
    QMap<QString, QString> metadata = moduleOnnxMetadata(module.manifest);
    metadata.insert(QStringLiteral("labels"), onnxJsonText(QJsonArray::fromStringList(module.labels)));
    metadata.insert(QStringLiteral("input_size"),
                    onnxJsonText(QJsonArray{module.channels, module.height, module.width}));
    metadata.insert(QStringLiteral("input_layout"), QStringLiteral("batch x channels x height x width"));
    metadata.insert(QStringLiteral("input_range"), QStringLiteral("[0, 1]"));
    metadata.insert(QStringLiteral("output_kind"), QStringLiteral("logits (softmax gives class probabilities)"));
    const bool normalised = !module.mean.empty();
    metadata.insert(QStringLiteral("normalization_mean"), onnxJsonText(numbers(module.mean)));
    metadata.insert(QStringLiteral("normalization_std"), onnxJsonText(numbers(module.std)));
    metadata.insert(QStringLiteral("normalization_in_graph"),
                    folded && normalised ? QStringLiteral("true") : QStringLiteral("false"));
    // QGIS Deepness: it divides pixels by 255, then standardises with these unless the graph does.
    QJsonObject classNames;
    for (qsizetype i = 0; i < module.labels.size(); ++i)
        classNames.insert(QString::number(i), module.labels.at(i));
    metadata.insert(QStringLiteral("model_type"), onnxJsonText(QStringLiteral("Recognition")));
    metadata.insert(QStringLiteral("class_names"), onnxJsonText(classNames));
    metadata.insert(QStringLiteral("tile_size"), QString::number(module.width));
    metadata.insert(QStringLiteral("tiles_size"), QString::number(module.width));
    metadata.insert(QStringLiteral("tiles_overlap"), QStringLiteral("0"));
    const std::vector<double> mean =
        normalised && !folded ? module.mean : std::vector<double>(size_t(module.channels), 0.0);
    const std::vector<double> std =
        normalised && !folded ? module.std : std::vector<double>(size_t(module.channels), 1.0);
    metadata.insert(QStringLiteral("standardization_mean"), onnxJsonText(numbers(mean)));
    metadata.insert(QStringLiteral("standardization_std"), onnxJsonText(numbers(std)));
    return metadata;
}

}  // namespace

Result<TaskResult> exportClassifierOnnx(const QString &moduleDir, const QString &output, bool foldNormalisation)
{
    Result<std::shared_ptr<LoadedClassifier>> loaded = LoadedClassifier::load(moduleDir, QStringLiteral("cpu"));
    if (!loaded)
        return loaded.error();
    const ClassifierModule &module = (*loaded)->module();
    if (module.architecture == torchScriptArchitecture())
        return ml::torchScriptNotExportable(module.manifest.id);
    ClassifierImpl &network = (*loaded)->model();
    const bool fold = foldNormalisation && !module.mean.empty();

    ml::OnnxExportSpec spec;
    spec.graphName = module.manifest.id.toStdString();
    spec.inputDims = {{-1, "batch"}, {module.channels, {}}, {module.height, {}}, {module.width, {}}};
    spec.outputDims = {{-1, "batch"}, {module.labels.size(), {}}};
    spec.sample = torch::rand({1, module.channels, module.height, module.width});
    spec.metadata = classifierMetadata(module, fold);
    spec.description = QStringLiteral("%1: %2 over %3 classes (%4); input %5x%6x%7 in [0, 1]%8, output logits")
                           .arg(module.manifest.title, module.architecture)
                           .arg(module.labels.size())
                           .arg(module.labels.join(QStringLiteral(", ")))
                           .arg(module.channels)
                           .arg(module.height)
                           .arg(module.width)
                           .arg(fold || module.mean.empty() ? QString() : QStringLiteral(", then normalised"));
    Result<ml::OnnxExportReport> report = ml::exportOnnx(
        spec, addClassifierLayers,
        [&](ml::OnnxEmitter &e, const ml::OnnxValue &in) -> Result<ml::OnnxValue> {
            if (!fold)
                return emitClassifier(e, network, in);
            // (x - mean) / std as x * (1 / std) + (-mean / std), per channel.
            const auto mean = torch::tensor(module.mean, torch::kFloat64).to(torch::kFloat32).view({-1, 1, 1});
            const auto std = torch::tensor(module.std, torch::kFloat64).to(torch::kFloat32).view({-1, 1, 1});
            const ml::OnnxValue scaled = e.scale(in, 1.0 / std, "normalize");
            const ml::OnnxValue shifted = e.node("Add", {scaled.name, e.constant(-mean / std, "normalize.shift")},
                                                 (in.sample - mean) / std, "normalize.shifted");
            return emitClassifier(e, network, shifted);
        },
        output);
    if (!report)
        return report.error();
    return TaskResult{
        JsonResult{ml::onnxExportSummary(*report, output, {{QStringLiteral("normalization_in_graph"), fold}})}};
}

}  // namespace dw::imageclass
