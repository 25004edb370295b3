// The default output of super-resolution (ui/raster/default_output.h) chosen with an injected
// file system: next to the input only where the user may write, else in the user's folder with
// the same stem; never a file that exists (a numbered suffix); a subdataset named after its
// file and its part. The workspace's own use, on real folders: test_raster_workspace.
#include "ui/raster/default_output.h"

#include <QFileInfo>
#include <QSet>
#include <QTest>

using namespace dw;
using namespace Qt::StringLiterals;

class TestDefaultOutput : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void choosesAWritableNewPath_data();
    void choosesAWritableNewPath();
    void theUserFolderExists();
};

void TestDefaultOutput::choosesAWritableNewPath_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QStringList>("existing");  // files that exist
    QTest::addColumn<QStringList>("writable");  // folders the user may write in
    QTest::addColumn<QString>("expected");

    QTest::newRow("writable folder") << u"/data/scene.tif"_s << QStringList{u"/data/scene.tif"_s}
                                     << QStringList{u"/data"_s} << u"/data/scene_sr.tif"_s;
    QTest::newRow("read-only folder") << u"/shared/l7/L7_ETMs.tif"_s << QStringList{u"/shared/l7/L7_ETMs.tif"_s}
                                      << QStringList{u"/home/ana/Documents"_s}
                                      << u"/home/ana/Documents/L7_ETMs_sr.tif"_s;
    QTest::newRow("result exists") << u"/data/scene.tif"_s
                                   << QStringList{u"/data/scene.tif"_s, u"/data/scene_sr.tif"_s,
                                                  u"/data/scene_sr_2.tif"_s}
                                   << QStringList{u"/data"_s} << u"/data/scene_sr_3.tif"_s;
    QTest::newRow("exists in the user folder")
        << u"/shared/a.b.tif"_s << QStringList{u"/shared/a.b.tif"_s, u"/home/ana/Documents/a.b_sr.tif"_s}
        << QStringList{} << u"/home/ana/Documents/a.b_sr_2.tif"_s;
    QTest::newRow("netCDF subdataset") << uR"(NETCDF:"/data/sea.nc":sst)"_s << QStringList{u"/data/sea.nc"_s}
                                       << QStringList{u"/data"_s} << u"/data/sea_sst_sr.tif"_s;
    QTest::newRow("Sentinel-2 subdataset, read-only")
        << u"SENTINEL2_L2A:/shared/S2/MTD_MSIL2A.xml:20m:EPSG_32632"_s << QStringList{u"/shared/S2/MTD_MSIL2A.xml"_s}
        << QStringList{} << u"/home/ana/Documents/MTD_MSIL2A_20m_EPSG_32632_sr.tif"_s;
    QTest::newRow("no file at all") << u"HDF5:missing.h5://x"_s << QStringList{} << QStringList{u"/data"_s}
                                    << u"/home/ana/Documents/superresolved_sr.tif"_s;
}

void TestDefaultOutput::choosesAWritableNewPath()
{
    QFETCH(QString, input);
    QFETCH(QStringList, existing);
    QFETCH(QStringList, writable);
    QFETCH(QString, expected);
    const QSet<QString> files(existing.begin(), existing.end());
    const QSet<QString> folders(writable.begin(), writable.end());
    const QString chosen = chooseDefaultOutput(
        input, u"/home/ana/Documents"_s, [&](const QString &folder) { return folders.contains(folder); },
        [&](const QString &path) { return files.contains(path); });
    QCOMPARE(chosen, expected);
    QVERIFY(!files.contains(chosen));
}

void TestDefaultOutput::theUserFolderExists()
{
    QVERIFY(QFileInfo(userOutputFolder()).isDir());
}

QTEST_GUILESS_MAIN(TestDefaultOutput)
#include "test_default_output.moc"
