#pragma once
// Which GDAL driver writes a file, told from its extension as GDAL's drivers declare them
// (DMD_EXTENSIONS): .tif/.tiff GeoTIFF, .jp2 JPEG 2000, .img Erdas Imagine, .nc netCDF,
// .png PNG, ... So that `-o scene.jpg` writes a JPEG, or is refused, rather than GeoTIFF
// bytes under a .jpg name. No GDAL types here.
#include "core/util/result.h"

#include <QString>
#include <QStringList>

namespace dw {

// The short name of a raster driver that writes files with path's extension (GTiff first for
// .tif/.tiff); an error naming the extension and the usual ones when none does, or when the
// name has no extension.
Result<QString> rasterDriverForPath(const QString &path);
// The extensions a driver's files take (lower case, without the dot); empty when it says none.
QStringList rasterDriverExtensions(const QString &driver);

}  // namespace dw
