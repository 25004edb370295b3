#pragma once
// Pixel-grid arithmetic on a RasterInfo that readers, writers and tilers share: which
// bands a request means, whether a window fits, block-aligned windows, the pixel window
// of a lon/lat box, and the geotransform of a resampled window. No GDAL types here.
#include "core/io/raster_info.h"
#include "core/util/result.h"

#include <QList>
#include <QPoint>
#include <QRect>
#include <QSize>

#include <array>

namespace dw {

// The 1-based bands a request names (empty = all); an error names the valid range.
Result<QList<int>> selectBands(const RasterInfo &info, const QList<int> &bands);

// A non-empty window inside the raster, or an error saying where it lies and how big the raster is.
Result<void> checkWindow(const RasterInfo &info, const QRect &window);

// Windows covering size row by row, each a whole number of blocks near preferredSize
// pixels a side (at least one block; not wider than the raster), clipped at the edges.
QList<QRect> blockWindows(QSize size, QSize block, int preferredSize);

// The pixel window covering a lon/lat box (EPSG:4326 degrees, longitude first) in the
// raster's CRS and grid, clipped to the raster; errors without georeference or CRS, for
// a malformed box, or when the box misses the raster.
Result<QRect> pixelWindowFromLonLat(const RasterInfo &info, double west, double south, double east, double north);

// The geotransform of a window of a raster starting at offsetPixels (in the raster's
// pixels) and resampled by scale (2: twice the pixels, half the pixel size).
std::array<double, 6> scaledGeoTransform(const std::array<double, 6> &geoTransform, double scale,
                                         QPoint offsetPixels = {});

}  // namespace dw
