#pragma once
// A trained super-resolution module's folder as the trainer writes it and the predictor
// reads it:
//   module.json  manifest, task "super-resolution"; architecture "dsen2" (or "torchscript": a
//                network imported from PyTorch, weights model.pt, inputs without "network");
//                hyper-parameters
//                {every train argument}; inputs {"bands": [band descriptions], "band_count",
//                "scale", "network" (SrNetworkSpec JSON), "normalization"
//                (BandNormalization JSON), "patch_size", and for a guided module "guide":
//                {"bands", "band_count", "normalization"} of the finer guide raster}; training_data {rasters, sizes,
//                data hash, validation area}; metrics (validation L1 and PSNR of the model
//                and of bicubic; the evaluation fills in more later)
//   weights.pt   the network's parameters by name (LibTorch archive)
//   history.json TrainingHistory
// No LibTorch here.
#include "core/catalog/module_manifest.h"
#include "core/util/result.h"
#include "plugins/superres/data/band_normalization.h"
#include "plugins/superres/data/guide_packing.h"
#include "plugins/superres/models/sr_network_spec.h"

#include <QString>
#include <QStringList>

namespace dw::superres {

inline QString superResolutionTask()
{
    return QStringLiteral("super-resolution");
}

struct SrModule {
    QString directory;        // absolute
    ModuleManifest manifest;  // the rest of module.json
    SrNetworkSpec network;
    QStringList bandNames;  // one per band, in the network's band order (may be "band 1", ...)
    BandNormalization normalization;
    int patchSize = 48;                    // training patch side on the target grid
    QStringList guideBandNames;            // guided: the guide raster's bands, in order
    BandNormalization guideNormalization;  // guided: fitted on the guide rasters
    // A network brought as TorchScript (architecture "torchscript", weights model.pt): it maps
    // normalised N×bands×h×w tiles to N×bands×(scale·h)×(scale·w) itself, without the bicubic
    // path; network.blocks/filters mean nothing for it.
    bool scripted = false;
    // A network brought as ONNX (architecture "onnx", weights model.onnx; issue 19): the graph
    // `deepwb export` wrote maps the window as the module prepares it (normalised bands, then
    // the packed guide) to N×bands×(scale·h)×(scale·w) itself, run by OpenCV's DNN module.
    bool onnx = false;
    int overlap = 0;  // low-resolution pixels of border per tile; 0: from the network's depth

    int bands() const { return network.bands; }
    int guideBands() const { return network.guideBands; }
    bool guided() const { return network.guided(); }
    GuideLayout guideLayout() const { return {network.bands, network.guideBands, network.scale}; }
    // Guided: per guide band the value its nodata takes (its normalisation's centre).
    std::vector<float> guideFill() const;
    int scale() const { return network.scale; }
    QString weightsPath() const;
};

// Reads and checks a trained super-resolution folder: task, network, bands, normalisation
// (its band count must match the network's), weights file present.
Result<SrModule> readSrModule(const QString &moduleDir);
// Fills task, architecture, inputs, labels and weights info from the fields, hashes
// weights.pt (already in the folder) and writes module.json atomically.
Result<void> writeSrModule(SrModule module);

}  // namespace dw::superres
