#include "ui/raster/raster_composite.h"

#include "core/io/raster_reader.h"

#include <QObject>

#include <cmath>

namespace dw {

QList<int> defaultCompositeBands(const RasterInfo &info)
{
    int red = 0, green = 0, blue = 0;
    for (const RasterBandInfo &band : info.bands) {
        if (band.colorInterpretation == QLatin1String("Red") && !red)
            red = band.index;
        else if (band.colorInterpretation == QLatin1String("Green") && !green)
            green = band.index;
        else if (band.colorInterpretation == QLatin1String("Blue") && !blue)
            blue = band.index;
    }
    if (red && green && blue)
        return {red, green, blue};
    if (info.bandCount() >= 3)
        return {3, 2, 1};
    return {1};
}

uint8_t stretchedValue(double v, const BandStretch &stretch)
{
    const double range = stretch.high - stretch.low;
    if (!(std::abs(range) > 0.0) || !std::isfinite(range))
        return 128;
    const double scaled = std::round((v - stretch.low) / range * 255.0);
    if (!(scaled > 0.0))  // also NaN
        return 0;
    return scaled >= 255.0 ? 255 : uint8_t(scaled);
}

Result<CompositeSpec> computeComposite(const RasterReader &reader, const QList<int> &bands, double lowPercent,
                                       double highPercent)
{
    if (bands.size() != 1 && bands.size() != 3)
        return failure(
            QObject::tr("a composite shows one band (grey) or three (red, green, blue), not %1").arg(bands.size()));
    if (!(lowPercent >= 0.0 && highPercent <= 100.0 && lowPercent < highPercent))
        return failure(QObject::tr("the stretch %1–%2 % is not a range: give a low percentile below the high one, both "
                                   "within 0–100")
                           .arg(lowPercent)
                           .arg(highPercent));
    CompositeSpec spec;
    spec.bands = bands;
    spec.lowPercent = lowPercent;
    spec.highPercent = highPercent;
    for (int band : bands) {
        Result<std::vector<double>> values =
            reader.percentiles(band, {lowPercent / 100.0, highPercent / 100.0}, 250'000);
        if (!values)
            return values.error();
        spec.stretches << BandStretch{(*values)[0], (*values)[1]};
    }
    return spec;
}

QImage renderComposite(const RasterBuffer &buffer, const CompositeSpec &spec)
{
    QImage image(buffer.width, buffer.height, QImage::Format_ARGB32);
    if (image.isNull() || !spec.isValid() || buffer.bands != spec.bands.size())
        return {};
    const bool grey = spec.isGrey();
    const float *r = buffer.band(0);
    const float *g = grey ? r : buffer.band(1);
    const float *b = grey ? r : buffer.band(2);
    const BandStretch &sr = spec.stretches[0];
    const BandStretch &sg = grey ? sr : spec.stretches[1];
    const BandStretch &sb = grey ? sr : spec.stretches[2];
    for (int y = 0; y < buffer.height; ++y) {
        auto *line = reinterpret_cast<QRgb *>(image.scanLine(y));
        const size_t row = size_t(y) * size_t(buffer.width);
        for (int x = 0; x < buffer.width; ++x) {
            const size_t i = row + size_t(x);
            if (!buffer.isValid(x, y)) {
                line[x] = qRgba(0, 0, 0, 0);
                continue;
            }
            line[x] = qRgb(stretchedValue(r[i], sr), stretchedValue(g[i], sg), stretchedValue(b[i], sb));
        }
    }
    return image;
}

}  // namespace dw
