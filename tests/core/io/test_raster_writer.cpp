// RasterWriter: round trips of values, CRS, geotransform, band descriptions and nodata in
// GeoTIFF and PNG (a CreateCopy-only driver), rounding and clamping to integer types, no
// partial file under the final name, and the errors a user can meet.
#include "core/io/raster_reader.h"
#include "core/io/raster_writer.h"
#include "shared_data.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <unistd.h>

#include <cmath>

using namespace dw;

namespace {

RasterBuffer ramp(int width, int height, int bands, float scale = 1.0f, float offset = 0.0f)
{
    RasterBuffer buffer = RasterBuffer::zeros(width, height, bands);
    for (int b = 0; b < bands; ++b)
        for (int y = 0; y < height; ++y)
            for (int x = 0; x < width; ++x)
                buffer.at(b, x, y) = (x + 10.0f * y + 100.0f * b) * scale + offset;
    return buffer;
}

// The L7 scene's georeference: SIRGAS 2000 / UTM zone 25S, 28.5 m pixels.
const std::array<double, 6> kL7Transform{288776.25, 28.5, 0.0, 9120760.75, 0.0, -28.5};

}  // namespace

class TestRasterWriter : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString path(const QString &name) const { return m_dir.filePath(name); }
    QStringList entries(const QString &folder) const
    {
        return QDir(folder).entryList(QDir::Files | QDir::Hidden | QDir::System, QDir::Name);
    }
    RasterWriteSpec spec(const QString &name, int width, int height, int bands) const
    {
        RasterWriteSpec spec;
        spec.path = path(name);
        spec.width = width;
        spec.height = height;
        for (int b = 0; b < bands; ++b)
            spec.bandDescriptions << QStringLiteral("band %1").arg(b + 1);
        return spec;
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void roundTrips_data()
    {
        QTest::addColumn<QString>("dataType");
        QTest::addColumn<float>("scale");
        QTest::addColumn<float>("offset");
        QTest::addColumn<double>("nodata");
        QTest::newRow("Byte") << QStringLiteral("Byte") << 1.0f << 0.0f << 255.0;
        QTest::newRow("UInt16") << QStringLiteral("UInt16") << 250.0f << 0.0f << 65535.0;
        QTest::newRow("Int16") << QStringLiteral("Int16") << -60.0f << 3.0f << -32768.0;
        QTest::newRow("Float32") << QStringLiteral("Float32") << 0.37f << -0.5f << -9999.0;
    }
    void roundTrips()
    {
        QFETCH(QString, dataType);
        QFETCH(float, scale);
        QFETCH(float, offset);
        QFETCH(double, nodata);
        // A 2x super-resolved window at (10, 20) of the L7 scene: the geotransform follows.
        RasterWriteSpec out = spec(QStringLiteral("round_%1.tif").arg(dataType), 12, 9, 2);
        out.dataType = dataType;
        out.nodata = nodata;
        out.georeferenced = true;
        out.geoTransform = scaledGeoTransform(kL7Transform, 2.0, QPoint(10, 20));
        out.crsWkt = QStringLiteral("EPSG:31985");
        out.bandDescriptions = {QStringLiteral("B4 (red)"), QStringLiteral("B8 (nir)")};
        RasterBuffer top = ramp(12, 5, 2, scale, offset);
        top.valid.assign(top.planeSize(), 1);
        top.valid[size_t(1) * 12 + 3] = 0;  // (3, 1) is nodata
        RasterBuffer bottom = ramp(12, 4, 2, scale, offset + 50.0f * scale);
        {
            Result<RasterWriter> writer = RasterWriter::create(out);
            QVERIFY2(writer.ok(), qPrintable(writer.ok() ? QString() : writer.error().text()));
            QVERIFY(writer->write(QRect(0, 0, 12, 5), top).ok());
            QVERIFY(writer->write(QRect(0, 5, 12, 4), bottom).ok());
            Result<void> finished = writer->finish();
            QVERIFY2(finished.ok(), qPrintable(finished.ok() ? QString() : finished.error().text()));
        }
        Result<RasterReader> reader = RasterReader::open(out.path);
        QVERIFY(reader.ok());
        const RasterInfo &info = reader->info();
        QCOMPARE(info.bands[0].dataType, dataType);
        QCOMPARE(info.bands[0].description, QStringLiteral("B4 (red)"));
        QCOMPARE(info.bands[1].description, QStringLiteral("B8 (nir)"));
        QVERIFY(info.bands[1].hasNodata);
        QCOMPARE(info.bands[1].nodata, nodata);
        QVERIFY(info.crsWkt.contains(QStringLiteral("UTM zone 25S")));
        QVERIFY(std::abs(info.resolutionX - 14.25) < 1e-9);
        QVERIFY(std::abs(info.geoTransform[0] - (288776.25 + 10 * 28.5)) < 1e-6);
        QVERIFY(std::abs(info.geoTransform[3] - (9120760.75 - 20 * 28.5)) < 1e-6);
        QCOMPARE(info.bands[0].blockWidth, 256);  // TILED=YES by default
        Result<RasterBuffer> back = reader->read(QRect(0, 0, 12, 9));
        QVERIFY(back.ok());
        QVERIFY(!back->isValid(3, 1));
        const bool integer = dataType != QLatin1String("Float32");
        for (int b = 0; b < 2; ++b)
            for (int y = 0; y < 9; ++y)
                for (int x = 0; x < 12; ++x) {
                    if (x == 3 && y == 1)
                        continue;
                    QVERIFY2(back->isValid(x, y), qPrintable(QStringLiteral("(%1, %2)").arg(x).arg(y)));
                    const float written = y < 5 ? top.at(b, x, y) : bottom.at(b, x, y - 5);
                    QCOMPARE(back->at(b, x, y), integer ? std::nearbyint(written) : written);
                }
    }

    void copiesALandsatWindow()
    {
        DW_REQUIRE_SHARED_FILE(QStringLiteral(DW_SHARED_DATA_DIR "/L7_ETMs.tif"));
        // Reader → writer → reader with the scene's own CRS (WKT2) and a window's geotransform.
        Result<RasterReader> source = RasterReader::open(QStringLiteral(DW_SHARED_DATA_DIR "/L7_ETMs.tif"));
        QVERIFY(source.ok());
        const QRect window(100, 120, 50, 40);
        Result<RasterBuffer> pixels = source->read(window, {4, 3, 2});
        QVERIFY(pixels.ok());
        RasterWriteSpec out = spec(QStringLiteral("l7_window.tif"), 50, 40, 3);
        out.dataType = QStringLiteral("Byte");
        out.georeferenced = true;
        out.geoTransform = scaledGeoTransform(source->info().geoTransform, 1.0, window.topLeft());
        out.crsWkt = source->info().crsWkt;
        Result<RasterWriter> writer = RasterWriter::create(out);
        QVERIFY(writer.ok());
        QVERIFY(writer->write(QRect(0, 0, 50, 40), *pixels).ok());
        QVERIFY(writer->finish().ok());
        Result<RasterReader> copy = RasterReader::open(out.path);
        QVERIFY(copy.ok());
        QCOMPARE(copy->info().crsName(), source->info().crsName());
        Result<RasterBuffer> back = copy->read(QRect(0, 0, 50, 40));
        QVERIFY(back.ok());
        QCOMPARE(back->values, pixels->values);
        // The same place on the ground: a lon/lat box maps to matching windows in both.
        Result<QRect> inSource = source->pixelWindowFromLonLat(-34.887, -7.990, -34.878, -7.985);
        Result<QRect> inCopy = copy->pixelWindowFromLonLat(-34.887, -7.990, -34.878, -7.985);
        QVERIFY(inSource.ok() && inCopy.ok());
        QCOMPARE(inCopy->translated(window.topLeft()), *inSource);
    }

    void roundsAndClampsIntegers()
    {
        RasterWriteSpec out = spec(QStringLiteral("clamped.tif"), 5, 1, 1);
        out.dataType = QStringLiteral("Byte");
        out.nodata = 0.0;
        RasterBuffer buffer = RasterBuffer::zeros(5, 1, 1);
        buffer.values = {-5.0f, 300.0f, 12.6f, 0.2f, std::nanf("")};
        Result<RasterWriter> writer = RasterWriter::create(out);
        QVERIFY(writer.ok());
        QVERIFY(writer->write(QRect(0, 0, 5, 1), buffer).ok());
        QVERIFY(writer->finish().ok());
        Result<RasterReader> reader = RasterReader::open(out.path);
        QVERIFY(reader.ok());
        Result<RasterBuffer> back = reader->read(QRect(0, 0, 5, 1));
        QVERIFY(back.ok());
        // Valid values that round onto nodata (0) move one step off it; NaN becomes nodata.
        QCOMPARE(back->at(0, 0, 0), 1.0f);
        QCOMPARE(back->at(0, 1, 0), 255.0f);
        QCOMPARE(back->at(0, 2, 0), 13.0f);
        QCOMPARE(back->at(0, 3, 0), 1.0f);
        QVERIFY(!back->isValid(4, 0));
        QVERIFY(back->isValid(0, 0) && back->isValid(3, 0));
    }

    void showsTheFinalNameOnlyAfterFinish()
    {
        const QString folder = path(QStringLiteral("atomic"));
        QVERIFY(QDir().mkpath(folder));
        RasterWriteSpec out = spec(QStringLiteral("atomic/result.tif"), 16, 16, 1);
        {
            Result<RasterWriter> writer = RasterWriter::create(out);
            QVERIFY(writer.ok());
            QVERIFY(QFileInfo(writer->temporaryPath()).fileName().startsWith(QStringLiteral(".result.partial-")));
            QVERIFY(QFile::exists(writer->temporaryPath()));
            QVERIFY(writer->write(QRect(0, 0, 16, 16), ramp(16, 16, 1)).ok());
            QVERIFY(!QFile::exists(out.path));
            QVERIFY(writer->finish().ok());
            QVERIFY(QFile::exists(out.path));
            QVERIFY(!writer->write(QRect(0, 0, 16, 16), ramp(16, 16, 1)).ok());  // finished
            QVERIFY(!writer->finish().ok());
        }
        QCOMPARE(entries(folder), QStringList{QStringLiteral("result.tif")});

        // A writer dropped without finish() leaves nothing, and the old file stays as it was.
        const qint64 oldSize = QFileInfo(out.path).size();
        RasterWriteSpec bigger = out;
        bigger.width = 64;
        {
            Result<RasterWriter> writer = RasterWriter::create(bigger);
            QVERIFY(writer.ok());
            QVERIFY(writer->write(QRect(0, 0, 64, 16), ramp(64, 16, 1)).ok());
            QCOMPARE(entries(folder).size(), 2);
        }
        QCOMPARE(entries(folder), QStringList{QStringLiteral("result.tif")});
        QCOMPARE(QFileInfo(out.path).size(), oldSize);

        // finish() replaces the existing file.
        {
            Result<RasterWriter> writer = RasterWriter::create(bigger);
            QVERIFY(writer.ok());
            QVERIFY(writer->write(QRect(0, 0, 64, 16), ramp(64, 16, 1)).ok());
            QVERIFY(writer->finish().ok());
        }
        QCOMPARE(entries(folder), QStringList{QStringLiteral("result.tif")});
        Result<RasterReader> reader = RasterReader::open(out.path);
        QVERIFY(reader.ok());
        QCOMPARE(reader->info().width, 64);
    }

    void writesPngThroughACopy()
    {
        const QString folder = path(QStringLiteral("png"));
        QVERIFY(QDir().mkpath(folder));
        RasterWriteSpec out = spec(QStringLiteral("png/preview.png"), 20, 10, 3);
        out.driver = QStringLiteral("PNG");
        out.dataType = QStringLiteral("Byte");
        out.georeferenced = true;
        out.geoTransform = kL7Transform;
        out.crsWkt = QStringLiteral("EPSG:31985");
        {
            Result<RasterWriter> writer = RasterWriter::create(out);
            QVERIFY2(writer.ok(), qPrintable(writer.ok() ? QString() : writer.error().text()));
            QVERIFY(writer->write(QRect(0, 0, 20, 10), ramp(20, 10, 3, 0.5f)).ok());
            QVERIFY(!QFile::exists(out.path));
            Result<void> finished = writer->finish();
            QVERIFY2(finished.ok(), qPrintable(finished.ok() ? QString() : finished.error().text()));
        }
        const QStringList files = entries(folder);
        QVERIFY2(files.contains(QStringLiteral("preview.png")), qPrintable(files.join(' ')));
        for (const QString &file : files)
            QVERIFY2(file.startsWith(QStringLiteral("preview.png")),
                     qPrintable(files.join(' ')));  // side-cars renamed too
        Result<RasterReader> reader = RasterReader::open(out.path);
        QVERIFY(reader.ok());
        QCOMPARE(reader->info().driver, QStringLiteral("PNG"));
        QVERIFY(reader->info().georeferenced);  // from preview.png.aux.xml
        QVERIFY(std::abs(reader->info().resolutionX - 28.5) < 1e-9);
        Result<RasterBuffer> back = reader->read(QRect(0, 0, 20, 10));
        QVERIFY(back.ok());
        QCOMPARE(back->at(2, 7, 9), std::nearbyint((7 + 90 + 200) * 0.5f));

        out.dataType = QStringLiteral("Float32");
        Result<RasterWriter> floatPng = RasterWriter::create(out);
        QVERIFY(!floatPng.ok());
        QVERIFY2(floatPng.error().message.contains(QStringLiteral("cannot store Float32")),
                 qPrintable(floatPng.error().message));
    }

    void writesCloudOptimizedGeoTiff()
    {
        // COG, like PNG, only copies: through a temporary GeoTIFF, with its own options.
        RasterWriteSpec out = spec(QStringLiteral("cog.tif"), 40, 30, 2);
        out.driver = QStringLiteral("COG");
        out.creationOptions = {QStringLiteral("COMPRESS=DEFLATE"), QStringLiteral("BLOCKSIZE=16")};
        out.georeferenced = true;
        out.geoTransform = kL7Transform;
        out.crsWkt = QStringLiteral("EPSG:31985");
        Result<RasterWriter> writer = RasterWriter::create(out);
        QVERIFY2(writer.ok(), qPrintable(writer.ok() ? QString() : writer.error().text()));
        QVERIFY(writer->write(QRect(0, 0, 40, 30), ramp(40, 30, 2, 0.5f)).ok());
        QVERIFY(writer->finish().ok());
        Result<RasterReader> reader = RasterReader::open(out.path);
        QVERIFY(reader.ok());
        QCOMPARE(reader->info().bands[0].blockWidth, 16);
        QCOMPARE(reader->info().bands[1].description, QStringLiteral("band 2"));
        QVERIFY(reader->info().crsWkt.contains(QStringLiteral("UTM zone 25S")));
        Result<RasterBuffer> back = reader->read(QRect(0, 0, 40, 30));
        QVERIFY(back.ok());
        QCOMPARE(back->at(1, 39, 29), (39 + 290 + 100) * 0.5f);
    }

    void renamesSideCarFiles()
    {
        // ENVI keeps its header in a second file (cube.hdr): it follows the raster's rename.
        const QString folder = path(QStringLiteral("envi"));
        QVERIFY(QDir().mkpath(folder));
        RasterWriteSpec out = spec(QStringLiteral("envi/cube.bin"), 6, 4, 2);
        out.driver = QStringLiteral("ENVI");
        out.dataType = QStringLiteral("Int16");
        {
            Result<RasterWriter> writer = RasterWriter::create(out);
            QVERIFY2(writer.ok(), qPrintable(writer.ok() ? QString() : writer.error().text()));
            QVERIFY(writer->write(QRect(0, 0, 6, 4), ramp(6, 4, 2, -1.0f)).ok());
            QVERIFY(writer->finish().ok());
        }
        const QStringList files = entries(folder);
        QVERIFY2(files.contains(QStringLiteral("cube.bin")) && files.contains(QStringLiteral("cube.hdr")),
                 qPrintable(files.join(' ')));
        QVERIFY2(files.filter(QStringLiteral("partial")).isEmpty(), qPrintable(files.join(' ')));
        Result<RasterReader> reader = RasterReader::open(out.path);
        QVERIFY(reader.ok());
        QCOMPARE(reader->info().driver, QStringLiteral("ENVI"));
        QCOMPARE(reader->info().bands[1].description, QStringLiteral("band 2"));
        Result<RasterBuffer> back = reader->read(QRect(0, 0, 6, 4));
        QVERIFY(back.ok());
        QCOMPARE(back->at(1, 5, 3), -(5.0f + 30.0f + 100.0f));
    }

    void refusesReadOnlyFolders()
    {
        if (geteuid() == 0)
            QSKIP("running as root: folder permissions do not stop root");
        const QString folder = path(QStringLiteral("locked"));
        QVERIFY(QDir().mkpath(folder));
        QVERIFY(QFile::setPermissions(folder, QFileDevice::ReadOwner | QFileDevice::ExeOwner));
        Result<RasterWriter> writer = RasterWriter::create(spec(QStringLiteral("locked/out.tif"), 4, 4, 1));
        QFile::setPermissions(folder, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
        QVERIFY(!writer.ok());
        QCOMPARE(writer.error().message,
                 QStringLiteral("cannot write to '%1': read-only; choose another output folder").arg(folder));
    }

    void refusesBadSpecs()
    {
        const auto errorOf = [](const RasterWriteSpec &spec) {
            Result<RasterWriter> writer = RasterWriter::create(spec);
            return writer.ok() ? QString() : writer.error().message;
        };
        RasterWriteSpec missingFolder = spec(QStringLiteral("no/such/folder/out.tif"), 4, 4, 1);
        QVERIFY(errorOf(missingFolder).contains(QStringLiteral("does not exist")));
        RasterWriteSpec driver = spec(QStringLiteral("x.tif"), 4, 4, 1);
        driver.driver = QStringLiteral("NoSuchFormat");
        QVERIFY(errorOf(driver).contains(QStringLiteral("no raster driver 'NoSuchFormat'")));
        RasterWriteSpec type = spec(QStringLiteral("x.tif"), 4, 4, 1);
        type.dataType = QStringLiteral("Float17");
        QVERIFY(errorOf(type).contains(QStringLiteral("'Float17' is not a data type")));
        RasterWriteSpec nodata = spec(QStringLiteral("x.tif"), 4, 4, 1);
        nodata.dataType = QStringLiteral("Byte");
        nodata.nodata = -9999.0;
        QVERIFY(errorOf(nodata).contains(QStringLiteral("cannot be stored as Byte")));
        QVERIFY(errorOf(spec(QStringLiteral("x.tif"), 0, 4, 1)).contains(QStringLiteral("at least 1")));
        QVERIFY(errorOf(spec(QStringLiteral("x.tif"), 4, 4, 0)).contains(QStringLiteral("no bands")));
        RasterWriteSpec crs = spec(QStringLiteral("x.tif"), 4, 4, 1);
        crs.crsWkt = QStringLiteral("not a coordinate system");
        QVERIFY(errorOf(crs).contains(QStringLiteral("coordinate system is not understood")));
        // 10^6 × 10^6 pixels of 4 Float32 bands (16 TB) do not fit any test machine's disk.
        RasterWriteSpec huge = spec(QStringLiteral("huge.tif"), 1'000'000, 1'000'000, 4);
        const QString full = errorOf(huge);
        QVERIFY2(full.contains(QStringLiteral("needs up to")) && full.contains(QStringLiteral("free")),
                 qPrintable(full));
        QCOMPARE(entries(m_dir.path()).filter(QStringLiteral("partial")).size(), 0);
    }

    void refusesMismatchedWrites()
    {
        Result<RasterWriter> writer = RasterWriter::create(spec(QStringLiteral("mismatch.tif"), 8, 8, 2));
        QVERIFY(writer.ok());
        QVERIFY(!writer->write(QRect(0, 0, 4, 4), ramp(4, 4, 1)).ok());  // one band of two
        QVERIFY(!writer->write(QRect(0, 0, 4, 4), ramp(5, 4, 2)).ok());  // size differs
        Result<void> outside = writer->write(QRect(6, 6, 4, 4), ramp(4, 4, 2));
        QVERIFY(!outside.ok());
        QVERIFY(outside.error().message.contains(QStringLiteral("outside the 8 × 8 output")));
    }

    void scalesGeoTransforms()
    {
        const std::array<double, 6> gt{1000.0, 10.0, 0.0, 5000.0, 0.0, -10.0};
        QCOMPARE(scaledGeoTransform(gt, 1.0), gt);
        const std::array<double, 6> doubled{1000.0, 5.0, 0.0, 5000.0, 0.0, -5.0};
        QCOMPARE(scaledGeoTransform(gt, 2.0), doubled);
        const std::array<double, 6> window{1030.0, 2.5, 0.0, 4980.0, 0.0, -2.5};
        QCOMPARE(scaledGeoTransform(gt, 4.0, QPoint(3, 2)), window);
        const std::array<double, 6> rotated{0.0, 2.0, 1.0, 0.0, 1.0, -2.0};
        const std::array<double, 6> rotatedWindow{2.0 * 4 + 1.0 * 3, 1.0, 0.5, 1.0 * 4 - 2.0 * 3, 0.5, -1.0};
        QCOMPARE(scaledGeoTransform(rotated, 2.0, QPoint(4, 3)), rotatedWindow);
    }
};

QTEST_GUILESS_MAIN(TestRasterWriter)
#include "test_raster_writer.moc"
