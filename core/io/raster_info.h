#pragma once
// What a raster says about itself before a pixel is read: size, bands (type, nodata,
// block size), georeference and, for containers (netCDF, HDF, Sentinel-2 SAFE), the
// subdatasets to pick from. Filled by RasterReader (core/io/raster_reader.h); plain values,
// no GDAL types, so the UI and the super-resolution task can show and pass it around.
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <array>

namespace dw {

struct RasterBandInfo {
    int index = 0;        // 1-based GDAL band number
    QString description;  // the band's name in the file ("B4", "red"); often empty
    QString dataType;     // GDAL's name: "Byte", "UInt16", "Int16", "Float32", ...
    bool hasNodata = false;
    double nodata = 0.0;  // meaningful only with hasNodata
    int blockWidth = 0;   // GDAL's natural block (tile or strip) size
    int blockHeight = 0;
    QString colorInterpretation;  // "Gray", "Red", "Undefined", ...

    QJsonObject toJson() const;
};

struct RasterInfo {
    QString path;    // as opened: a file name or a subdataset name
    QString driver;  // GDAL's short name: "GTiff", "VRT", "netCDF", ...
    int width = 0;
    int height = 0;
    QList<RasterBandInfo> bands;
    bool georeferenced = false;  // a geotransform other than GDAL's default
    std::array<double, 6> geoTransform{0.0, 1.0, 0.0, 0.0, 0.0, 1.0};
    QString crsWkt;            // empty when the file has no coordinate system
    double resolutionX = 1.0;  // ground units per pixel (positive); 1 without georeference
    double resolutionY = 1.0;
    QStringList subdatasets;             // names GDAL can open (e.g. NETCDF:"f.nc":var)
    QStringList subdatasetDescriptions;  // one per subdataset

    int bandCount() const { return int(bands.size()); }
    // The CRS's name ("WGS 84 / UTM zone 32N"), empty without one.
    QString crsName() const;
    QJsonObject toJson() const;
    // One line for logs and status bars: "L7_ETMs.tif: GTiff 349 × 352, 6 bands Byte, 28.5 m, SIRGAS 2000 / UTM zone 25S".
    QString describe() const;
};

}  // namespace dw
