#include "plugins/superres/data/guide_packing.h"

#include "plugins/superres/data/dihedral.h"

#include <QString>

#include <algorithm>
#include <utility>

namespace dw::superres {

int GuideLayout::sourceChannel(int channel, int transform) const
{
    if (channel < bands || !guided())
        return channel;
    const int s2 = scale * scale, packed = channel - bands;
    const int g = packed / s2;
    // The fine pixels inside a coarse pixel turn as the coarse grid does.
    const auto [dx, dy] = turnedSource(packed % scale, (packed % s2) / scale, scale, scale, transform);
    return bands + g * s2 + dy * scale + dx;
}

Result<RasterBuffer> packGuide(const RasterBuffer &coarse, const RasterBuffer &guide, int scale,
                               const std::vector<float> &fill)
{
    if (scale < 2)
        return failure(QStringLiteral("a guide needs a scale of 2 or more (got %1)").arg(scale));
    if (guide.bands < 1 || guide.width < 1 || guide.height < 1 || coarse.width < 1 || coarse.height < 1)
        return failure(QStringLiteral("the guide or the raster window is empty"));
    if (int(fill.size()) != guide.bands)
        return failure(QStringLiteral("%1 fill values for %2 guide band(s)").arg(fill.size()).arg(guide.bands));
    // At most one coarse pixel's worth may be missing (a raster edge); more means the grids differ.
    if (guide.width <= (coarse.width - 1) * scale || guide.height <= (coarse.height - 1) * scale)
        return failure(QStringLiteral("the guide window (%1 × %2) does not cover the raster window (%3 × %4) at ×%5")
                           .arg(guide.width)
                           .arg(guide.height)
                           .arg(coarse.width)
                           .arg(coarse.height)
                           .arg(scale));
    const GuideLayout layout{coarse.bands, guide.bands, scale};
    RasterBuffer out = RasterBuffer::zeros(coarse.width, coarse.height, layout.channels());
    std::copy(coarse.values.begin(), coarse.values.end(), out.values.begin());
    out.valid = coarse.valid;
    for (int g = 0; g < guide.bands; ++g) {
        const float *plane = guide.band(g);
        for (int dy = 0; dy < scale; ++dy) {
            for (int dx = 0; dx < scale; ++dx) {
                float *to = out.band(coarse.bands + g * scale * scale + dy * scale + dx);
                for (int y = 0; y < coarse.height; ++y) {
                    const int gy = std::min(y * scale + dy, guide.height - 1);
                    for (int x = 0; x < coarse.width; ++x) {
                        const int gx = std::min(x * scale + dx, guide.width - 1);
                        const size_t from = size_t(gy) * size_t(guide.width) + size_t(gx);
                        to[size_t(y) * size_t(coarse.width) + size_t(x)] =
                            guide.valid.empty() || guide.valid[from] ? plane[from] : fill[size_t(g)];
                    }
                }
            }
        }
    }
    return out;
}

}  // namespace dw::superres
