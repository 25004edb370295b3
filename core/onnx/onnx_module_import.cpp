#include "core/onnx/onnx_module_import.h"

#include "core/catalog/manifest_io.h"
#include "core/catalog/module_staging.h"
#include "core/catalog/trained_module.h"
#include "core/onnx/onnx_graph.h"

#include <QDate>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>

namespace dw {

namespace {

QJsonValue jsonOf(const QString &text)
{
    const QJsonDocument document = QJsonDocument::fromJson(QByteArray("[") + text.toUtf8() + "]");
    return document.isArray() && document.array().size() == 1 ? document.array().first() : QJsonValue();
}

QString missingMetadata(const QString &file, const QString &what)
{
    return QStringLiteral("%1 has no %2 in its metadata: the workbench imports ONNX files with its own metadata "
                          "(those `deepwb export` writes: task, inputs, labels; see docs/export.md)")
        .arg(file, what);
}

// Identity normalisation with the same band count: the graph normalises itself.
QJsonObject identityNormalization(const QJsonObject &normalization)
{
    const qsizetype bands = normalization.value(QStringLiteral("offset")).toArray().size();
    QJsonArray offsets, scales;
    for (qsizetype b = 0; b < bands; ++b) {
        offsets.append(0.0);
        scales.append(1.0);
    }
    QJsonObject identity = normalization;
    identity.insert(QStringLiteral("offset"), offsets);
    identity.insert(QStringLiteral("scale"), scales);
    return identity;
}

// The module's inputs as the file's graph takes them.
QJsonObject graphInputs(QJsonObject inputs, const QString &task, bool normalizationInGraph)
{
    if (!normalizationInGraph)
        return inputs;
    if (task == QStringLiteral("image-classification")) {
        inputs.remove(QStringLiteral("normalisation"));
        inputs.remove(QStringLiteral("normalization"));
    } else if (task == QStringLiteral("super-resolution")) {
        inputs.insert(QStringLiteral("normalization"),
                      identityNormalization(inputs.value(QStringLiteral("normalization")).toObject()));
        QJsonObject guide = inputs.value(QStringLiteral("guide")).toObject();
        if (!guide.isEmpty()) {
            guide.insert(QStringLiteral("normalization"),
                         identityNormalization(guide.value(QStringLiteral("normalization")).toObject()));
            inputs.insert(QStringLiteral("guide"), guide);
        }
    }
    return inputs;
}

}  // namespace

Result<QString> onnxFileTask(const QString &file)
{
    Result<QMap<QString, QString>> metadata = readOnnxMetadata(file);
    if (!metadata)
        return metadata.error();
    const QString task = metadata->value(QStringLiteral("task"));
    if (task.isEmpty())
        return failure(missingMetadata(file, QStringLiteral("task")), QStringLiteral("model"));
    if (!knownTasks().contains(task))
        return failure(QStringLiteral("%1 is for the task '%2', which this version of the workbench does not know; it "
                                      "knows %3")
                           .arg(file, task, knownTasks().join(QStringLiteral(", "))),
                       QStringLiteral("model"));
    return task;
}

Result<QJsonObject> importOnnxModule(const OnnxImportRequest &request,
                                     const std::function<Result<void>(const QString &)> &check)
{
    if (Result<void> checked = checkOnnxFile(request.file); !checked)
        return failure(checked.error().message, QStringLiteral("model"));
    Result<QString> task = onnxFileTask(request.file);
    if (!task)
        return task.error();
    Result<QMap<QString, QString>> metadata = readOnnxMetadata(request.file);
    if (!metadata)
        return metadata.error();
    const QJsonObject inputs = jsonOf(metadata->value(QStringLiteral("inputs"))).toObject();
    if (inputs.isEmpty())
        return failure(missingMetadata(request.file, QStringLiteral("inputs")), QStringLiteral("model"));
    const bool folded = metadata->value(QStringLiteral("normalization_in_graph")) == QStringLiteral("true");

    ModuleManifest m;
    m.id = request.id;
    m.title = !request.title.isEmpty()                             ? request.title
              : metadata->value(QStringLiteral("title")).isEmpty() ? request.id
                                                                   : metadata->value(QStringLiteral("title"));
    m.task = *task;
    m.architecture = onnxArchitecture();
    m.summary = QStringLiteral("ONNX model imported from %1, run by OpenCV's DNN module")
                    .arg(QFileInfo(request.file).fileName());
    m.license = metadata->value(QStringLiteral("license"));
    m.version = metadata->value(QStringLiteral("module_version"), m.version);
    if (m.version.isEmpty())
        m.version = QStringLiteral("1.0.0");
    m.keywords = {QStringLiteral("onnx"), QStringLiteral("imported")};
    m.dateCreation = QDate::currentDate().toString(Qt::ISODate);
    m.inputs = graphInputs(inputs, *task, folded);
    const QJsonValue labels = jsonOf(
        metadata->value(*task == QStringLiteral("time-series") ? QStringLiteral("targets") : QStringLiteral("labels")));
    for (const QJsonValue &label : labels.toArray())
        m.labels << label.toString();
    const QJsonValue anomaly = jsonOf(metadata->value(QStringLiteral("anomaly")));
    if (anomaly.isObject())
        m.extra.insert(QStringLiteral("anomaly"), anomaly);
    Result<QString> hash = sha256OfFile(request.file);
    m.extra.insert(QStringLiteral("imported_from"),
                   QJsonObject{{QStringLiteral("file"), QFileInfo(request.file).absoluteFilePath()},
                               {QStringLiteral("sha256"), hash ? *hash : QString()},
                               {QStringLiteral("module_id"), metadata->value(QStringLiteral("module_id"))},
                               {QStringLiteral("normalization_in_graph"), folded}});
    m.weights.file = QStringLiteral("model.onnx");
    m.weights.format = QStringLiteral("onnx");

    auto staging = ModuleStaging::begin(request.moduleDir);
    if (!staging)
        return staging.error();
    if (!QFile::copy(request.file, (*staging)->filePath(m.weights.file)))
        return failure(QStringLiteral("cannot copy %1 into the catalog (is the disk full?)").arg(request.file),
                       QStringLiteral("output"));
    if (Result<void> written = writeTrainedModule(m, (*staging)->path()); !written)
        return written.error();
    if (check) {
        if (Result<void> checked = check((*staging)->path()); !checked)
            return failure(QStringLiteral("%1 cannot be run as a %2 module: %3")
                               .arg(QFileInfo(request.file).fileName(), *task, checked.error().message),
                           QStringLiteral("model"));
    }
    if (Result<void> moved = (*staging)->commit(); !moved)
        return moved.error();
    return QJsonObject{{QStringLiteral("module"), (*staging)->target()},
                       {QStringLiteral("task"), *task},
                       {QStringLiteral("architecture"), onnxArchitecture()},
                       {QStringLiteral("labels"), QJsonArray::fromStringList(m.labels)},
                       {QStringLiteral("normalization_in_graph"), folded}};
}

}  // namespace dw
