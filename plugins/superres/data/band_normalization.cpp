#include "plugins/superres/data/band_normalization.h"

#include <QJsonArray>

#include <algorithm>
#include <cmath>

namespace dw::superres {

namespace {
// Percentiles come from at most this many values per band (an even stride over the pixels).
constexpr std::size_t kMaxPercentileSamples = 2'000'000;

double percentile(std::vector<float> &values, double fraction)
{
    const auto k = std::size_t(std::llround(fraction * double(values.size() - 1)));
    std::nth_element(values.begin(), values.begin() + std::ptrdiff_t(k), values.end());
    return double(values[k]);
}

QJsonArray toArray(const std::vector<double> &values)
{
    QJsonArray array;
    for (double v : values)
        array.append(v);
    return array;
}
}  // namespace

bool BandNormalization::isKnownMethod(const QString &method)
{
    return method == QLatin1String("standard") || method == QLatin1String("robust");
}

Result<BandNormalization> BandNormalization::fit(const std::vector<const RasterBuffer *> &rasters,
                                                 const QString &method)
{
    if (!isKnownMethod(method))
        return failure(QStringLiteral("unknown normalisation \"%1\": use standard or robust").arg(method),
                       QStringLiteral("normalization"));
    if (rasters.empty())
        return failure(QStringLiteral("no raster to fit the normalisation on"), QStringLiteral("raster"));
    const int bands = rasters.front()->bands;
    std::size_t validPixels = 0;
    for (const RasterBuffer *r : rasters) {
        if (r->bands != bands)
            return failure(
                QStringLiteral("the rasters have different band counts (%1 and %2): give rasters with the same bands")
                    .arg(bands)
                    .arg(r->bands),
                QStringLiteral("bands"));
        for (std::size_t i = 0; i < r->planeSize(); ++i)
            validPixels += r->valid.empty() || r->valid[i] ? 1 : 0;
    }
    if (validPixels == 0)
        return failure(QStringLiteral("the rasters hold no valid pixel (everything is nodata): nothing to learn from"),
                       QStringLiteral("raster"));
    const std::size_t stride = std::max<std::size_t>(1, validPixels / kMaxPercentileSamples);
    std::vector<double> offsets(std::size_t(bands), 0.0), scales(std::size_t(bands), 1.0);
    for (int b = 0; b < bands; ++b) {
        double sum = 0.0, sumSq = 0.0;
        std::vector<float> sample;
        std::size_t seen = 0;
        for (const RasterBuffer *r : rasters) {
            const float *plane = r->band(b);
            for (std::size_t i = 0; i < r->planeSize(); ++i) {
                if (!r->valid.empty() && !r->valid[i])
                    continue;
                const double v = plane[i];
                sum += v;
                sumSq += v * v;
                if (seen++ % stride == 0)
                    sample.push_back(plane[i]);
            }
        }
        double offset = 0.0, spread = 0.0;
        if (method == QLatin1String("robust")) {
            offset = percentile(sample, 0.02);
            spread = percentile(sample, 0.98) - offset;
        } else {
            const double n = double(validPixels);
            offset = sum / n;
            spread = std::sqrt(std::max(0.0, sumSq / n - offset * offset));
        }
        offsets[std::size_t(b)] = offset;
        scales[std::size_t(b)] = spread > 1e-12 && std::isfinite(spread) ? spread : 1.0;
    }
    return fromValues(std::move(offsets), std::move(scales), method);
}

Result<BandNormalization> BandNormalization::fromValues(std::vector<double> offsets, std::vector<double> scales,
                                                        const QString &method)
{
    if (offsets.size() != scales.size() || offsets.empty())
        return failure(QStringLiteral("the normalisation needs one offset and one scale per band (got %1 and %2)")
                           .arg(offsets.size())
                           .arg(scales.size()),
                       QStringLiteral("normalization"));
    for (std::size_t b = 0; b < offsets.size(); ++b) {
        if (!std::isfinite(offsets[b]) || !std::isfinite(scales[b]) || !(scales[b] > 0.0))
            return failure(QStringLiteral("the normalisation of band %1 is unusable (offset %2, scale %3)")
                               .arg(b + 1)
                               .arg(offsets[b])
                               .arg(scales[b]),
                           QStringLiteral("normalization"));
    }
    BandNormalization n;
    n.m_method = method;
    n.m_offsets = std::move(offsets);
    n.m_scales = std::move(scales);
    return n;
}

void BandNormalization::apply(RasterBuffer &buffer) const
{
    for (int b = 0; b < buffer.bands && b < bands(); ++b) {
        const float offset = float(m_offsets[std::size_t(b)]), inverse = float(1.0 / m_scales[std::size_t(b)]);
        float *plane = buffer.band(b);
        for (std::size_t i = 0; i < buffer.planeSize(); ++i)
            plane[i] = (plane[i] - offset) * inverse;
    }
}

void BandNormalization::undo(RasterBuffer &buffer) const
{
    for (int b = 0; b < buffer.bands && b < bands(); ++b) {
        const float offset = float(m_offsets[std::size_t(b)]), scale = float(m_scales[std::size_t(b)]);
        float *plane = buffer.band(b);
        for (std::size_t i = 0; i < buffer.planeSize(); ++i)
            plane[i] = plane[i] * scale + offset;
    }
}

QJsonObject BandNormalization::toJson() const
{
    return {{QStringLiteral("method"), m_method},
            {QStringLiteral("offset"), toArray(m_offsets)},
            {QStringLiteral("scale"), toArray(m_scales)}};
}

Result<BandNormalization> BandNormalization::fromJson(const QJsonObject &json)
{
    const QString method = json.value(QStringLiteral("method")).toString(QStringLiteral("standard"));
    if (!isKnownMethod(method))
        return failure(QStringLiteral("unknown normalisation \"%1\"").arg(method), QStringLiteral("normalization"));
    std::vector<double> offsets, scales;
    for (const QJsonValue &v : json.value(QStringLiteral("offset")).toArray())
        offsets.push_back(v.toDouble(std::nan("")));
    for (const QJsonValue &v : json.value(QStringLiteral("scale")).toArray())
        scales.push_back(v.toDouble(std::nan("")));
    return fromValues(std::move(offsets), std::move(scales), method);
}

}  // namespace dw::superres
