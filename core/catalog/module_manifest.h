#pragma once
// The module manifest (module.json): DEEP Open Catalog fields plus the workbench's own.
#include <QJsonArray>
#include <QJsonObject>
#include <QString>
#include <QStringList>

namespace dw {

struct WeightsInfo {
    QString file;       // relative to the module folder, e.g. "weights.pt"
    QString format;     // "torch-state-dict", "torchscript", "onnx"
    QString sha256;     // hex, lower-case
    QJsonObject extra;  // unknown keys of "weights" (e.g. a download URL), kept as they were
    bool isEmpty() const { return file.isEmpty() && format.isEmpty() && sha256.isEmpty(); }
    friend bool operator==(const WeightsInfo &, const WeightsInfo &) = default;
};

struct ModuleManifest {
    // DEEP Open Catalog fields
    QString title;
    QString summary;
    QString description;  // Markdown
    QStringList keywords;
    QString license;
    QString dateCreation;  // ISO 8601 date "YYYY-MM-DD" (or date-time)
    QStringList sources;   // URLs (code, docker image, ...)
    QString datasetUrl;
    QString citeUrl;
    QStringList authors;
    // ours
    QString id;  // folder-safe: [a-z0-9][a-z0-9._-]*
    QString version = QStringLiteral("1.0.0");
    QString task;  // "image-classification" | "super-resolution" | "time-series"
    QString architecture;
    QJsonObject hyperParameters;
    QJsonObject inputs;  // channels, size, bands, normalisation
    QStringList labels;
    QJsonObject metrics;
    QString parent;  // id of the module it was re-trained from
    QJsonObject trainingData;
    WeightsInfo weights;  // empty for a template
    QString createdWith;  // "deep-workbench 0.1.0"
    QJsonObject extra;    // unknown fields, kept as they were

    bool isTemplate() const { return weights.isEmpty(); }
    friend bool operator==(const ModuleManifest &, const ModuleManifest &) = default;
};

// The task ids the workbench knows; a manifest naming another task is invalid.
const QStringList &knownTasks();
// The weights formats the workbench can load; weights.format must be one of them.
const QStringList &knownWeightFormats();

}  // namespace dw
