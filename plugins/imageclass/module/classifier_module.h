#pragma once
// The folder of a trained image classifier: module.json (task, architecture, inputs, labels,
// weights) and weights.pt. Read and checked here, without LibTorch, so that every problem a
// module can have is reported in one place before a network is built from it.
#include "core/catalog/module_manifest.h"
#include "core/util/result.h"

#include <QString>
#include <QStringList>

#include <vector>

namespace dw::imageclass {

inline QString imageClassificationTask()
{
    return QStringLiteral("image-classification");
}

// The architectures a classifier module may name (the same list as models' architectures(),
// repeated here because this library stays free of LibTorch; a test keeps both in step).
const QStringList &classifierArchitectures();
// A model brought as a TorchScript archive (catalog import-torchscript): weights.format
// "torchscript", weights.file the archive itself.
inline QString torchScriptArchitecture()
{
    return QStringLiteral("torchscript");
}
// "torchscript" for a TorchScript model, else "torch-state-dict".
QString weightsFormatFor(const QString &architecture);

struct ClassifierModule {
    QString directory;        // absolute module folder
    ModuleManifest manifest;  // everything else of module.json
    QString architecture;
    int channels = 3, height = 224, width = 224;
    std::vector<double> mean, std;  // empty: inputs stay in [0, 1]
    QStringList labels;
    QString weightsPath() const;  // absolute path of manifest.weights.file
};

// Reads and checks a trained classifier folder: task, architecture known, inputs, labels
// (>= 2), weights file exists. A template (no weights) is refused with "train it first".
Result<ClassifierModule> readClassifierModule(const QString &moduleDir);

// Fills manifest.task/architecture/inputs/labels from the fields, hashes the weights file
// (weights.pt, or manifest.weights.file, must already be in directory) and writes
// module.json atomically. Checks the same things readClassifierModule() does.
Result<void> writeClassifierModule(ClassifierModule module);

// The "inputs" object of module.json for these fields (other keys of manifest.inputs kept).
QJsonObject classifierInputsJson(const ClassifierModule &module);

}  // namespace dw::imageclass
