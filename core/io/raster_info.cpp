#include "core/io/raster_info.h"

#include "core/io/crs_units.h"

#include <QFileInfo>
#include <QJsonArray>

#include <algorithm>
#include <cmath>
#include <utility>

namespace dw {
namespace {

QString formatResolution(double value)
{
    return QString::number(value, 'g', 6);
}

QString dataTypesText(const QList<RasterBandInfo> &bands)
{
    QStringList types;
    for (const RasterBandInfo &band : bands)
        if (!types.contains(band.dataType))
            types << band.dataType;
    return types.join(QLatin1Char('/'));
}

// The CRS's name and its ground unit per pixel ("m" for metres, "°" for degrees).
std::pair<QString, QString> crsNameAndUnit(const QString &wkt)
{
    const CrsUnits units = crsUnits(wkt);
    return {units.name, units.unit};
}

}  // namespace

QJsonObject RasterBandInfo::toJson() const
{
    QJsonObject json{{QStringLiteral("index"), index},
                     {QStringLiteral("description"), description},
                     {QStringLiteral("dataType"), dataType},
                     {QStringLiteral("blockWidth"), blockWidth},
                     {QStringLiteral("blockHeight"), blockHeight},
                     {QStringLiteral("colorInterpretation"), colorInterpretation}};
    // JSON has no NaN: a NaN nodata (common in float rasters) is written as the string "nan".
    if (hasNodata)
        json.insert(QStringLiteral("nodata"),
                    std::isfinite(nodata) ? QJsonValue(nodata) : QJsonValue(QString::number(nodata)));
    return json;
}

QString RasterInfo::crsName() const
{
    return crsNameAndUnit(crsWkt).first;
}

QJsonObject RasterInfo::toJson() const
{
    QJsonArray bandArray;
    for (const RasterBandInfo &band : bands)
        bandArray.append(band.toJson());
    QJsonObject json{{QStringLiteral("path"), path},
                     {QStringLiteral("driver"), driver},
                     {QStringLiteral("width"), width},
                     {QStringLiteral("height"), height},
                     {QStringLiteral("bands"), bandArray},
                     {QStringLiteral("georeferenced"), georeferenced},
                     {QStringLiteral("resolutionX"), resolutionX},
                     {QStringLiteral("resolutionY"), resolutionY}};
    if (georeferenced) {
        QJsonArray transform;
        for (double term : geoTransform)
            transform.append(term);
        json.insert(QStringLiteral("geoTransform"), transform);
    }
    if (!crsWkt.isEmpty()) {
        json.insert(QStringLiteral("crsWkt"), crsWkt);
        json.insert(QStringLiteral("crsName"), crsName());
    }
    if (!subdatasets.isEmpty()) {
        QJsonArray list;
        for (qsizetype i = 0; i < subdatasets.size(); ++i)
            list.append(QJsonObject{{QStringLiteral("name"), subdatasets[i]},
                                    {QStringLiteral("description"), subdatasetDescriptions.value(i)}});
        json.insert(QStringLiteral("subdatasets"), list);
    }
    return json;
}

QString RasterInfo::describe() const
{
    // A subdataset name (NETCDF:"/a/b.nc":var) is shown whole; a file by its name only.
    const QString name = QFileInfo::exists(path) ? QFileInfo(path).fileName() : path;
    QString line = QStringLiteral("%1: %2 %3 × %4").arg(name, driver).arg(width).arg(height);
    if (bands.isEmpty())
        line += QStringLiteral(", no bands");
    else
        line +=
            QStringLiteral(", %1 band%2 %3").arg(bands.size()).arg(bands.size() == 1 ? "" : "s", dataTypesText(bands));
    if (georeferenced) {
        const auto [crs, unit] = crsNameAndUnit(crsWkt);
        line += QStringLiteral(", %1").arg(formatResolution(resolutionX));
        if (std::abs(resolutionX - resolutionY) > 1e-9 * std::max(resolutionX, resolutionY))
            line += QStringLiteral(" × %1").arg(formatResolution(resolutionY));
        line += crs.isEmpty() ? QStringLiteral(" units/pixel, no CRS") : QStringLiteral(" %1/pixel, %2").arg(unit, crs);
    } else {
        line += QStringLiteral(", not georeferenced");
    }
    if (!subdatasets.isEmpty())
        line += QStringLiteral(", %1 subdatasets").arg(subdatasets.size());
    return line;
}

}  // namespace dw
