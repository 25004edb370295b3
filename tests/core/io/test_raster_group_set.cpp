// RasterGroupSet: three GeoTIFFs of one area at 10, 20 and 60 m (like Sentinel-2's band
// groups) sorted finest first with ratios 1, 2, 6; windows of the finest grid read from the
// coarser groups; the errors for non-integer ratios, other CRSs, other areas, bad windows;
// the 10/20/60 m groups of a Sentinel-2 product through GDAL's SENTINEL2 driver.
#include "core/io/raster_group_set.h"
#include "raster_fixture.h"
#include "sentinel2_fixture.h"

#include <QTemporaryDir>
#include <QTest>

using namespace dw;
using dw::test::TiffFixture;

class TestRasterGroupSet : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_10, m_20, m_60;

    // 600 × 360 m at `metres` per pixel; band b's value at (x, y) is 1000 b + 10 y + x, so
    // that a window read back says where it came from.
    QString group(const QString &name, double metres, int bands, int epsg = 32633, double originX = 500000.0)
    {
        TiffFixture fixture;
        fixture.width = int(600 / metres);
        fixture.height = int(360 / metres);
        fixture.bands = bands;
        fixture.type = GDT_UInt16;
        fixture.georeferenced = true;
        fixture.epsg = epsg;
        fixture.geoTransform = {originX, metres, 0.0, 4000000.0, 0.0, -metres};
        fixture.value = [](int b, int x, int y) { return 1000.0 * b + 10.0 * y + x; };
        const QString file = m_dir.filePath(name);
        return test::writeTiff(file, fixture) ? file : QString();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_10 = group(QStringLiteral("b10.tif"), 10.0, 4);
        m_20 = group(QStringLiteral("b20.tif"), 20.0, 6);
        m_60 = group(QStringLiteral("b60.tif"), 60.0, 2);
        QVERIFY(!m_10.isEmpty() && !m_20.isEmpty() && !m_60.isEmpty());
    }

    void sortsByResolution()
    {
        Result<RasterGroupSet> set = RasterGroupSet::open({m_60, m_10, m_20});
        QVERIFY2(set.ok(), qPrintable(set.ok() ? QString() : set.error().text()));
        QCOMPARE(set->groupCount(), 3);
        QCOMPARE(set->info(0).path, m_10);
        QCOMPARE(set->info(1).path, m_20);
        QCOMPARE(set->info(2).path, m_60);
        QCOMPARE(set->ratio(0), 1);
        QCOMPARE(set->ratio(1), 2);
        QCOMPARE(set->ratio(2), 6);
        QCOMPARE(set->finestSize(), QSize(60, 36));
    }

    void readsTheMatchingWindow()
    {
        Result<RasterGroupSet> set = RasterGroupSet::open({m_10, m_20, m_60});
        QVERIFY(set.ok());
        const QRect finest(12, 6, 24, 12);
        QCOMPARE(*set->groupWindow(1, finest), QRect(6, 3, 12, 6));
        QCOMPARE(*set->groupWindow(2, finest), QRect(2, 1, 4, 2));
        Result<RasterBuffer> coarse = set->read(2, finest, {2});
        QVERIFY(coarse.ok());
        QCOMPARE(coarse->width, 4);
        QCOMPARE(coarse->height, 2);
        QCOMPARE(coarse->at(0, 0, 0), float(1000 + 10 * 1 + 2));
        QCOMPARE(coarse->at(0, 3, 1), float(1000 + 10 * 2 + 5));
        Result<RasterBuffer> fine = set->read(0, finest);
        QVERIFY(fine.ok());
        QCOMPARE(fine->bands, 4);
        QCOMPARE(fine->at(3, 0, 0), float(3000 + 60 + 12));

        // The right and bottom edges need not lie on the coarse grid.
        QCOMPARE(*set->groupWindow(2, QRect(54, 30, 6, 6)), QRect(9, 5, 1, 1));
        Result<QRect> misaligned = set->groupWindow(2, QRect(13, 6, 24, 12));
        QVERIFY(!misaligned.ok());
        QVERIFY2(misaligned.error().message.contains(QStringLiteral("multiples of 6")),
                 qPrintable(misaligned.error().message));
        QCOMPARE(set->alignedWindow(QRect(13, 7, 10, 10)), QRect(12, 6, 12, 12));
        QCOMPARE(set->alignedWindow(QRect(55, 31, 5, 5)), QRect(54, 30, 6, 6));
        QVERIFY(!set->groupWindow(3, finest).ok());
        QVERIFY(!set->read(1, QRect(50, 30, 20, 6)).ok());  // outside
    }

    void refusesMismatchedGroups()
    {
        const QString odd = group(QStringLiteral("b15.tif"), 15.0, 1);
        Result<RasterGroupSet> ratio = RasterGroupSet::open({m_10, odd});
        QVERIFY(!ratio.ok());
        QVERIFY2(ratio.error().message.contains(QStringLiteral("1.5 times the pixel size")),
                 qPrintable(ratio.error().message));

        const QString otherCrs = group(QStringLiteral("b20_utm34.tif"), 20.0, 1, 32634);
        Result<RasterGroupSet> crs = RasterGroupSet::open({m_10, otherCrs});
        QVERIFY(!crs.ok());
        QVERIFY2(crs.error().message.contains(QStringLiteral("different coordinate systems")),
                 qPrintable(crs.error().message));

        const QString shifted = group(QStringLiteral("b20_shifted.tif"), 20.0, 1, 32633, 500600.0);
        Result<RasterGroupSet> area = RasterGroupSet::open({m_10, shifted});
        QVERIFY(!area.ok());
        QVERIFY2(area.error().message.contains(QStringLiteral("same area")), qPrintable(area.error().message));

        QVERIFY(!RasterGroupSet::open({}).ok());
        QVERIFY(!RasterGroupSet::open({m_10, m_dir.filePath(QStringLiteral("missing.tif"))}).ok());
    }

    void opensAContainersSubdatasets()
    {
        if (!GetGDALDriverManager()->GetDriverByName("netCDF"))
            QSKIP("this GDAL has no netCDF driver");
        const QString file = m_dir.filePath(QStringLiteral("two.nc"));
        QVERIFY(test::writeNetcdf(file, 6, 4));
        Result<RasterGroupSet> set = RasterGroupSet::openContainer(file);
        QVERIFY2(set.ok(), qPrintable(set.ok() ? QString() : set.error().text()));
        QCOMPARE(set->groupCount(), 2);
        QCOMPARE(set->ratio(1), 1);
        Result<RasterGroupSet> single = RasterGroupSet::openContainer(m_20);
        QVERIFY(single.ok());
        QCOMPARE(single->groupCount(), 1);
    }

    void opensASentinel2Product()
    {
        test::Sentinel2Fixture fixture;
        fixture.width10 = 120;
        fixture.height10 = 96;
        // Band B<n>'s value says its band and where it is on its own grid.
        fixture.value = [](const QString &band, int x, int y) { return 100.0 * band.mid(1, 2).toInt() + 10.0 * y + x; };
        const QString mtd = test::writeSentinel2L1C(m_dir.path(), fixture);
        if (mtd.isEmpty())
            QSKIP("this GDAL cannot write JPEG 2000 (JP2OpenJPEG) for the product's bands");
        Result<RasterGroupSet> set = RasterGroupSet::openContainer(mtd);
        QVERIFY2(set.ok(), qPrintable(set.ok() ? QString() : set.error().text()));
        QCOMPARE(set->groupCount(), 3);  // 10, 20, 60 m; the true-colour image left out
        QCOMPARE(set->ratio(1), 2);
        QCOMPARE(set->ratio(2), 6);
        QCOMPARE(set->info(0).bands.size(), 4);
        QCOMPARE(set->info(1).bands.size(), 6);
        QCOMPARE(set->info(2).bands.size(), 3);
        QCOMPARE(set->info(0).resolutionX, 10.0);
        QVERIFY(set->info(1).crsName().contains(QLatin1String("33N")));
        // The 20 m group's B11 (its 5th band) under a window of the 10 m grid.
        Result<RasterBuffer> b11 = set->read(1, QRect(12, 6, 24, 18), {5});
        QVERIFY2(b11.ok(), qPrintable(b11.ok() ? QString() : b11.error().text()));
        QCOMPARE(b11->width, 12);
        QCOMPARE(b11->height, 9);
        QCOMPARE(b11->at(0, 0, 0), float(1100 + 10 * 3 + 6));
        QCOMPARE(b11->at(0, 4, 2), float(1100 + 10 * 5 + 10));
        // Each group is a subdataset a reader opens on its own.
        Result<RasterReader> tenMetres = RasterReader::open(test::sentinel2Subdataset(mtd, 10));
        QVERIFY(tenMetres.ok());
        QCOMPARE(tenMetres->info().width, 120);
        Result<RasterBuffer> b8 = tenMetres->read(QRect(0, 0, 3, 2), {4});
        QVERIFY(b8.ok());
        QCOMPARE(b8->at(0, 2, 1), float(800 + 10 + 2));
    }
};

QTEST_GUILESS_MAIN(TestRasterGroupSet)
#include "test_raster_group_set.moc"
