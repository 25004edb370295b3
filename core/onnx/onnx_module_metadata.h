#pragma once
// The metadata_props every exported module carries (ONNX keeps them as strings; lists and
// objects are JSON): the module's id, version, licence, task, architecture and title.
// The task plugins add their own keys (labels, input size, bands, window) and QGIS Deepness's.
#include "core/catalog/module_manifest.h"

#include <QJsonValue>
#include <QMap>
#include <QString>

namespace dw {

QMap<QString, QString> moduleOnnxMetadata(const ModuleManifest &manifest);
// A JSON value as the text ONNX metadata holds: compact JSON; a string keeps its quotes, as
// QGIS Deepness expects ("\"Superresolution\"").
QString onnxJsonText(const QJsonValue &value);

}  // namespace dw
