// Degrade, super-resolve through the tiles, upsample bicubically, score both.
#include "plugins/superres/infer/wald_evaluation.h"

#include "plugins/superres/data/guide_packing.h"
#include "plugins/superres/data/wald_degradation.h"
#include "plugins/superres/infer/raster_superresolution.h"
#include "plugins/superres/infer/self_ensemble.h"
#include "plugins/superres/infer/tiled_superresolver.h"
#include "plugins/superres/module/loaded_superresolver.h"

#include <QJsonArray>

#include <algorithm>
#include <cmath>

namespace dw::superres {

using namespace Qt::StringLiterals;

namespace {

RasterBuffer crop(const RasterBuffer &from, const QRect &window)
{
    RasterBuffer out = RasterBuffer::zeros(window.width(), window.height(), from.bands);
    for (int b = 0; b < from.bands; ++b)
        for (int y = 0; y < window.height(); ++y) {
            const float *src = from.band(b) + size_t(window.y() + y) * size_t(from.width) + size_t(window.x());
            std::copy(src, src + window.width(), out.band(b) + size_t(y) * size_t(out.width));
        }
    if (!from.valid.empty()) {
        out.valid.resize(out.planeSize());
        for (int y = 0; y < window.height(); ++y) {
            const uint8_t *src = from.valid.data() + size_t(window.y() + y) * size_t(from.width) + size_t(window.x());
            std::copy(src, src + window.width(), out.valid.begin() + qsizetype(y) * window.width());
        }
    }
    return out;
}

void paste(const RasterBuffer &block, const QRect &window, RasterBuffer &into)
{
    for (int b = 0; b < block.bands; ++b)
        for (int y = 0; y < window.height(); ++y) {
            const float *src = block.band(b) + size_t(y) * size_t(block.width);
            std::copy(src, src + window.width(),
                      into.band(b) + size_t(window.y() + y) * size_t(into.width) + size_t(window.x()));
        }
    if (!block.valid.empty()) {
        if (into.valid.empty())
            into.valid.assign(into.planeSize(), 1);
        for (int y = 0; y < window.height(); ++y)
            std::copy(block.valid.begin() + qsizetype(y) * block.width,
                      block.valid.begin() + qsizetype(y + 1) * block.width,
                      into.valid.begin() + qsizetype(window.y() + y) * into.width + window.x());
    }
}

double finiteMean(const std::vector<double> &values)
{
    double sum = 0;
    int n = 0;
    for (double v : values)
        if (std::isfinite(v)) {
            sum += v;
            ++n;
        }
    return n ? sum / n : std::numeric_limits<double>::quiet_NaN();
}

QJsonValue number(double v)
{
    return std::isfinite(v) ? QJsonValue(v) : QJsonValue(QJsonValue::Null);
}

}  // namespace

double WaldEvaluation::psnrGain() const
{
    std::vector<double> gains;
    for (size_t b = 0; b < model.size() && b < bicubic.size(); ++b)
        gains.push_back(model[b].psnr - bicubic[b].psnr);
    return finiteMean(gains);
}

QJsonObject WaldEvaluation::toJson() const
{
    QJsonArray bands;
    for (size_t b = 0; b < model.size() && b < bicubic.size(); ++b) {
        bands.append(QJsonObject{
            {u"band"_s, qsizetype(b) < bandNames.size() ? bandNames[qsizetype(b)] : u"band %1"_s.arg(b + 1)},
            {u"model"_s, model[b].toJson()},
            {u"bicubic"_s, bicubic[b].toJson()},
            {u"psnr_gain"_s, number(model[b].psnr - bicubic[b].psnr)}});
    }
    return {{u"bands"_s, bands},
            {u"mean"_s, QJsonObject{{u"model"_s, ImageQuality::mean(model).toJson()},
                                    {u"bicubic"_s, ImageQuality::mean(bicubic).toJson()},
                                    {u"psnr_gain"_s, number(psnrGain())}}},
            {u"width"_s, compared.width()},
            {u"height"_s, compared.height()}};
}

WaldEvaluation WaldEvaluation::average(const std::vector<WaldEvaluation> &parts)
{
    if (parts.size() == 1 || parts.empty())
        return parts.empty() ? WaldEvaluation() : parts.front();
    WaldEvaluation out = parts.front();
    auto meanOf = [&](std::vector<BandQuality> WaldEvaluation::*which, size_t b) {
        BandQuality q;
        std::vector<double> psnr, ssim, sre, range;
        for (const WaldEvaluation &part : parts) {
            const BandQuality &p = (part.*which)[b];
            q.count += p.count;
            psnr.push_back(p.psnr);
            ssim.push_back(p.ssim);
            sre.push_back(p.sre);
            range.push_back(p.dataRange);
        }
        q.psnr = finiteMean(psnr);
        q.ssim = finiteMean(ssim);
        q.sre = finiteMean(sre);
        q.dataRange = finiteMean(range);
        return q;
    };
    for (size_t b = 0; b < out.model.size(); ++b) {
        out.model[b] = meanOf(&WaldEvaluation::model, b);
        out.bicubic[b] = meanOf(&WaldEvaluation::bicubic, b);
    }
    int pixels = 0;
    for (const WaldEvaluation &part : parts)
        pixels += part.compared.width() * part.compared.height();
    out.compared = QSize(pixels, 1);
    return out;
}

Result<WaldEvaluation> evaluateByWald(const LoadedSuperResolver &model, const RasterBuffer &fine,
                                      const QStringList &bandNames, JobContext &context, int selfEnsemble,
                                      const RasterBuffer *guide, ml::Precision precision)
{
    if (fine.bands != model.bands())
        return failure(model.bandMismatchMessage(fine.bands), u"bands"_s);
    if (model.module().guided() != (guide != nullptr))
        return failure(model.guideMismatchMessage(0), u"guide"_s);
    if (guide && guide->bands != model.guideBands())
        return failure(model.guideMismatchMessage(guide->bands), u"guide-bands"_s);
    const int scale = model.scale();
    if (fine.width < 2 * scale || fine.height < 2 * scale)
        return failure(u"the raster is %1 × %2 pixels: evaluating a ×%3 module needs at least %4 × %4"_s.arg(fine.width)
                           .arg(fine.height)
                           .arg(scale)
                           .arg(2 * scale));
    Result<RasterBuffer> coarse = WaldDegradation::degrade(fine, scale);
    if (!coarse)
        return coarse.error();
    const QSize coarseSize(coarse->width, coarse->height);
    WaldEvaluation evaluation;
    evaluation.bandNames = bandNames;
    evaluation.compared = coarseSize * scale;
    const RasterBuffer reference = crop(fine, QRect(QPoint(0, 0), evaluation.compared));

    TiledSuperResolutionOptions options;
    options.scale = scale;
    options.tileSize = model.isCuda() ? 256 : 128;
    options.overlap = moduleOverlap(model.module());
    options.batchSize = model.isCuda() ? 8 : 2;
    options.outputBands = model.bands();
    // The guide degraded like the raster lands on the raster's own grid: the finer grid of `coarse`.
    RasterBuffer degradedGuide;
    if (guide) {
        Result<RasterBuffer> degraded = WaldDegradation::degrade(*guide, scale);
        if (!degraded)
            return failure(u"the guide: "_s + degraded.error().message, u"guide"_s);
        degradedGuide = std::move(degraded).value();
    }
    const std::vector<float> fill = model.module().guideFill();
    RasterBuffer restored = RasterBuffer::zeros(reference.width, reference.height, reference.bands);
    auto read = [&](const QRect &window) -> Result<RasterBuffer> {
        RasterBuffer pixels = crop(*coarse, window);
        if (!guide)
            return pixels;
        const QRect fineWindow = QRect(window.topLeft() * scale, window.size() * scale)
                                     .intersected(QRect(0, 0, degradedGuide.width, degradedGuide.height));
        return packGuide(pixels, crop(degradedGuide, fineWindow), scale, fill);
    };
    const TiledSuperResolver::RunBatch network = SelfEnsemble::wrap(
        [&](const std::vector<RasterBuffer> &tiles) { return model.superResolveBatch(tiles, precision); }, selfEnsemble,
        model.windowLayout());
    auto write = [&](const QRect &window, const RasterBuffer &block) -> Result<void> {
        paste(block, window, restored);
        return success();
    };
    Result<TiledSuperResolutionStats> stats =
        TiledSuperResolver(options).run(coarseSize, read, network, write, context);
    if (!stats)
        return stats.error();
    Result<RasterBuffer> bicubic = model.bicubic(*coarse);
    if (!bicubic)
        return bicubic.error();
    if (bicubic->width != reference.width || bicubic->height != reference.height)
        return failure(u"bicubic upsampling returned %1 × %2 pixels for %3 × %4"_s.arg(bicubic->width)
                           .arg(bicubic->height)
                           .arg(reference.width)
                           .arg(reference.height));
    evaluation.model = ImageQuality::compare(reference, restored);
    evaluation.bicubic = ImageQuality::compare(reference, *bicubic);
    return evaluation;
}

}  // namespace dw::superres
