#pragma once
// A small Sentinel-2 Level-1C product in the "SAFE compact" layout, enough for GDAL's SENTINEL2
// driver to list and read its 10, 20 and 60 m band groups: the product's MTD_MSIL1C.xml (the
// granule's image files), the granule's MTD_TL.xml (UTM zone 33N; size and origin per
// resolution) and one lossless JPEG 2000 file per band. The band values come from a callback,
// so that a test can put real data in it. Written with GDAL directly (JP2OpenJPEG).
#include <QDir>
#include <QFile>
#include <QString>
#include <QStringList>

#include <gdal_priv.h>

#include <algorithm>
#include <functional>
#include <vector>

namespace dw::test {

struct Sentinel2Fixture {
    int width10 = 120;  // the 10 m grid; the 20 m and 60 m grids are ⌊width10/2⌋ and ⌊width10/6⌋
    int height10 = 120;
    double ulx = 500000.0, uly = 5000000.0;
    // The value of band `name` ("B2", "B8A", ...) at pixel (x, y) of its own grid.
    std::function<double(const QString &name, int x, int y)> value = [](const QString &, int x, int y) {
        return 1000.0 + x + 10.0 * y;
    };
};

// The bands of each resolution, as the SENTINEL2 driver groups them.
inline QStringList sentinel2Bands(int resolution)
{
    if (resolution == 10)
        return {QStringLiteral("B2"), QStringLiteral("B3"), QStringLiteral("B4"), QStringLiteral("B8")};
    if (resolution == 20)
        return {QStringLiteral("B5"),  QStringLiteral("B6"),  QStringLiteral("B7"),
                QStringLiteral("B8A"), QStringLiteral("B11"), QStringLiteral("B12")};
    return {QStringLiteral("B1"), QStringLiteral("B9"), QStringLiteral("B10")};
}

// Writes the product into folder/S2A_MSIL1C_TEST.SAFE and returns its MTD_MSIL1C.xml (empty
// on failure). Subdatasets: SENTINEL2_L1C:<that path>:10m:EPSG_32633, :20m:, :60m:, :TCI:.
inline QString writeSentinel2L1C(const QString &folder, const Sentinel2Fixture &f)
{
    GDALAllRegister();
    GDALDriver *jp2 = GetGDALDriverManager()->GetDriverByName("JP2OpenJPEG");
    GDALDriver *mem = GetGDALDriverManager()->GetDriverByName("MEM");
    if (!jp2 || !mem)
        return {};
    const QDir product(QDir(folder).filePath(QStringLiteral("S2A_MSIL1C_TEST.SAFE")));
    const QString imageFolder = product.filePath(QStringLiteral("GRANULE/G/IMG_DATA"));
    if (!QDir().mkpath(imageFolder))
        return {};
    QString imageFiles, sizes, positions;
    for (int resolution : {10, 20, 60}) {
        const int factor = resolution / 10, width = f.width10 / factor, height = f.height10 / factor;
        sizes += QStringLiteral("<Size resolution=\"%1\"><NROWS>%2</NROWS><NCOLS>%3</NCOLS></Size>\n")
                     .arg(resolution)
                     .arg(height)
                     .arg(width);
        positions += QStringLiteral(
                         "<Geoposition "
                         "resolution=\"%1\"><ULX>%2</ULX><ULY>%3</ULY><XDIM>%1</XDIM><YDIM>-%1</YDIM></Geoposition>\n")
                         .arg(resolution)
                         .arg(f.ulx, 0, 'f', 0)
                         .arg(f.uly, 0, 'f', 0);
        for (const QString &band : sentinel2Bands(resolution)) {
            // The driver names files B01 ... B12 and B8A.
            const QString file = band == QLatin1String("B8A")
                                     ? band
                                     : QStringLiteral("B%1").arg(band.mid(1).toInt(), 2, 10, QLatin1Char('0'));
            imageFiles += QStringLiteral("<IMAGE_FILE>GRANULE/G/IMG_DATA/T33XXX_%1</IMAGE_FILE>\n").arg(file);
            GDALDatasetUniquePtr pixels(mem->Create("", width, height, 1, GDT_UInt16, nullptr));
            std::vector<GUInt16> row(static_cast<size_t>(width));
            for (int y = 0; y < height; ++y) {
                for (int x = 0; x < width; ++x)
                    row[size_t(x)] = GUInt16(std::clamp(f.value(band, x, y), 1.0, 65535.0));  // 0 is nodata
                if (pixels->GetRasterBand(1)->RasterIO(GF_Write, 0, y, width, 1, row.data(), width, 1, GDT_UInt16, 0,
                                                       0) != CE_None)
                    return {};
            }
            const char *options[] = {"REVERSIBLE=YES", "QUALITY=100", nullptr};
            const QString path = QDir(imageFolder).filePath(QStringLiteral("T33XXX_%1.jp2").arg(file));
            GDALDatasetUniquePtr written(jp2->CreateCopy(path.toUtf8().constData(), pixels.get(), FALSE,
                                                         const_cast<char **>(options), nullptr, nullptr));
            if (!written)
                return {};
        }
    }
    const auto save = [](const QString &path, const QString &text) {
        QFile file(path);
        return file.open(QIODevice::WriteOnly) && file.write(text.toUtf8()) == text.toUtf8().size();
    };
    const QString tile =
        QStringLiteral("<n1:Level-1C_Tile_ID "
                       "xmlns:n1=\"https://psd-14.sentinel2.eo.esa.int/PSD/S2_PDI_Level-1C_Tile_Metadata.xsd\">\n"
                       "<n1:Geometric_Info><Tile_Geocoding metadataLevel=\"Brief\">\n"
                       "<HORIZONTAL_CS_NAME>WGS84 / UTM zone "
                       "33N</HORIZONTAL_CS_NAME><HORIZONTAL_CS_CODE>EPSG:32633</HORIZONTAL_CS_CODE>\n"
                       "%1%2</Tile_Geocoding></n1:Geometric_Info>\n</n1:Level-1C_Tile_ID>\n")
            .arg(sizes, positions);
    const QString main =
        QStringLiteral(
            "<n1:Level-1C_User_Product xmlns:n1=\"https://psd-14.sentinel2.eo.esa.int/PSD/User_Product_Level-1C.xsd\" "
            "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
            "xsi:schemaLocation=\"https://psd-14.sentinel2.eo.esa.int/PSD/User_Product_Level-1C.xsd\">\n"
            "<n1:General_Info><Product_Info>\n"
            "<PROCESSING_LEVEL>Level-1C</PROCESSING_LEVEL><PRODUCT_TYPE>S2MSI1C</PRODUCT_TYPE>\n"
            "<Query_Options completeSingleTile=\"true\"><PRODUCT_FORMAT>SAFE_COMPACT</PRODUCT_FORMAT></Query_Options>\n"
            "<Product_Organisation><Granule_List><Granule granuleIdentifier=\"G\" imageFormat=\"JPEG2000\">\n"
            "%1</Granule></Granule_List></Product_Organisation>\n"
            "</Product_Info>\n"
            "<Product_Image_Characteristics><QUANTIFICATION_VALUE unit=\"none\">10000</QUANTIFICATION_VALUE>"
            "</Product_Image_Characteristics>\n"
            "</n1:General_Info>\n</n1:Level-1C_User_Product>\n")
            .arg(imageFiles);
    const QString mtd = product.filePath(QStringLiteral("MTD_MSIL1C.xml"));
    if (!save(product.filePath(QStringLiteral("GRANULE/G/MTD_TL.xml")), tile) || !save(mtd, main))
        return {};
    return mtd;
}

// The SENTINEL2 driver's name of one resolution's subdataset.
inline QString sentinel2Subdataset(const QString &mtd, int resolution)
{
    return QStringLiteral("SENTINEL2_L1C:%1:%2m:EPSG_32633").arg(mtd).arg(resolution);
}

}  // namespace dw::test
