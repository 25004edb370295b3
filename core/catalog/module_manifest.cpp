#include "core/catalog/module_manifest.h"

namespace dw {

const QStringList &knownTasks()
{
    // One entry per task plugin the workbench ships; built-in templates exist for each.
    static const QStringList tasks{QStringLiteral("image-classification"), QStringLiteral("super-resolution"),
                                   QStringLiteral("time-series")};
    return tasks;
}

const QStringList &knownWeightFormats()
{
    static const QStringList formats{QStringLiteral("torch-state-dict"), QStringLiteral("torchscript"),
                                     QStringLiteral("onnx")};
    return formats;
}

}  // namespace dw
