#pragma once
// What a super-resolution training run is asked to do, and what it reports back. The
// rasters come in memory (the caller reads them with core/io's RasterReader, all bands
// selected, the same band count in each); the network learns to restore them from a
// `scale`× degraded copy (Wald's protocol, see data/wald_degradation.h).
#include "core/io/raster_buffer.h"
#include "core/util/result.h"
#include "plugins/superres/models/sr_network_spec.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <cstdint>
#include <vector>

namespace dw::superres {

struct SrTrainRequest {
    std::vector<RasterBuffer> rasters;  // the training rasters on their own (fine) grid
    QStringList rasterNames;            // for provenance and messages (file names); may be empty
    QStringList bandNames;              // one per band; empty: "band 1", ...
    // Guided training (DSen2's 20 m → 10 m): for each raster a guide of the same area `scale`
    // times finer (e.g. Sentinel-2's 10 m bands for its 20 m ones), all with the same bands.
    // Both are degraded by the scale; the network learns the raster from its degraded copy and
    // the degraded guide. Empty: not guided.
    std::vector<RasterBuffer> guides;
    QStringList guideBandNames;  // one per guide band; empty: "guide band 1", ...
    int scale = 2;
    int blocks = 6;
    int filters = 128;
    int epochs = 30;
    int batchSize = 16;
    int patchSize = 48;                           // on the target grid, a multiple of the scale
    int patchesPerEpoch = 0;                      // 0: from the training area (see SrTrainingData)
    double learningRate = 1e-4;                   // DSen2 trains with NAdam at 1e-4
    QString optimizer = QStringLiteral("nadam");  // adam | nadam
    QString precision = QStringLiteral("auto");   // auto (fp32 here) | fp32 | bf16 (training_device.h)
    double weightDecay = 0.0;
    QString normalization = QStringLiteral("standard");  // standard | robust
    double valFraction = 0.2;                            // rows held out at the bottom of each raster
    int patience = 8;                                    // early stopping (0: never)
    double plateauFactor = 0.5;                          // reduce-on-plateau of the learning rate
    int plateauPatience = 3;
    std::uint64_t seed = 42;
    int threads = 0;         // CPU threads for LibTorch (0: leave as is)
    bool resume = false;     // continue from moduleDir/checkpoints/last.pt
    int stopAfterEpoch = 0;  // > 0: stop (as if cancelled) after this epoch, for resume tests and schedules
    QString moduleDir;       // output folder
    QString moduleId;        // empty: the folder's name
    QString title;
    QString region;  // "x,y,w,h" when the rasters are a region of the files (provenance only)
    // Fine-tuning (see sr_parent.h): a trained super-resolution module's folder to start from
    // (its network, weights and normalisation; blocks and filters above are then ignored), and
    // what learns: "full" (everything), "partial" (the last residual blocks and the output
    // convolution) or "head" (the output convolution only). Empty parent: from scratch.
    QString parentDir;
    QString freeze = QStringLiteral("full");
    // "keep" the parent's band normalisation (see sr_parent.cpp for why that is the default)
    // or "refit" it on the new rasters.
    QString parentNormalization = QStringLiteral("keep");

    SrNetworkSpec networkSpec() const;
};

// Empty problems: fine. Otherwise the first problem, naming the argument.
Result<void> checkSrTrainRequest(const SrTrainRequest &request);
// Every argument as module.json's hyper_parameters (no rasters).
QJsonObject srHyperParametersJson(const SrTrainRequest &request);

struct SrTrainOutcome {
    QString moduleDir;  // absolute; module.json written unless cancelled
    QString stopped;    // TrainingHistory::stopped*()
    int epochsRun = 0;
    int bestEpoch = 0;
    double bestValL1 = 0.0;    // validation L1 on the normalised scale
    double valPsnr = 0.0;      // dB, averaged over bands, the best epoch's model
    double bicubicPsnr = 0.0;  // dB, bicubic on the same held-out patches
    double bicubicValL1 = 0.0;
    qint64 trainPatches = 0;  // per epoch
    qint64 valPatches = 0;
    double seconds = 0.0;
};

}  // namespace dw::superres
