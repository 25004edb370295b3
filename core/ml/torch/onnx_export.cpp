#include "core/ml/torch/onnx_export.h"

#include <torch/torch.h>

namespace dw::ml {

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
