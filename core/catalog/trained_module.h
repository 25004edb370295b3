#pragma once
// The folder of a module that a task plugin trained (module.json and weights.pt): the checks
// every such plugin makes before it reads its own "inputs" (a module folder, an undamaged
// manifest of its task, not a template, the weights file there), and the common part of
// writing it (weights named, hashed and stamped, module.json written atomically).
#include "core/catalog/module_manifest.h"
#include "core/util/result.h"

#include <QString>

namespace dw {

// The weights file a trained module writes next to its module.json.
inline QString trainedWeightsFile()
{
    return QStringLiteral("weights.pt");
}

struct TrainedModuleFolder {
    QString directory;        // absolute
    ModuleManifest manifest;  // as read; the plugin reads manifest.inputs itself
    QString name;             // the manifest's id, else the folder's name (for messages)
};

// directory/<the manifest's weights file, or weights.pt>.
QString trainedWeightsPath(const QString &directory, const ModuleManifest &manifest);

// Reads moduleDir/module.json and checks that it is a trained module of `task`; taskLabel is
// how messages name the task ("time series"). Errors are on the field "module".
Result<TrainedModuleFolder> readTrainedModule(const QString &moduleDir, const QString &task, const QString &taskLabel);

// Names weights.pt (already in moduleDir) as the manifest's weights, "torch-state-dict" — or,
// when the manifest says "torchscript", its own file (model.pt by default) — with its SHA-256; sets createdWith when empty; writes moduleDir/module.json atomically. The caller
// fills in task, architecture, inputs and labels.
Result<void> writeTrainedModule(ModuleManifest manifest, const QString &moduleDir);

}  // namespace dw
