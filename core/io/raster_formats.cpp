#include "core/io/raster_formats.h"

#include "core/io/gdal_environment.h"

#include <QFileInfo>

#include <gdal_priv.h>

namespace dw {

namespace {

bool writesRasters(GDALDriver *driver)
{
    return driver->GetMetadataItem(GDAL_DCAP_RASTER) &&
           (driver->GetMetadataItem(GDAL_DCAP_CREATE) || driver->GetMetadataItem(GDAL_DCAP_CREATECOPY));
}

QStringList extensionsOf(GDALDriver *driver)
{
    const QString listed = QString::fromUtf8(driver->GetMetadataItem(GDAL_DMD_EXTENSIONS)).toLower();
    QStringList extensions = listed.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    const QString one = QString::fromUtf8(driver->GetMetadataItem(GDAL_DMD_EXTENSION)).toLower();
    if (!one.isEmpty() && !extensions.contains(one))
        extensions << one;
    return extensions;
}

}  // namespace

QStringList rasterDriverExtensions(const QString &driverName)
{
    gdal::ensureRegistered();
    GDALDriver *driver = GetGDALDriverManager()->GetDriverByName(driverName.toUtf8().constData());
    return driver ? extensionsOf(driver) : QStringList();
}

Result<QString> rasterDriverForPath(const QString &path)
{
    gdal::ensureRegistered();
    const QString suffix = QFileInfo(path).suffix().toLower();
    const QString usual =
        QStringLiteral(".tif (GeoTIFF), .jp2 (JPEG 2000), .img (Erdas Imagine), .nc (netCDF), .png or .jpg "
                       "(8-bit pictures)");
    if (suffix.isEmpty())
        return failure(
            QStringLiteral("%1 has no extension to tell the raster format by: name it e.g. %1.tif, or give the "
                           "GDAL driver (--driver); usual ones: %2")
                .arg(path, usual),
            QStringLiteral("output"));
    if (suffix == QLatin1String("tif") || suffix == QLatin1String("tiff"))
        return QStringLiteral("GTiff");
    GDALDriverManager *manager = GetGDALDriverManager();
    for (int i = 0; i < manager->GetDriverCount(); ++i) {
        GDALDriver *driver = manager->GetDriver(i);
        if (writesRasters(driver) && extensionsOf(driver).contains(suffix))
            return QString::fromUtf8(driver->GetDescription());
    }
    return failure(
        QStringLiteral("no GDAL driver writes rasters as .%1 files: name the output %2 or another format GDAL "
                       "writes; usual ones: %3")
            .arg(suffix, QFileInfo(path).completeBaseName() + QStringLiteral(".tif"), usual),
        QStringLiteral("output"));
}

}  // namespace dw
