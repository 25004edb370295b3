#pragma once
// How much a module's super-resolution beats bicubic upsampling, by Wald's protocol: the
// raster (or a held-out part of it) is degraded by the module's scale, super-resolved back
// to its own grid — through the same tiles as prediction — and compared with itself; so is
// plain bicubic upsampling of the same degraded raster. PSNR, SSIM and SRE per band on the
// valid pixels (core/ml/image_quality.h), PSNR and SSIM with the reference band's
// max − min as the data range.
#include "core/io/raster_buffer.h"
#include "core/jobs/job_context.h"
#include "core/ml/image_quality.h"
#include "core/ml/precision.h"
#include "core/util/result.h"

#include <QJsonObject>
#include <QSize>
#include <QStringList>

#include <vector>

namespace dw::superres {

class LoadedSuperResolver;

struct WaldEvaluation {
    QStringList bandNames;
    QSize compared;  // reference pixels compared (the raster cropped to whole blocks of the scale)
    std::vector<BandQuality> model;
    std::vector<BandQuality> bicubic;

    // Mean over bands of model PSNR − bicubic PSNR (dB).
    double psnrGain() const;
    // {"bands": [{"band", "model": {psnr, ssim, sre, count, data_range}, "bicubic": {...},
    //  "psnr_gain"}], "mean": {"model": {...}, "bicubic": {...}, "psnr_gain"}, "width", "height"}
    QJsonObject toJson() const;
    // Per-band means of several evaluations (e.g. the held-out parts of several rasters).
    static WaldEvaluation average(const std::vector<WaldEvaluation> &parts);
};

// fine: the raster on its own grid, the module's bands. Errors: band count, a raster
// smaller than two blocks of the scale, LibTorch failures, cancellation.
// selfEnsemble: views averaged per tile (infer/self_ensemble.h); 1: the network alone.
// guide: for a guided module, its guide over the same area (scale times finer than `fine`),
// degraded by the scale as the raster is; required for a guided module, refused otherwise.
Result<WaldEvaluation> evaluateByWald(const LoadedSuperResolver &model, const RasterBuffer &fine,
                                      const QStringList &bandNames, JobContext &context, int selfEnsemble = 1,
                                      const RasterBuffer *guide = nullptr,
                                      ml::Precision precision = ml::Precision::Fp32);

}  // namespace dw::superres
