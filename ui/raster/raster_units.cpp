#include "ui/raster/raster_units.h"

#include "core/io/raster_info.h"

#include <QFileInfo>
#include <QObject>

#include <algorithm>
#include <cmath>

namespace dw {

QString pixelCountText(int width, int height)
{
    return width == 1 && height == 1 ? QObject::tr("1 × 1 pixel")
                                     : QObject::tr("%1 × %2 pixels").arg(width).arg(height);
}

QString groundLengthText(double value, const QString &unit, int decimals)
{
    const QString number = decimals < 0 ? QString::number(value, 'g', 6) : QString::number(value, 'f', decimals);
    if (unit.isEmpty())
        return number;
    return unit == QStringLiteral("°") ? number + unit : number + QLatin1Char(' ') + unit;
}

QString pixelSizeText(const RasterInfo &info, const CrsUnits &crs)
{
    if (!info.georeferenced)
        return {};
    const bool square =
        std::abs(info.resolutionX - info.resolutionY) <= 1e-9 * std::max(info.resolutionX, info.resolutionY);
    if (square)
        return groundLengthText(info.resolutionX, crs.unit);
    return QStringLiteral("%1 × %2").arg(QString::number(info.resolutionX, 'g', 6),
                                         groundLengthText(info.resolutionY, crs.unit));
}

QString rasterSummaryText(const RasterInfo &info, const CrsUnits &crs)
{
    const QString name = QFileInfo::exists(info.path) ? QFileInfo(info.path).fileName() : info.path;
    QStringList types;
    for (const RasterBandInfo &band : info.bands)
        if (!types.contains(band.dataType))
            types << band.dataType;
    QStringList parts{
        pixelCountText(info.width, info.height),
        (info.bandCount() == 1 ? QObject::tr("1 band %1") : QObject::tr("%1 bands %2").arg(info.bandCount()))
            .arg(types.join(QLatin1Char('/')))};
    if (info.georeferenced)
        parts << QObject::tr("pixel size %1").arg(pixelSizeText(info, crs));
    else
        parts << QObject::tr("not georeferenced");
    if (!crs.isEmpty())
        parts << crs.name;
    return QStringLiteral("%1: %2").arg(name, parts.join(QStringLiteral(", ")));
}

QString pixelPositionText(QPointF rasterPoint)
{
    return QObject::tr("col %1, row %2").arg(int(std::floor(rasterPoint.x()))).arg(int(std::floor(rasterPoint.y())));
}

QPointF mapPoint(const RasterInfo &info, QPointF p)
{
    const auto &g = info.geoTransform;
    return {g[0] + p.x() * g[1] + p.y() * g[2], g[3] + p.x() * g[4] + p.y() * g[5]};
}

int mapDecimals(const RasterInfo &info)
{
    const double pixel = std::min(info.resolutionX, info.resolutionY);
    if (!(pixel > 0.0) || !std::isfinite(pixel))
        return 2;
    return std::clamp(int(std::ceil(-std::log10(pixel / 10.0))), 0, 9);
}

QString mapPositionText(const RasterInfo &info, const CrsUnits &crs, QPointF rasterPoint)
{
    if (!info.georeferenced)
        return {};
    const QPointF map = mapPoint(info, rasterPoint);
    const int decimals = mapDecimals(info);
    if (crs.isEmpty())
        return QObject::tr("x %1, y %2 (no CRS)")
            .arg(QString::number(map.x(), 'f', decimals), QString::number(map.y(), 'f', decimals));
    if (crs.geographic)
        return QObject::tr("lon %1, lat %2 (%3)")
            .arg(groundLengthText(map.x(), crs.unit, decimals), groundLengthText(map.y(), crs.unit, decimals),
                 crs.name);
    return QObject::tr("x %1, y %2 (%3)")
        .arg(groundLengthText(map.x(), crs.unit, decimals), groundLengthText(map.y(), crs.unit, decimals), crs.name);
}

}  // namespace dw
