#pragma once
// A super-resolution network scripted in PyTorch becomes a catalog module: it must map
// normalised N×bands×h×w tiles to N×bands×(scale·h)×(scale·w) for any tile size (checked on
// two test tiles), and then runs through the same tiled, georeferenced raster pipeline as
// the workbench's own networks (architecture "torchscript", weights model.pt). The folder
// appears complete under its final name or not at all.
#include "core/jobs/job_context.h"
#include "core/util/result.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>

namespace dw::superres {

struct SrScriptImport {
    QString modelPath;
    int bands = 0;  // channels in and out
    int scale = 2;  // integer upscaling
    // none | MEAN,STD (every band) | one offset per band then one scale per band: value ↦ (value − mean) / std
    QString normalization = QStringLiteral("none");
    QStringList bandNames;  // optional, one per band
    int overlap = 8;        // low-resolution pixels of context per tile side (≥ the network's reach)
    QString moduleDir, moduleId, title;
};

Result<QJsonObject> importScriptedSuperResolution(const SrScriptImport &request, JobContext &context);

}  // namespace dw::superres
