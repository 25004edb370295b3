#include "core/io/crs_units.h"

#include "core/io/gdal_environment.h"

#include <ogr_spatialref.h>

namespace dw {

CrsUnits crsUnits(const QString &wkt)
{
    if (wkt.isEmpty())
        return {};
    gdal::ensureRegistered();
    gdal::QuietErrors quiet;
    OGRSpatialReference crs;
    if (crs.importFromWkt(wkt.toUtf8().constData()) != OGRERR_NONE)
        return {QStringLiteral("unrecognised CRS"), QStringLiteral("units"), false};
    CrsUnits units;
    const char *name = crs.GetName();
    units.name = name ? QString::fromUtf8(name) : QStringLiteral("unnamed CRS");
    units.unit = QStringLiteral("°");
    units.geographic = crs.IsGeographic();
    if (crs.IsProjected() || crs.IsLocal()) {
        const char *unitName = nullptr;
        crs.GetLinearUnits(&unitName);
        units.unit = unitName ? QString::fromUtf8(unitName) : QStringLiteral("units");
        if (units.unit == QLatin1String("metre") || units.unit == QLatin1String("meter"))
            units.unit = QStringLiteral("m");
        else if (units.unit == QLatin1String("foot") || units.unit == QLatin1String("ft"))
            units.unit = QStringLiteral("ft");
    }
    return units;
}

}  // namespace dw
