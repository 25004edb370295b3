#pragma once
// One wording for units in the Raster workspace: counts of pixels as "349 × 352 pixels",
// lengths on the ground with the CRS's unit symbol ("28.5 m", "0.00025°"), positions as
// "col 110, row 152" and map coordinates as "x 291911 m, y 9116429 m (SIRGAS 2000 / UTM zone
// 25S)" or "lon -34.9162°, lat -7.9498° (WGS 84)". Formatting only; the CRS's name and unit
// come from core (core/io/crs_units.h).
#include "core/io/crs_units.h"

#include <QPointF>
#include <QString>

namespace dw {

struct RasterInfo;

// "349 × 352 pixels" (one pixel: "1 × 1 pixel").
QString pixelCountText(int width, int height);
// "28.5 m" or "0.00025°"; a bare number without a unit.
QString groundLengthText(double value, const QString &unit, int decimals = -1);
// "28.5 m" (square pixels), "28.5 × 30 m", or empty when not georeferenced.
QString pixelSizeText(const RasterInfo &info, const CrsUnits &crs);
// "L7_ETMs.tif: 349 × 352 pixels, 6 bands Byte, pixel size 28.5 m, SIRGAS 2000 / UTM zone 25S".
QString rasterSummaryText(const RasterInfo &info, const CrsUnits &crs);
// "col 110, row 152" for the pixel holding rasterPoint.
QString pixelPositionText(QPointF rasterPoint);
// The map coordinates of rasterPoint by the geotransform, with as many decimals as a tenth of a
// pixel needs: "x 291911 m, y 9116429 m (SIRGAS 2000 / UTM zone 25S)"; "x 12, y 40 (no CRS)"
// without a CRS; empty when the raster is not georeferenced.
QString mapPositionText(const RasterInfo &info, const CrsUnits &crs, QPointF rasterPoint);
// The map point of a raster point (pixel corner 0,0 is the raster's top-left).
QPointF mapPoint(const RasterInfo &info, QPointF rasterPoint);
// Decimals that show a tenth of a pixel of this size (0 for 28.5 m, 5 for 0.00025°).
int mapDecimals(const RasterInfo &info);

}  // namespace dw
