#pragma once
// One network written to one ONNX file: the graph's input, the nodes its emitters make, its
// output and metadata, checked by the ONNX checker and shape inference, then written
// atomically. Any error (a layer without an emitter, a failed check) leaves no file.
#include "core/ml/torch/onnx_emitter.h"

#include <QJsonObject>
#include <QMap>
#include <QString>

#include <functional>

namespace dw::ml {

struct OnnxExportSpec {
    std::string graphName;
    std::vector<OnnxDim> inputDims;   // "input"
    std::vector<OnnxDim> outputDims;  // "output"
    torch::Tensor sample;             // an input of batch 1 (CPU, float) that the emitters trace
    QMap<QString, QString> metadata;  // metadata_props
    QString description;              // the model's doc_string
};

struct OnnxExportReport {
    int nodes = 0;
    qint64 bytes = 0;
    torch::Tensor sampleOutput;  // LibTorch's output on the sample, as the emitters computed it
};

// The network's nodes from `input`; extra layer emitters are registered in `layers` first.
using OnnxBody = std::function<Result<OnnxValue>(OnnxEmitter &, const OnnxValue &input)>;

// What the task plugins return for an export: {path, format, opset, nodes, bytes, extra...}.
QJsonObject onnxExportSummary(const OnnxExportReport &report, const QString &path, const QJsonObject &extra = {});

// The refusal for a module brought as TorchScript (a compiled program, not our layers).
Error torchScriptNotExportable(const QString &moduleId);

Result<OnnxExportReport> exportOnnx(const OnnxExportSpec &spec, const std::function<void(OnnxEmitter &)> &layers,
                                    const OnnxBody &body, const QString &path);

}  // namespace dw::ml
