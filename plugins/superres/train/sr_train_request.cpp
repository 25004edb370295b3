#include "plugins/superres/train/sr_train_request.h"

#include "plugins/superres/data/band_normalization.h"

#include <cmath>
#include <cstdlib>

namespace dw::superres {

SrNetworkSpec SrTrainRequest::networkSpec() const
{
    SrNetworkSpec spec;
    spec.bands = rasters.empty() ? 0 : rasters.front().bands;
    spec.blocks = blocks;
    spec.filters = filters;
    spec.scale = scale;
    spec.guideBands = guides.empty() ? 0 : guides.front().bands;
    return spec;
}

namespace {
// One guide per raster, the same bands in each, covering the raster's area at the scale
// (within one raster pixel: the finer grid may end a little short or long at the edges).
Result<void> checkGuides(const SrTrainRequest &request)
{
    if (request.guides.empty())
        return success();
    if (request.guides.size() != request.rasters.size())
        return failure(
            QStringLiteral("%1 guide raster(s) for %2 raster(s): give one --guide per --raster, in the same order")
                .arg(request.guides.size())
                .arg(request.rasters.size()),
            QStringLiteral("guide"));
    const int guideBands = request.guides.front().bands;
    for (std::size_t i = 0; i < request.guides.size(); ++i) {
        const RasterBuffer &g = request.guides[i], &r = request.rasters[i];
        const QString name = qsizetype(i) < request.rasterNames.size() ? request.rasterNames.at(qsizetype(i))
                                                                       : QStringLiteral("raster %1").arg(i + 1);
        if (g.bands != guideBands || g.bands < 1)
            return failure(
                QStringLiteral(
                    "the guide of %1 has %2 band(s) but the first guide has %3: every guide needs the same bands")
                    .arg(name)
                    .arg(g.bands)
                    .arg(guideBands),
                QStringLiteral("guide"));
        if (g.values.size() != std::size_t(g.bands) * g.planeSize() ||
            (!g.valid.empty() && g.valid.size() != g.planeSize()))
            return failure(QStringLiteral("the guide of %1 is empty or inconsistent").arg(name),
                           QStringLiteral("guide"));
        if (std::abs(g.width - r.width * request.scale) >= request.scale ||
            std::abs(g.height - r.height * request.scale) >= request.scale)
            return failure(
                QStringLiteral("the guide of %1 is %2 × %3 pixels but a guide %4 times finer than its %5 × %6 "
                               "should be about %7 × %8: give the finer raster of the same area (or another --scale)")
                    .arg(name)
                    .arg(g.width)
                    .arg(g.height)
                    .arg(request.scale)
                    .arg(r.width)
                    .arg(r.height)
                    .arg(r.width * request.scale)
                    .arg(r.height * request.scale),
                QStringLiteral("guide"));
    }
    if (!request.guideBandNames.isEmpty() && request.guideBandNames.size() != guideBands)
        return failure(QStringLiteral("%1 guide band name(s) given for %2 guide band(s)")
                           .arg(request.guideBandNames.size())
                           .arg(guideBands),
                       QStringLiteral("guide"));
    return success();
}
}  // namespace

Result<void> checkSrTrainRequest(const SrTrainRequest &request)
{
    if (request.rasters.empty())
        return failure(QStringLiteral("no raster to train on: give at least one with --raster"),
                       QStringLiteral("raster"));
    const int bands = request.rasters.front().bands;
    for (std::size_t i = 0; i < request.rasters.size(); ++i) {
        const RasterBuffer &r = request.rasters[i];
        const QString name = qsizetype(i) < request.rasterNames.size() ? request.rasterNames.at(qsizetype(i))
                                                                       : QStringLiteral("raster %1").arg(i + 1);
        if (r.bands != bands)
            return failure(
                QStringLiteral("%1 has %2 band(s) but the first raster has %3: train on rasters with the same bands "
                               "(select them with --bands)")
                    .arg(name)
                    .arg(r.bands)
                    .arg(bands),
                QStringLiteral("bands"));
        if (r.width < 1 || r.height < 1 || r.values.size() != std::size_t(r.bands) * r.planeSize() ||
            (!r.valid.empty() && r.valid.size() != r.planeSize()))
            return failure(QStringLiteral("%1 is empty or inconsistent (%2×%3, %4 band(s))")
                               .arg(name)
                               .arg(r.width)
                               .arg(r.height)
                               .arg(r.bands),
                           QStringLiteral("raster"));
    }
    if (Result<void> guides = checkGuides(request); !guides)
        return guides;
    if (!request.bandNames.isEmpty() && request.bandNames.size() != bands)
        return failure(QStringLiteral("%1 band name(s) given for %2 band(s)").arg(request.bandNames.size()).arg(bands),
                       QStringLiteral("bands"));
    if (const QString problem = request.networkSpec().problem(); !problem.isEmpty())
        return failure(problem, QStringLiteral("network"));
    if (request.epochs < 1)
        return failure(QStringLiteral("--epochs must be at least 1 (got %1)").arg(request.epochs),
                       QStringLiteral("epochs"));
    if (request.batchSize < 1)
        return failure(QStringLiteral("--batch-size must be at least 1 (got %1)").arg(request.batchSize),
                       QStringLiteral("batch-size"));
    if (request.patchSize < 2 * request.scale || request.patchSize % request.scale != 0)
        return failure(QStringLiteral("--patch-size must be a multiple of the scale %1 and at least %2 (got %3)")
                           .arg(request.scale)
                           .arg(2 * request.scale)
                           .arg(request.patchSize),
                       QStringLiteral("patch-size"));
    if (request.patchesPerEpoch < 0)
        return failure(QStringLiteral("--patches-per-epoch must be 0 (automatic) or more"),
                       QStringLiteral("patches-per-epoch"));
    if (!(request.learningRate > 0.0) || !std::isfinite(request.learningRate))
        return failure(QStringLiteral("the learning rate must be a positive number (got %1); DSen2 uses 1e-4")
                           .arg(request.learningRate),
                       QStringLiteral("lr"));
    if (request.optimizer != QLatin1String("adam") && request.optimizer != QLatin1String("nadam"))
        return failure(QStringLiteral("unknown optimizer \"%1\": use adam or nadam").arg(request.optimizer),
                       QStringLiteral("optimizer"));
    if (!BandNormalization::isKnownMethod(request.normalization))
        return failure(
            QStringLiteral("unknown normalisation \"%1\": use standard or robust").arg(request.normalization),
            QStringLiteral("normalization"));
    if (!(request.valFraction > 0.0 && request.valFraction < 0.9))
        return failure(QStringLiteral("--val-fraction must lie between 0 and 0.9 (got %1)").arg(request.valFraction),
                       QStringLiteral("val-fraction"));
    if (request.patience < 0)
        return failure(QStringLiteral("--patience must be 0 (off) or more epochs"), QStringLiteral("patience"));
    if (request.moduleDir.isEmpty())
        return failure(QStringLiteral("no output folder for the module"), QStringLiteral("output"));
    if (!QStringList{QStringLiteral("head"), QStringLiteral("partial"), QStringLiteral("full")}.contains(
            request.freeze))
        return failure(
            QStringLiteral("unknown freeze mode \"%1\": use head (only the output convolution learns), partial (the "
                           "last residual blocks too) or full (everything)")
                .arg(request.freeze),
            QStringLiteral("freeze"));
    if (request.parentNormalization != QLatin1String("keep") && request.parentNormalization != QLatin1String("refit"))
        return failure(
            QStringLiteral("unknown parent normalisation \"%1\": use keep (the parent's) or refit (on the new "
                           "rasters)")
                .arg(request.parentNormalization),
            QStringLiteral("parent-normalization"));
    if (request.parentDir.isEmpty() && request.freeze != QLatin1String("full"))
        return failure(
            QStringLiteral("freeze mode \"%1\" needs a parent module to start from (--parent, or deepwb retrain "
                           "PARENT); from scratch every layer learns: use freeze full")
                .arg(request.freeze),
            QStringLiteral("freeze"));
    return success();
}

QJsonObject srHyperParametersJson(const SrTrainRequest &request)
{
    return {{QStringLiteral("scale"), request.scale},
            {QStringLiteral("blocks"), request.blocks},
            {QStringLiteral("filters"), request.filters},
            {QStringLiteral("epochs"), request.epochs},
            {QStringLiteral("batch_size"), request.batchSize},
            {QStringLiteral("patch_size"), request.patchSize},
            {QStringLiteral("patches_per_epoch"), request.patchesPerEpoch},
            {QStringLiteral("learning_rate"), request.learningRate},
            {QStringLiteral("optimizer"), request.optimizer},
            {QStringLiteral("weight_decay"), request.weightDecay},
            {QStringLiteral("normalization"), request.normalization},
            {QStringLiteral("val_fraction"), request.valFraction},
            {QStringLiteral("patience"), request.patience},
            {QStringLiteral("plateau_factor"), request.plateauFactor},
            {QStringLiteral("plateau_patience"), request.plateauPatience},
            {QStringLiteral("seed"), QString::number(request.seed)},
            {QStringLiteral("guided"), !request.guides.empty()},
            {QStringLiteral("roi"), request.region}};
}

}  // namespace dw::superres
