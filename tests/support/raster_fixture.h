#pragma once
// Tiny rasters for the raster I/O tests, made with GDAL directly (independent of the
// RasterWriter under test): GeoTIFFs of any type with known values, nodata, masks and
// georeference, and a netCDF file with two variables (two subdatasets).
#include <QString>

#include <gdal_priv.h>
#include <ogr_spatialref.h>

#include <array>
#include <functional>
#include <optional>
#include <vector>

namespace dw::test {

inline void registerGdal()
{
    GDALAllRegister();
}

struct TiffFixture {
    int width = 8;
    int height = 6;
    int bands = 2;
    GDALDataType type = GDT_Byte;
    std::optional<double> nodata;
    bool georeferenced = false;
    std::array<double, 6> geoTransform{500000.0, 10.0, 0.0, 4000000.0, 0.0, -10.0};
    int epsg = 32633;                  // WGS 84 / UTM zone 33N
    std::vector<std::string> options;  // creation options, e.g. "TILED=YES"
    // Value of band b (0-based) at (x, y); the default: x + 10 y + 100 b.
    std::function<double(int b, int x, int y)> value = [](int b, int x, int y) { return x + 10.0 * y + 100.0 * b; };
};

// Writes the fixture as a GeoTIFF; returns false (with QFAIL-able output) on failure.
inline bool writeTiff(const QString &path, const TiffFixture &f)
{
    registerGdal();
    GDALDriver *driver = GetGDALDriverManager()->GetDriverByName("GTiff");
    std::vector<char *> options;
    for (const std::string &option : f.options)
        options.push_back(const_cast<char *>(option.c_str()));
    options.push_back(nullptr);
    GDALDatasetUniquePtr dataset(
        driver->Create(path.toUtf8().constData(), f.width, f.height, f.bands, f.type, options.data()));
    if (!dataset)
        return false;
    if (f.georeferenced) {
        std::array<double, 6> transform = f.geoTransform;
        dataset->SetGeoTransform(transform.data());
        OGRSpatialReference crs;
        crs.importFromEPSG(f.epsg);
        dataset->SetSpatialRef(&crs);
    }
    std::vector<double> plane(size_t(f.width) * f.height);
    for (int b = 0; b < f.bands; ++b) {
        GDALRasterBand *band = dataset->GetRasterBand(b + 1);
        if (f.nodata)
            band->SetNoDataValue(*f.nodata);
        for (int y = 0; y < f.height; ++y)
            for (int x = 0; x < f.width; ++x)
                plane[size_t(y) * f.width + x] = f.value(b, x, y);
        if (band->RasterIO(GF_Write, 0, 0, f.width, f.height, plane.data(), f.width, f.height, GDT_Float64, 0, 0,
                           nullptr) != CE_None)
            return false;
    }
    return true;
}

// A netCDF-4 file with two 2-D variables (temperature = x + 10 y, humidity = 50 + x)
// through GDAL's multidimensional API; GDAL shows them as two subdatasets.
inline bool writeNetcdf(const QString &path, int width, int height)
{
    registerGdal();
    GDALDriver *driver = GetGDALDriverManager()->GetDriverByName("netCDF");
    if (!driver)
        return false;
    GDALDatasetUniquePtr dataset(driver->CreateMultiDimensional(path.toUtf8().constData(), nullptr, nullptr));
    if (!dataset)
        return false;
    auto root = dataset->GetRootGroup();
    auto y = root->CreateDimension("y", std::string(), std::string(), height);
    auto x = root->CreateDimension("x", std::string(), std::string(), width);
    if (!root || !y || !x)
        return false;
    const std::vector<std::shared_ptr<GDALDimension>> dims{y, x};
    const GUInt64 start[2] = {0, 0};
    const size_t count[2] = {size_t(height), size_t(width)};
    for (const char *name : {"temperature", "humidity"}) {
        auto array = root->CreateMDArray(name, dims, GDALExtendedDataType::Create(GDT_Float32));
        if (!array)
            return false;
        std::vector<float> values(size_t(width) * height);
        for (int row = 0; row < height; ++row)
            for (int col = 0; col < width; ++col)
                values[size_t(row) * width + col] = name[0] == 't' ? float(col + 10 * row) : float(50 + col);
        if (!array->Write(start, count, nullptr, nullptr, GDALExtendedDataType::Create(GDT_Float32), values.data()))
            return false;
    }
    return true;
}

}  // namespace dw::test
