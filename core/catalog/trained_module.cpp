#include "core/catalog/trained_module.h"

#include "core/catalog/manifest_io.h"
#include "core/catalog/weights_digest.h"

#include <QDir>
#include <QFileInfo>

namespace dw {

QString trainedWeightsPath(const QString &directory, const ModuleManifest &manifest)
{
    return QDir(directory).filePath(manifest.weights.file.isEmpty() ? trainedWeightsFile() : manifest.weights.file);
}

Result<TrainedModuleFolder> readTrainedModule(const QString &moduleDir, const QString &task, const QString &taskLabel)
{
    const QString directory = QDir(moduleDir).absolutePath();
    if (!QFileInfo(QDir(directory).filePath(manifestFileName())).isFile())
        return failure(QStringLiteral("%1 is not a module folder: it has no module.json").arg(directory),
                       QStringLiteral("module"));
    ManifestReadResult read = readManifest(directory);
    TrainedModuleFolder module;
    module.directory = directory;
    module.manifest = read.manifest;
    module.name = read.manifest.id.isEmpty() ? QDir(directory).dirName() : read.manifest.id;
    const QString &name = module.name;
    if (!read.problems.isEmpty()) {
        const ValidationProblem &first = read.problems.first();
        return failure(QStringLiteral("the module %1 is damaged: %2: %3").arg(name, first.field, first.message),
                       QStringLiteral("module"));
    }
    if (module.manifest.task != task)
        return failure(
            QStringLiteral("the module %1 is for the task '%2', not %3").arg(name, module.manifest.task, taskLabel),
            QStringLiteral("module"));
    if (module.manifest.isTemplate())
        return failure(QStringLiteral("the module %1 is a template without weights: train it first (deepwb train %2)")
                           .arg(name, task),
                       QStringLiteral("module"));
    // readManifest has checked a named weights file already; this covers the default name.
    const QString weights = trainedWeightsPath(directory, module.manifest);
    if (!QFileInfo(weights).isFile())
        return failure(QStringLiteral("the module %1 has no weights file %2: train it again").arg(name, weights),
                       QStringLiteral("module"));
    if (Result<void> digest = checkWeightsDigest(module.manifest, directory); !digest)
        return failure(QStringLiteral("the module %1 cannot be used: %2").arg(name, digest.error().message),
                       QStringLiteral("module"));
    return module;
}

Result<void> writeTrainedModule(ModuleManifest manifest, const QString &moduleDir)
{
    if (manifest.weights.format == QStringLiteral("torchscript")) {  // a model brought as TorchScript stays one
        if (manifest.weights.file.isEmpty())
            manifest.weights.file = QStringLiteral("model.pt");
    } else if (manifest.weights.format == QStringLiteral("onnx")) {  // and one brought as ONNX too
        if (manifest.weights.file.isEmpty())
            manifest.weights.file = QStringLiteral("model.onnx");
    } else {
        manifest.weights.file = trainedWeightsFile();
        manifest.weights.format = QStringLiteral("torch-state-dict");
    }
    Result<QString> hash = sha256OfFile(QDir(moduleDir).filePath(manifest.weights.file));
    if (!hash)
        return hash.error();
    manifest.weights.sha256 = hash.value();
    if (manifest.createdWith.isEmpty())
        manifest.createdWith = QStringLiteral("deep-workbench 0.1.0");
    return writeManifest(manifest, moduleDir);
}

}  // namespace dw
