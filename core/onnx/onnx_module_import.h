#pragma once
// An ONNX file written by `deepwb export` (or any file with the same metadata_props) becomes a
// catalog module whose architecture is "onnx": model.onnx plus a module.json rebuilt from the
// file's metadata (task, labels, the module's inputs; a normalisation folded into the graph
// is not applied twice). The task plugin runs it with OpenCV's DNN module. The folder is
// written beside its final place, checked by the caller (the plugin loads it), and only then
// renamed into place: a failure leaves nothing in the catalog.
#include "core/catalog/module_manifest.h"
#include "core/util/result.h"

#include <QJsonObject>
#include <QString>

#include <functional>

namespace dw {

inline QString onnxArchitecture()
{
    return QStringLiteral("onnx");
}

struct OnnxImportRequest {
    QString file;       // the .onnx file
    QString moduleDir;  // where the module goes (must not exist)
    QString id;
    QString title;  // empty: the file's title, else the id
};

// The task the file's metadata names ("image-classification", ...), or an error saying that
// the file lacks the workbench's metadata.
Result<QString> onnxFileTask(const QString &file);

// check(stagedFolder) loads the staged module as the task will (OpenCV reads the graph, the
// output fits the labels); its error aborts the import. Returns {module, task, labels}.
Result<QJsonObject> importOnnxModule(const OnnxImportRequest &request,
                                     const std::function<Result<void>(const QString &stagedFolder)> &check);

}  // namespace dw
