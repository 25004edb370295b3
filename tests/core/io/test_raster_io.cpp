// RasterReader and RasterInfo: GeoTIFF 8/16-bit/float, nodata and masks, band selection,
// windows and block windows, the Landsat 7 scene in /work/shared/data, a VRT, JPEG 2000, HDF4,
// netCDF subdatasets, lon/lat windows, percentiles and the errors a user can meet.
#include "core/io/gdal_environment.h"
#include "core/io/raster_geometry.h"
#include "core/io/raster_reader.h"
#include "raster_fixture.h"
#include "shared_data.h"

#include <QFile>
#include <QJsonArray>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

#include <cpl_conv.h>

using namespace dw;
using dw::test::TiffFixture;

class TestRasterIo : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString path(const QString &name) const { return m_dir.filePath(name); }
    static QString l7Path() { return QStringLiteral(DW_SHARED_DATA_DIR "/L7_ETMs.tif"); }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    // Rasters read over HTTP never wait without limit: GDAL's timeouts are set unless the
    // user set them (GDAL's own default is to wait for ever on a server that never answers).
    void httpReadsHaveTimeouts()
    {
        dw::gdal::ensureRegistered();
        QCOMPARE(QByteArray(CPLGetConfigOption("GDAL_HTTP_TIMEOUT", "")), QByteArray("60"));
        QCOMPARE(QByteArray(CPLGetConfigOption("GDAL_HTTP_CONNECTTIMEOUT", "")), QByteArray("20"));
    }

    void readsTypes_data()
    {
        QTest::addColumn<int>("type");
        QTest::addColumn<double>("scale");
        QTest::addColumn<double>("offset");
        QTest::newRow("Byte") << int(GDT_Byte) << 1.0 << 0.0;
        QTest::newRow("UInt16") << int(GDT_UInt16) << 300.0 << 0.0;
        QTest::newRow("Int16") << int(GDT_Int16) << -100.0 << 7.0;
        QTest::newRow("Float32") << int(GDT_Float32) << 0.5 << 0.25;
    }
    void readsTypes()
    {
        QFETCH(int, type);
        QFETCH(double, scale);
        QFETCH(double, offset);
        TiffFixture fixture;
        fixture.type = GDALDataType(type);
        fixture.value = [=](int b, int x, int y) { return (x + 10.0 * y + 100.0 * b) * scale + offset; };
        const QString file = path(QStringLiteral("types_%1.tif").arg(type));
        QVERIFY(test::writeTiff(file, fixture));
        Result<RasterReader> reader = RasterReader::open(file);
        QVERIFY2(reader.ok(), qPrintable(reader.ok() ? QString() : reader.error().text()));
        QCOMPARE(reader->info().width, 8);
        QCOMPARE(reader->info().height, 6);
        QCOMPARE(reader->info().bands.size(), 2);
        QCOMPARE(reader->info().bands[0].dataType, QString::fromUtf8(GDALGetDataTypeName(GDALDataType(type))));
        QCOMPARE(reader->info().georeferenced, false);
        QCOMPARE(reader->info().resolutionX, 1.0);
        Result<RasterBuffer> all = reader->read(QRect(0, 0, 8, 6));
        QVERIFY(all.ok());
        QCOMPARE(all->bands, 2);
        // Float rasters can hold NaN, so they always carry a mask; integer ones without nodata do not.
        QCOMPARE(all->valid.empty(), type != GDT_Float32);
        QVERIFY(all->allValid());
        for (int b = 0; b < 2; ++b)
            for (int y = 0; y < 6; ++y)
                for (int x = 0; x < 8; ++x)
                    QCOMPARE(all->at(b, x, y), float(fixture.value(b, x, y)));
        // A window away from the origin.
        Result<RasterBuffer> window = reader->read(QRect(3, 2, 4, 3));
        QVERIFY(window.ok());
        QCOMPARE(window->width, 4);
        QCOMPARE(window->height, 3);
        QCOMPARE(window->at(1, 0, 0), float(fixture.value(1, 3, 2)));
        QCOMPARE(window->at(0, 3, 2), float(fixture.value(0, 6, 4)));
    }

    void masksNodata()
    {
        TiffFixture fixture;
        fixture.type = GDT_UInt16;
        fixture.nodata = 65535.0;
        // Band 1 holds nodata at (1, 1), band 2 at (2, 3).
        fixture.value = [](int b, int x, int y) {
            if ((b == 0 && x == 1 && y == 1) || (b == 1 && x == 2 && y == 3))
                return 65535.0;
            return x + 10.0 * y + 100.0 * b;
        };
        const QString file = path(QStringLiteral("nodata.tif"));
        QVERIFY(test::writeTiff(file, fixture));
        Result<RasterReader> reader = RasterReader::open(file);
        QVERIFY(reader.ok());
        QVERIFY(reader->info().bands[0].hasNodata);
        QCOMPARE(reader->info().bands[0].nodata, 65535.0);
        Result<RasterBuffer> buffer = reader->read(QRect(0, 0, 8, 6));
        QVERIFY(buffer.ok());
        QCOMPARE(buffer->valid.size(), size_t(48));
        QVERIFY(!buffer->isValid(1, 1));
        QVERIFY(!buffer->isValid(2, 3));
        QVERIFY(buffer->isValid(0, 0));
        QVERIFY(buffer->isValid(2, 1));
        // Invalid pixels read as 0 in every band.
        QCOMPARE(buffer->at(0, 1, 1), 0.0f);
        QCOMPARE(buffer->at(1, 1, 1), 0.0f);
        QCOMPARE(buffer->at(0, 2, 3), 0.0f);
        QCOMPARE(buffer->at(1, 2, 2), float(100 + 2 + 20));
        // Only band 2: (1, 1) is valid there.
        Result<RasterBuffer> second = reader->read(QRect(0, 0, 8, 6), {2});
        QVERIFY(second.ok());
        QVERIFY(second->isValid(1, 1));
        QCOMPARE(second->at(0, 1, 1), float(100 + 1 + 10));
        QVERIFY(!second->isValid(2, 3));
    }

    void masksNanAndMaskBand()
    {
        TiffFixture fixture;
        fixture.type = GDT_Float32;
        fixture.bands = 1;
        fixture.value = [](int, int x, int y) { return x == 4 && y == 0 ? std::nan("") : double(x); };
        const QString file = path(QStringLiteral("nan_mask.tif"));
        QVERIFY(test::writeTiff(file, fixture));
        {
            // An internal per-dataset mask hiding column 0.
            GDALDatasetUniquePtr dataset(GDALDataset::Open(file.toUtf8().constData(), GDAL_OF_RASTER | GDAL_OF_UPDATE));
            QVERIFY(dataset);
            QCOMPARE(dataset->CreateMaskBand(GMF_PER_DATASET), CE_None);
            std::vector<GByte> mask(48, 255);
            for (int y = 0; y < 6; ++y)
                mask[size_t(y) * 8] = 0;
            QCOMPARE(dataset->GetRasterBand(1)->GetMaskBand()->RasterIO(GF_Write, 0, 0, 8, 6, mask.data(), 8, 6,
                                                                        GDT_Byte, 0, 0, nullptr),
                     CE_None);
        }
        Result<RasterReader> reader = RasterReader::open(file);
        QVERIFY(reader.ok());
        Result<RasterBuffer> buffer = reader->read(QRect(0, 0, 8, 6));
        QVERIFY(buffer.ok());
        QVERIFY(!buffer->isValid(4, 0));
        QCOMPARE(buffer->at(0, 4, 0), 0.0f);
        for (int y = 0; y < 6; ++y)
            QVERIFY(!buffer->isValid(0, y));
        QVERIFY(buffer->isValid(1, 0));
        QCOMPARE(buffer->at(0, 5, 5), 5.0f);
    }

    void selectsBands()
    {
        DW_REQUIRE_SHARED_FILE(l7Path());
        Result<RasterReader> reader = RasterReader::open(l7Path());
        QVERIFY2(reader.ok(), qPrintable(reader.ok() ? QString() : reader.error().text()));
        Result<RasterBuffer> all = reader->read(QRect(10, 20, 5, 4));
        Result<RasterBuffer> picked = reader->read(QRect(10, 20, 5, 4), {6, 2});
        QVERIFY(all.ok() && picked.ok());
        QCOMPARE(all->bands, 6);
        QCOMPARE(picked->bands, 2);
        for (int y = 0; y < 4; ++y)
            for (int x = 0; x < 5; ++x) {
                QCOMPARE(picked->at(0, x, y), all->at(5, x, y));
                QCOMPARE(picked->at(1, x, y), all->at(1, x, y));
            }
        for (int bad : {0, 7, -1}) {
            Result<RasterBuffer> wrong = reader->read(QRect(0, 0, 4, 4), {1, bad});
            QVERIFY(!wrong.ok());
            QVERIFY2(wrong.error().message.contains(QStringLiteral("bands 1 to 6")), qPrintable(wrong.error().message));
        }
    }

    void refusesWindowsOutside()
    {
        DW_REQUIRE_SHARED_FILE(l7Path());
        Result<RasterReader> reader = RasterReader::open(l7Path());
        QVERIFY(reader.ok());
        for (const QRect &window :
             {QRect(340, 0, 10, 10), QRect(-1, 0, 5, 5), QRect(0, 350, 5, 5), QRect(0, 0, 0, 5)}) {
            Result<RasterBuffer> outside = reader->read(window);
            QVERIFY(!outside.ok());
            QVERIFY2(outside.error().message.contains(QStringLiteral("349 × 352")) ||
                         outside.error().message.contains(QStringLiteral("empty")),
                     qPrintable(outside.error().message));
        }
        QVERIFY(reader->read(QRect(339, 342, 10, 10)).ok());
    }

    void coversWithBlockWindows()
    {
        DW_REQUIRE_SHARED_FILE(l7Path());
        TiffFixture fixture;
        fixture.width = 70;
        fixture.height = 45;
        fixture.bands = 1;
        fixture.options = {"TILED=YES", "BLOCKXSIZE=16", "BLOCKYSIZE=16"};
        const QString file = path(QStringLiteral("tiled.tif"));
        QVERIFY(test::writeTiff(file, fixture));
        Result<RasterReader> reader = RasterReader::open(file);
        QVERIFY(reader.ok());
        QCOMPARE(reader->info().bands[0].blockWidth, 16);
        const QList<QRect> windows = reader->blockWindows(30);
        // 30 px rounds to two 16-px blocks: 32-px windows, 3 columns (32, 32, 6) × 2 rows (32, 13).
        QCOMPARE(windows.size(), 6);
        std::vector<int> covered(70 * 45, 0);
        for (const QRect &window : windows) {
            QCOMPARE(window.x() % 32, 0);
            QCOMPARE(window.y() % 32, 0);
            QVERIFY(QRect(0, 0, 70, 45).contains(window));
            for (int y = window.top(); y <= window.bottom(); ++y)
                for (int x = window.left(); x <= window.right(); ++x)
                    ++covered[size_t(y) * 70 + x];
        }
        QVERIFY(std::all_of(covered.begin(), covered.end(), [](int n) { return n == 1; }));
        // Reading window by window gives what one read gives.
        Result<RasterBuffer> whole = reader->read(QRect(0, 0, 70, 45));
        QVERIFY(whole.ok());
        for (const QRect &window : windows) {
            Result<RasterBuffer> part = reader->read(window);
            QVERIFY(part.ok());
            QCOMPARE(part->at(0, part->width - 1, part->height - 1), whole->at(0, window.right(), window.bottom()));
        }
        // The Landsat scene is stored in strips of 349 × 3: full-width windows.
        Result<RasterReader> l7 = RasterReader::open(l7Path());
        QVERIFY(l7.ok());
        const QList<QRect> strips = l7->blockWindows(100);
        QCOMPARE(strips.first(), QRect(0, 0, 349, 99));
        QCOMPARE(strips.last().bottom(), 351);
        QCOMPARE(blockWindows(QSize(10, 10), QSize(4, 4), 0).size(), 9);  // at least one block a window
    }

    void describesLandsat()
    {
        DW_REQUIRE_SHARED_FILE(l7Path());
        Result<RasterReader> reader = RasterReader::open(l7Path());
        QVERIFY(reader.ok());
        const RasterInfo &info = reader->info();
        QCOMPARE(info.driver, QStringLiteral("GTiff"));
        QCOMPARE(info.width, 349);
        QCOMPARE(info.height, 352);
        QCOMPARE(info.bands.size(), 6);
        QCOMPARE(info.bands[5].index, 6);
        QCOMPARE(info.bands[0].dataType, QStringLiteral("Byte"));
        QCOMPARE(info.bands[0].blockWidth, 349);
        QCOMPARE(info.bands[0].colorInterpretation, QStringLiteral("Gray"));
        QVERIFY(info.georeferenced);
        QVERIFY2(info.crsWkt.contains(QStringLiteral("UTM zone 25S")), qPrintable(info.crsWkt.left(200)));
        QCOMPARE(info.crsName(), QStringLiteral("SIRGAS 2000 / UTM zone 25S"));
        QVERIFY(std::abs(info.geoTransform[0] - 288776.25) < 1e-3);
        QVERIFY(std::abs(info.geoTransform[3] - 9120760.75) < 1e-3);
        QVERIFY(std::abs(info.geoTransform[1] - 28.5) < 1e-6);
        QVERIFY(std::abs(info.geoTransform[5] + 28.5) < 1e-6);
        QCOMPARE(info.geoTransform[2], 0.0);
        QVERIFY(std::abs(info.resolutionX - 28.5) < 1e-6);
        QVERIFY(std::abs(info.resolutionY - 28.5) < 1e-6);
        QVERIFY(info.subdatasets.isEmpty());
        const QString line = info.describe();
        QVERIFY2(line.contains(QStringLiteral(
                     "L7_ETMs.tif: GTiff 349 × 352, 6 bands Byte, 28.5 m/pixel, SIRGAS 2000 / UTM zone 25S")),
                 qPrintable(line));
        const QJsonObject json = info.toJson();
        QCOMPARE(json.value(QStringLiteral("width")).toInt(), 349);
        QCOMPARE(json.value(QStringLiteral("bands")).toArray().size(), 6);
        QCOMPARE(json.value(QStringLiteral("geoTransform")).toArray().size(), 6);
        QCOMPARE(json.value(QStringLiteral("crsName")).toString(), QStringLiteral("SIRGAS 2000 / UTM zone 25S"));
        // The data are real: band 4 (near infrared) is not constant.
        Result<std::vector<double>> range = reader->percentiles(4, {0.02, 0.5, 0.98});
        QVERIFY(range.ok());
        QVERIFY((*range)[0] < (*range)[1] && (*range)[1] < (*range)[2]);
        QVERIFY((*range)[0] >= 0.0 && (*range)[2] <= 255.0);
    }

    void readsVrt()
    {
        TiffFixture fixture;
        fixture.bands = 3;
        const QString tiff = path(QStringLiteral("vrt_source.tif"));
        QVERIFY(test::writeTiff(tiff, fixture));
        const QString vrt = path(QStringLiteral("mosaic.vrt"));
        {
            GDALDatasetUniquePtr source(GDALDataset::Open(tiff.toUtf8().constData(), GDAL_OF_RASTER));
            GDALDriver *driver = GetGDALDriverManager()->GetDriverByName("VRT");
            GDALDatasetUniquePtr copy(
                driver->CreateCopy(vrt.toUtf8().constData(), source.get(), FALSE, nullptr, nullptr, nullptr));
            QVERIFY(copy);
        }
        Result<RasterReader> reader = RasterReader::open(vrt);
        QVERIFY2(reader.ok(), qPrintable(reader.ok() ? QString() : reader.error().text()));
        QCOMPARE(reader->info().driver, QStringLiteral("VRT"));
        QCOMPARE(reader->info().bands.size(), 3);
        Result<RasterBuffer> buffer = reader->read(QRect(2, 1, 3, 3), {3});
        QVERIFY(buffer.ok());
        QCOMPARE(buffer->at(0, 1, 2), float(fixture.value(2, 3, 3)));
    }

    // Other formats GDAL writes here: JPEG 2000 (lossless) and HDF4 (read back as a file or, as
    // GDAL's HDF4 driver lists it, through its scientific data set).
    void readsOtherFormats_data()
    {
        QTest::addColumn<QString>("driver");
        QTest::addColumn<QString>("file");
        QTest::addColumn<QStringList>("options");
        QTest::newRow("JPEG 2000") << QStringLiteral("JP2OpenJPEG") << QStringLiteral("scene.jp2")
                                   << QStringList{QStringLiteral("REVERSIBLE=YES"), QStringLiteral("QUALITY=100")};
        QTest::newRow("HDF4") << QStringLiteral("HDF4Image") << QStringLiteral("scene.hdf") << QStringList{};
    }

    void readsOtherFormats()
    {
        QFETCH(QString, driver);
        QFETCH(QString, file);
        QFETCH(QStringList, options);
        test::registerGdal();
        GDALDriver *target = GetGDALDriverManager()->GetDriverByName(driver.toUtf8().constData());
        if (!target)
            QSKIP(qPrintable(QStringLiteral("this GDAL has no %1 driver").arg(driver)));
        TiffFixture fixture;
        fixture.width = 40;
        fixture.height = 24;
        fixture.bands = 3;
        fixture.type = GDT_UInt16;
        fixture.georeferenced = true;
        const QString tiff = path(QStringLiteral("source_%1.tif").arg(driver));
        QVERIFY(test::writeTiff(tiff, fixture));
        const QString out = path(file);
        {
            std::vector<std::string> keep;
            for (const QString &o : options)
                keep.push_back(o.toStdString());
            std::vector<char *> list;
            for (std::string &o : keep)
                list.push_back(o.data());
            list.push_back(nullptr);
            GDALDatasetUniquePtr source(GDALDataset::Open(tiff.toUtf8().constData(), GDAL_OF_RASTER));
            GDALDatasetUniquePtr copy(
                target->CreateCopy(out.toUtf8().constData(), source.get(), FALSE, list.data(), nullptr, nullptr));
            QVERIFY(copy);
        }
        Result<RasterReader> reader = RasterReader::open(out);
        if (!reader.ok()) {  // a container: its data sets are named in the message and by probe()
            Result<RasterInfo> probed = RasterReader::probe(out);
            QVERIFY2(probed.ok() && !probed->subdatasets.isEmpty(), qPrintable(reader.error().text()));
            reader = RasterReader::open(probed->subdatasets.first());
        }
        QVERIFY2(reader.ok(), qPrintable(reader.ok() ? QString() : reader.error().text()));
        QCOMPARE(reader->info().width, 40);
        QCOMPARE(reader->info().height, 24);
        const int band = int(reader->info().bands.size());  // 3, or 1 for a data set per band
        QVERIFY(band == 3 || band == 1);
        QCOMPARE(reader->info().bands[band - 1].dataType, QStringLiteral("UInt16"));
        Result<RasterBuffer> values = reader->read(QRect(5, 4, 20, 10), {band});
        QVERIFY2(values.ok(), qPrintable(values.ok() ? QString() : values.error().text()));
        for (int y = 0; y < 10; ++y)
            for (int x = 0; x < 20; ++x)
                QCOMPARE(values->at(0, x, y), float(fixture.value(band - 1, 5 + x, 4 + y)));
        if (driver == QLatin1String("JP2OpenJPEG")) {  // GeoJP2 keeps the georeference
            QVERIFY(reader->info().georeferenced);
            QCOMPARE(reader->info().geoTransform[1], 10.0);
        }
    }

    void listsNetcdfSubdatasets()
    {
        if (!GetGDALDriverManager()->GetDriverByName("netCDF"))
            QSKIP("this GDAL has no netCDF driver");
        const QString file = path(QStringLiteral("climate.nc"));
        QVERIFY(test::writeNetcdf(file, 7, 5));
        Result<RasterReader> container = RasterReader::open(file);
        QVERIFY(!container.ok());
        QVERIFY2(container.error().message.contains(QStringLiteral("NETCDF:\"%1\":temperature").arg(file)),
                 qPrintable(container.error().message));
        QVERIFY(container.error().message.contains(QStringLiteral(":humidity")));
        Result<RasterInfo> probed = RasterReader::probe(file);
        QVERIFY(probed.ok());
        QCOMPARE(probed->subdatasets.size(), 2);
        QCOMPARE(probed->subdatasetDescriptions.size(), 2);
        QVERIFY(probed->bands.isEmpty());

        const QString humidityName =
            probed->subdatasets[probed->subdatasets[0].endsWith(QStringLiteral("humidity")) ? 0 : 1];
        Result<RasterReader> humidity = RasterReader::open(humidityName);
        QVERIFY2(humidity.ok(), qPrintable(humidity.ok() ? QString() : humidity.error().text()));
        QCOMPARE(humidity->info().width, 7);
        QCOMPARE(humidity->info().height, 5);
        QCOMPARE(humidity->info().bands.size(), 1);
        QCOMPARE(humidity->info().bands[0].dataType, QStringLiteral("Float32"));
        Result<RasterBuffer> values = humidity->read(QRect(0, 0, 7, 5));
        QVERIFY(values.ok());
        for (int y = 0; y < 5; ++y)
            for (int x = 0; x < 7; ++x)
                QCOMPARE(values->at(0, x, y), float(50 + x));
        Result<RasterReader> temperature = RasterReader::open(QStringLiteral("NETCDF:\"%1\":temperature").arg(file));
        QVERIFY(temperature.ok());
        Result<RasterBuffer> rows = temperature->read(QRect(0, 0, 7, 5));
        QVERIFY(rows.ok());
        QCOMPARE(rows->at(0, 3, 0) - rows->at(0, 0, 0), 3.0f);  // x + 10 y, rows in either order
        QCOMPARE(std::abs(rows->at(0, 0, 1) - rows->at(0, 0, 0)), 10.0f);
    }

    void findsLonLatWindow()
    {
        DW_REQUIRE_SHARED_FILE(l7Path());
        Result<RasterReader> reader = RasterReader::open(l7Path());
        QVERIFY(reader.ok());
        // A box around the whole scene (7.95°S..8.04°S, 34.92°W..34.83°W) gives the whole raster.
        Result<QRect> whole = reader->pixelWindowFromLonLat(-35.0, -8.1, -34.8, -7.9);
        QVERIFY2(whole.ok(), qPrintable(whole.ok() ? QString() : whole.error().text()));
        QCOMPARE(*whole, QRect(0, 0, 349, 352));

        // The lon/lat box of pixels (100, 50)-(200, 150) maps back onto a window that holds
        // them and only a few pixels more (UTM's grid is turned slightly against lon/lat).
        OGRSpatialReference utm, lonLat;
        utm.importFromWkt(reader->info().crsWkt.toUtf8().constData());
        utm.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
        lonLat.importFromEPSG(4326);
        lonLat.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
        std::unique_ptr<OGRCoordinateTransformation> toLonLat(OGRCreateCoordinateTransformation(&utm, &lonLat));
        const auto &gt = reader->info().geoTransform;
        double west = 0, south = 0, east = 0, north = 0;
        QVERIFY(toLonLat->TransformBounds(gt[0] + 100 * gt[1], gt[3] + 150 * gt[5], gt[0] + 200 * gt[1],
                                          gt[3] + 50 * gt[5], &west, &south, &east, &north, 21));
        Result<QRect> window = reader->pixelWindowFromLonLat(west, south, east, north);
        QVERIFY(window.ok());
        QVERIFY2(window->contains(QRect(100, 50, 100, 100)), qPrintable(QStringLiteral("%1 %2 %3 %4")
                                                                            .arg(window->x())
                                                                            .arg(window->y())
                                                                            .arg(window->width())
                                                                            .arg(window->height())));
        QVERIFY(window->width() <= 106 && window->height() <= 106);

        // Clipped at the raster's edge.
        Result<QRect> clipped = reader->pixelWindowFromLonLat(-34.90, -8.2, -34.85, -8.0);
        QVERIFY(clipped.ok());
        QCOMPARE(clipped->bottom(), 351);

        Result<QRect> missing = reader->pixelWindowFromLonLat(10.0, 45.0, 11.0, 46.0);
        QVERIFY(!missing.ok());
        QVERIFY2(missing.error().message.contains(QStringLiteral("misses")) &&
                     missing.error().message.contains(QStringLiteral("covers lon -34.9")),
                 qPrintable(missing.error().message));
        QVERIFY(!reader->pixelWindowFromLonLat(-34.8, -8.1, -35.0, -7.9).ok());  // west > east

        TiffFixture plain;
        const QString file = path(QStringLiteral("plain.tif"));
        QVERIFY(test::writeTiff(file, plain));
        Result<RasterReader> ungeoreferenced = RasterReader::open(file);
        QVERIFY(ungeoreferenced.ok());
        QVERIFY(!ungeoreferenced->info().georeferenced);
        QVERIFY(ungeoreferenced->info().crsWkt.isEmpty());
        QVERIFY(ungeoreferenced->info().describe().contains(QStringLiteral("not georeferenced")));
        Result<QRect> none = ungeoreferenced->pixelWindowFromLonLat(-35.0, -8.1, -34.8, -7.9);
        QVERIFY(!none.ok());
        QVERIFY(none.error().message.contains(QStringLiteral("no georeference")));
    }

    void computesPercentiles()
    {
        TiffFixture fixture;
        fixture.width = 100;
        fixture.height = 100;
        fixture.bands = 1;
        fixture.type = GDT_Float32;
        fixture.nodata = -1.0;
        // 0..9999, with a nodata stripe in column 0 that must not drag the low percentiles.
        fixture.value = [](int, int x, int y) { return x == 0 ? -1.0 : double(y * 100 + x); };
        const QString file = path(QStringLiteral("ramp.tif"));
        QVERIFY(test::writeTiff(file, fixture));
        Result<RasterReader> reader = RasterReader::open(file);
        QVERIFY(reader.ok());
        Result<std::vector<double>> exact = reader->percentiles(1, {0.0, 0.5, 1.0});
        QVERIFY(exact.ok());
        QCOMPARE((*exact)[0], 1.0);
        QCOMPARE((*exact)[2], 9999.0);
        QVERIFY(std::abs((*exact)[1] - 5000.0) < 60.0);
        // Decimated to about 400 samples: still close.
        Result<std::vector<double>> sampled = reader->percentiles(1, {0.1, 0.9}, 400);
        QVERIFY(sampled.ok());
        QVERIFY2(std::abs((*sampled)[0] - 1000.0) < 300.0 && std::abs((*sampled)[1] - 9000.0) < 300.0,
                 qPrintable(QStringLiteral("%1 %2").arg((*sampled)[0]).arg((*sampled)[1])));
        QVERIFY(!reader->percentiles(2, {0.5}).ok());
        QVERIFY(!reader->percentiles(1, {1.5}).ok());
    }

    void reportsUnreadableFiles()
    {
        const QString text = path(QStringLiteral("notes.tif"));
        QFile file(text);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("these are not pixels\n");
        file.close();
        Result<RasterReader> notRaster = RasterReader::open(text);
        QVERIFY(!notRaster.ok());
        QVERIFY2(notRaster.error().message.startsWith(QStringLiteral("GDAL cannot open '%1': ").arg(text)),
                 qPrintable(notRaster.error().message));
        QVERIFY(notRaster.error().message.size() > QStringLiteral("GDAL cannot open '%1': ").arg(text).size());
        Result<RasterReader> missing = RasterReader::open(path(QStringLiteral("nowhere.tif")));
        QVERIFY(!missing.ok());
        QVERIFY(missing.error().message.startsWith(QStringLiteral("GDAL cannot open")));
        QVERIFY(!RasterReader::open(QString()).ok());
    }

    void movesAndSharesAReader()
    {
        DW_REQUIRE_SHARED_FILE(l7Path());
        Result<RasterReader> opened = RasterReader::open(l7Path());
        QVERIFY(opened.ok());
        RasterReader reader = std::move(opened).value();
        RasterReader moved = std::move(reader);
        QCOMPARE(moved.info().width, 349);
        QVERIFY(moved.read(QRect(0, 0, 10, 10)).ok());
    }
};

QTEST_GUILESS_MAIN(TestRasterIo)
#include "test_raster_io.moc"
