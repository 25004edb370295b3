#pragma once
// A coordinate system's name and the unit of its map coordinates, from its WKT: what a
// status line needs to say "x 291911 m, y 9116429 m (SIRGAS 2000 / UTM zone 25S)". No GDAL
// types; parsing the WKT reads no file.
#include <QString>

namespace dw {

struct CrsUnits {
    QString name;             // "WGS 84 / UTM zone 32N"; empty without a CRS
    QString unit;             // the symbol of a map unit: "m", "°", "ft", "US survey foot", ...
    bool geographic = false;  // coordinates are longitude and latitude in degrees

    bool isEmpty() const { return name.isEmpty(); }
};

// Empty for an empty WKT; "unrecognised CRS" with unit "units" when GDAL cannot read it.
CrsUnits crsUnits(const QString &wkt);

}  // namespace dw
