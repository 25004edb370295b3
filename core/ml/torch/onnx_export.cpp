#include "core/ml/torch/onnx_export.h"

#include <torch/torch.h>

namespace dw::ml {

QJsonObject onnxExportSummary(const OnnxExportReport &report, const QString &path, const QJsonObject &extra)
{
    QJsonObject summary = extra;
    summary.insert(QStringLiteral("path"), path);
    summary.insert(QStringLiteral("format"), QStringLiteral("onnx"));
    summary.insert(QStringLiteral("opset"), qint64(kOnnxOpset));
    summary.insert(QStringLiteral("nodes"), report.nodes);
    summary.insert(QStringLiteral("bytes"), report.bytes);
    return summary;
}

Error torchScriptNotExportable(const QString &moduleId)
{
    return failure(QStringLiteral("module %1 is a TorchScript model brought from PyTorch: its layers are a compiled "
                                  "program the workbench cannot write as ONNX layer by layer. Export it to ONNX in "
                                  "PyTorch (torch.onnx.export) from the code that made it.")
                       .arg(moduleId));
}

Result<OnnxExportReport> exportOnnx(const OnnxExportSpec &spec, const std::function<void(OnnxEmitter &)> &layers,
                                    const OnnxBody &body, const QString &path)
{
    OnnxGraph graph(spec.graphName);
    graph.setProducer(QStringLiteral("DEEP Workbench"), QStringLiteral(DW_VERSION));
    graph.setDocString(spec.description);
    for (auto it = spec.metadata.begin(); it != spec.metadata.end(); ++it)
        graph.setMetadata(it.key(), it.value());
    graph.addInput("input", spec.inputDims);
    OnnxEmitter emitter(graph);
    if (layers)
        layers(emitter);
    torch::NoGradGuard noGrad;
    Result<OnnxValue> out = body(emitter, OnnxValue{"input", spec.sample.to(torch::kCPU, torch::kFloat32)});
    if (!out)
        return out.error();
    if (out->name == "input")
        return failure(QStringLiteral("the network does nothing to its input: there is no graph to export"));
    graph.addOutput(out->name, "output", spec.outputDims);
    Result<QByteArray> bytes = graph.serialized();
    if (!bytes)
        return bytes.error();
    if (Result<void> written = writeOnnxFile(*bytes, path); !written)
        return written.error();
    return OnnxExportReport{graph.nodeCount(), qint64(bytes->size()), out->sample};
}

}  // namespace dw::ml
