#include "core/io/raster_geometry.h"

#include "core/io/gdal_environment.h"

#include <QFileInfo>

#include <gdal.h>
#include <ogr_spatialref.h>

#include <algorithm>
#include <cmath>
#include <memory>

namespace dw {
namespace {

struct TransformationDeleter {
    void operator()(OGRCoordinateTransformation *transformation) const
    {
        OGRCoordinateTransformation::DestroyCT(transformation);
    }
};
using TransformationPtr = std::unique_ptr<OGRCoordinateTransformation, TransformationDeleter>;

QString rasterName(const RasterInfo &info)
{
    return QFileInfo::exists(info.path) ? QFileInfo(info.path).fileName() : info.path;
}

QString rectText(const QRect &r)
{
    return QStringLiteral("x %1, y %2, %3 × %4").arg(r.x()).arg(r.y()).arg(r.width()).arg(r.height());
}

// Ranges of a box in degrees, for messages.
QString boxText(double west, double south, double east, double north)
{
    return QStringLiteral("lon %1..%2, lat %3..%4")
        .arg(west, 0, 'f', 5)
        .arg(east, 0, 'f', 5)
        .arg(south, 0, 'f', 5)
        .arg(north, 0, 'f', 5);
}

}  // namespace

Result<QList<int>> selectBands(const RasterInfo &info, const QList<int> &bands)
{
    const int count = info.bandCount();
    if (bands.isEmpty()) {
        QList<int> all;
        for (int b = 1; b <= count; ++b)
            all << b;
        return all;
    }
    for (int band : bands)
        if (band < 1 || band > count)
            return failure(QStringLiteral("band %1 does not exist: '%2' has bands 1 to %3 (numbered from 1)")
                               .arg(band)
                               .arg(rasterName(info))
                               .arg(count));
    return bands;
}

Result<void> checkWindow(const RasterInfo &info, const QRect &window)
{
    if (window.width() <= 0 || window.height() <= 0)
        return failure(QStringLiteral("the window (%1) is empty").arg(rectText(window)));
    if (!QRect(0, 0, info.width, info.height).contains(window))
        return failure(QStringLiteral("the window (%1) lies outside '%2', which is %3 × %4 pixels")
                           .arg(rectText(window), rasterName(info))
                           .arg(info.width)
                           .arg(info.height));
    return success();
}

QList<QRect> blockWindows(QSize size, QSize block, int preferredSize)
{
    const auto side = [preferredSize](int blockSide, int rasterSide) {
        blockSide = std::max(1, blockSide);
        const int blocks = std::max(1, int(std::lround(double(std::max(1, preferredSize)) / blockSide)));
        return std::min(blocks * blockSide, std::max(1, rasterSide));
    };
    const int tileWidth = side(block.width(), size.width());
    const int tileHeight = side(block.height(), size.height());
    QList<QRect> windows;
    for (int y = 0; y < size.height(); y += tileHeight)
        for (int x = 0; x < size.width(); x += tileWidth)
            windows << QRect(x, y, std::min(tileWidth, size.width() - x), std::min(tileHeight, size.height() - y));
    return windows;
}

Result<QRect> pixelWindowFromLonLat(const RasterInfo &info, double west, double south, double east, double north)
{
    if (!info.georeferenced || info.crsWkt.isEmpty())
        return failure(QStringLiteral("'%1' has no georeference (%2); choose the area as a pixel window instead")
                           .arg(rasterName(info), info.georeferenced ? QStringLiteral("no coordinate system")
                                                                     : QStringLiteral("no geotransform")));
    const bool finite = std::isfinite(west) && std::isfinite(south) && std::isfinite(east) && std::isfinite(north);
    if (!finite || west >= east || south >= north || south < -90.0 || north > 90.0 || west < -180.0 || east > 180.0)
        return failure(QStringLiteral("the box %1 is not a lon/lat box: west < east within -180..180, south < north "
                                      "within -90..90 (degrees)")
                           .arg(boxText(west, south, east, north)));

    gdal::ensureRegistered();
    gdal::QuietErrors quiet;
    OGRSpatialReference lonLat;
    lonLat.importFromEPSG(4326);
    lonLat.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    OGRSpatialReference rasterCrs;
    if (rasterCrs.importFromWkt(info.crsWkt.toUtf8().constData()) != OGRERR_NONE)
        return failure(QStringLiteral("the coordinate system of '%1' is not understood: %2")
                           .arg(rasterName(info), gdal::lastErrorMessage()));
    rasterCrs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    const TransformationPtr toRaster(OGRCreateCoordinateTransformation(&lonLat, &rasterCrs));
    if (!toRaster)
        return failure(QStringLiteral("cannot transform lon/lat into the coordinate system of '%1': %2")
                           .arg(rasterName(info), gdal::lastErrorMessage()));
    double xMin = 0, yMin = 0, xMax = 0, yMax = 0;
    if (!toRaster->TransformBounds(west, south, east, north, &xMin, &yMin, &xMax, &yMax, 21))
        return failure(QStringLiteral("the box %1 cannot be expressed in the coordinate system of '%2': %3")
                           .arg(boxText(west, south, east, north), rasterName(info), gdal::lastErrorMessage()));

    double inverse[6];
    if (!GDALInvGeoTransform(const_cast<double *>(info.geoTransform.data()), inverse))
        return failure(QStringLiteral("the geotransform of '%1' cannot be inverted").arg(rasterName(info)));
    double left = INFINITY, top = INFINITY, right = -INFINITY, bottom = -INFINITY;
    for (double x : {xMin, xMax})
        for (double y : {yMin, yMax}) {
            double px = 0, py = 0;
            GDALApplyGeoTransform(inverse, x, y, &px, &py);
            left = std::min(left, px), right = std::max(right, px);
            top = std::min(top, py), bottom = std::max(bottom, py);
        }
    constexpr double kEpsilon = 1e-6;  // a box edge on a pixel edge does not take the next pixel
    const int x0 = int(std::clamp(std::floor(left + kEpsilon), 0.0, double(info.width)));
    const int x1 = int(std::clamp(std::ceil(right - kEpsilon), 0.0, double(info.width)));
    const int y0 = int(std::clamp(std::floor(top + kEpsilon), 0.0, double(info.height)));
    const int y1 = int(std::clamp(std::ceil(bottom - kEpsilon), 0.0, double(info.height)));
    if (x1 > x0 && y1 > y0)
        return QRect(x0, y0, x1 - x0, y1 - y0);

    // Say where the raster is, so that the user can correct the box.
    QString covers;
    const TransformationPtr toLonLat(OGRCreateCoordinateTransformation(&rasterCrs, &lonLat));
    double corners[4][2] = {
        {0, 0}, {double(info.width), 0}, {0, double(info.height)}, {double(info.width), double(info.height)}};
    double rxMin = INFINITY, ryMin = INFINITY, rxMax = -INFINITY, ryMax = -INFINITY;
    for (auto &corner : corners) {
        double gx = 0, gy = 0;
        GDALApplyGeoTransform(const_cast<double *>(info.geoTransform.data()), corner[0], corner[1], &gx, &gy);
        rxMin = std::min(rxMin, gx), rxMax = std::max(rxMax, gx), ryMin = std::min(ryMin, gy),
        ryMax = std::max(ryMax, gy);
    }
    double lonMin = 0, latMin = 0, lonMax = 0, latMax = 0;
    if (toLonLat && toLonLat->TransformBounds(rxMin, ryMin, rxMax, ryMax, &lonMin, &latMin, &lonMax, &latMax, 21))
        covers = QStringLiteral(", which covers ") + boxText(lonMin, latMin, lonMax, latMax);
    return failure(
        QStringLiteral("the box %1 misses '%2'%3").arg(boxText(west, south, east, north), rasterName(info), covers));
}

std::array<double, 6> scaledGeoTransform(const std::array<double, 6> &gt, double scale, QPoint offsetPixels)
{
    const double ox = offsetPixels.x(), oy = offsetPixels.y();
    return {gt[0] + ox * gt[1] + oy * gt[2], gt[1] / scale, gt[2] / scale,
            gt[3] + ox * gt[4] + oy * gt[5], gt[4] / scale, gt[5] / scale};
}

}  // namespace dw
