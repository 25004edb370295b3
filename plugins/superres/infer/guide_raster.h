#pragma once
// The guide of guided super-resolution: a raster of the same area as the one to super-resolve,
// a whole number of times finer (e.g. Sentinel-2's 10 m bands for its 20 m ones, given as the
// product's subdatasets or as separate files). Opening both checks that they share the
// coordinate system and the extent and gives the ratio (core/io/raster_group_set.h's rules);
// windows of the raster are then read with the guide's pixels packed after the bands
// (data/guide_packing.h). No LibTorch here.
#include "core/io/raster_reader.h"
#include "core/util/result.h"
#include "plugins/superres/data/guide_packing.h"

#include <QList>
#include <QRect>
#include <QString>

#include <vector>

namespace dw::superres {

// How many times finer `guide` is than `raster`; an error when they do not cover the same
// area in the same coordinate system, or the guide is not finer by a whole ratio ≥ 2.
Result<int> guideRatio(const QString &raster, const QString &guide);

class GuidedWindowReader {
public:
    // guideBands: 1-based, all when empty. fill: per guide band, the value its nodata takes.
    static Result<GuidedWindowReader> open(const QString &guidePath, const QList<int> &guideBands, int scale,
                                           std::vector<float> fill);
    int guideBands() const { return int(m_bands.size()); }
    // The raster's window (its pixels) with the guide's pixels over the same area packed after them.
    Result<RasterBuffer> pack(const QRect &rasterWindow, const RasterBuffer &window) const;

private:
    GuidedWindowReader(RasterReader reader, QList<int> bands, int scale, std::vector<float> fill)
        : m_reader(std::move(reader)), m_bands(std::move(bands)), m_scale(scale), m_fill(std::move(fill))
    {}
    RasterReader m_reader;
    QList<int> m_bands;
    int m_scale = 2;
    std::vector<float> m_fill;
};

}  // namespace dw::superres
