#include "core/onnx/onnx_module_metadata.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace dw {

QString onnxJsonText(const QJsonValue &value)
{
    // QJsonDocument holds arrays and objects only: wrap, then strip the brackets.
    const QByteArray text = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
    return QString::fromUtf8(text.mid(1, text.size() - 2));
}

QMap<QString, QString> moduleOnnxMetadata(const ModuleManifest &manifest)
{
    QMap<QString, QString> metadata;
    metadata.insert(QStringLiteral("module_id"), manifest.id);
    metadata.insert(QStringLiteral("module_version"), manifest.version);
    metadata.insert(QStringLiteral("license"), manifest.license);
    metadata.insert(QStringLiteral("task"), manifest.task);
    metadata.insert(QStringLiteral("architecture"), manifest.architecture);
    metadata.insert(QStringLiteral("title"), manifest.title);
    metadata.insert(QStringLiteral("created_with"), manifest.createdWith);
    metadata.insert(QStringLiteral("inputs"), onnxJsonText(manifest.inputs));
    return metadata;
}

}  // namespace dw
