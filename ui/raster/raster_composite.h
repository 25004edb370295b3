#pragma once
// How a raster's bands become a picture: three bands (red, green, blue) or one (grey), each
// stretched linearly between two values (a percentile stretch: the 2nd and 98th percentiles
// by default) to 0..255; invalid (nodata) pixels are transparent. Plain functions on
// RasterBuffers, no widgets, so that they run on any thread and are tested directly.
#include "core/io/raster_buffer.h"
#include "core/io/raster_info.h"
#include "core/util/result.h"

#include <QImage>
#include <QList>

#include <cstdint>

namespace dw {

class RasterReader;

struct BandStretch {
    double low = 0.0;     // shown as 0
    double high = 255.0;  // shown as 255
};

struct CompositeSpec {
    QList<int> bands;              // 1-based: three (R, G, B) or one (grey)
    QList<BandStretch> stretches;  // one per band
    double lowPercent = 2.0;       // what the stretches were computed from
    double highPercent = 98.0;

    bool isValid() const { return (bands.size() == 3 || bands.size() == 1) && stretches.size() == bands.size(); }
    bool isGrey() const { return bands.size() == 1; }
};

// The bands to show first: those whose colour interpretation is Red, Green and Blue; else
// 3,2,1 (a Landsat-like natural colour order) with three bands or more; else band 1 (grey).
QList<int> defaultCompositeBands(const RasterInfo &info);

// v stretched between low and high to 0..255 (clamped; a flat stretch shows mid-grey).
uint8_t stretchedValue(double v, const BandStretch &stretch);

// One stretch per band from the percentiles of a decimated read (RasterReader::percentiles).
// Slow on big rasters: call off the GUI thread.
Result<CompositeSpec> computeComposite(const RasterReader &reader, const QList<int> &bands, double lowPercent,
                                       double highPercent);

// The buffer's bands (in the order of spec.bands) as an ARGB32 image of the buffer's size.
QImage renderComposite(const RasterBuffer &buffer, const CompositeSpec &spec);

}  // namespace dw
