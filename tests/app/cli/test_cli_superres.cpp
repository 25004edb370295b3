// deepwb's super-resolution commands end to end on L7_ETMs.tif with a tiny network (the
// mechanics, not the quality: test_superres_acceptance checks that): train --raster adds a
// module to the catalog with held-out metrics, predict MODULE IN -o OUT (--roi, --roi-lonlat)
// writes the raster, evaluate --raster --json prints per-band scores; errors exit with 1 or 2.
#include "cli_run.h"
#include "core/io/raster_reader.h"
#include "shared_data.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

using namespace Qt::StringLiterals;

namespace {

using Run = dw::test::CliRun;

const QString kL7 = QStringLiteral(DW_SHARED_DATA_DIR "/L7_ETMs.tif");

}  // namespace

class TestCliSuperRes : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

    QString path(const QString &relative) const { return m_dir.filePath(relative); }
    QString catalog() const { return path(u"catalog"_s); }

    Run deepwb(const QStringList &args, int timeoutMs = 240000)
    {
        return dw::test::runDeepwb(args, m_dir.path(), timeoutMs);
    }

private Q_SLOTS:
    void trainPredictEvaluate()
    {
        DW_REQUIRE_SHARED_FILE(kL7);
        Run train = deepwb({u"train"_s,
                            u"super-resolution"_s,
                            u"--raster"_s,
                            kL7,
                            u"--scale"_s,
                            u"2"_s,
                            u"--epochs"_s,
                            u"1"_s,
                            u"--blocks"_s,
                            u"1"_s,
                            u"--filters"_s,
                            u"8"_s,
                            u"--patch"_s,
                            u"24"_s,
                            u"--patches-per-epoch"_s,
                            u"32"_s,
                            u"--device"_s,
                            u"cpu"_s,
                            u"--name"_s,
                            u"l7-tiny"_s,
                            u"--catalog"_s,
                            catalog()});
        QVERIFY2(train.exitCode == 0, train.err.constData());
        QVERIFY2(train.out.contains("held-out PSNR"), train.out.constData());
        QVERIFY(QFile::exists(catalog() + u"/l7-tiny/module.json"_s));

        // predict MODULE IN -o OUT with a region in pixels.
        const QString out = path(u"roi_x2.tif"_s);
        Run predict = deepwb(
            {u"predict"_s, u"l7-tiny"_s, kL7, u"-o"_s, out, u"--roi"_s, u"5,6,40,30"_s, u"--catalog"_s, catalog()});
        QVERIFY2(predict.exitCode == 0, predict.err.constData());
        const QJsonObject raster = QJsonDocument::fromJson(predict.out).object();
        QCOMPARE(raster.value(u"width"_s).toInt(), 80);
        QCOMPARE(raster.value(u"height"_s).toInt(), 60);
        QCOMPARE(raster.value(u"bands"_s).toInt(), 6);
        QVERIFY(QFile::exists(out));

        // ... in degrees, with the original bands copied.
        Run lonlat = deepwb({u"predict"_s, u"l7-tiny"_s, kL7, u"-o"_s, path(u"lonlat.tif"_s), u"--roi-lonlat"_s,
                             u"-34.9,-8.05,-34.85,-8.0"_s, u"--originals"_s, u"bicubic"_s, u"--catalog"_s, catalog()});
        QVERIFY2(lonlat.exitCode == 0, lonlat.err.constData());
        QCOMPARE(QJsonDocument::fromJson(lonlat.out).object().value(u"bands"_s).toInt(), 12);

        Run evaluate =
            deepwb({u"evaluate"_s, u"l7-tiny"_s, u"--raster"_s, kL7, u"--json"_s, u"--catalog"_s, catalog()});
        QVERIFY2(evaluate.exitCode == 0, evaluate.err.constData());
        const QJsonObject scores = QJsonDocument::fromJson(evaluate.out).object();
        QCOMPARE(scores.value(u"bands"_s).toArray().size(), 6);
        QVERIFY(scores.value(u"mean"_s).toObject().value(u"bicubic"_s).toObject().value(u"psnr"_s).isDouble());
        Run table = deepwb({u"evaluate"_s, u"l7-tiny"_s, u"--raster"_s, kL7, u"--catalog"_s, catalog()});
        QVERIFY2(table.exitCode == 0 && table.out.contains("BICUBIC") && table.out.contains("mean"),
                 table.out.constData());
    }

    void errors()
    {
        DW_REQUIRE_SHARED_FILE(kL7);  // the module it uses is trained on it above
        // Not a raster: exit 1 with the file named.
        const QString text = path(u"notes.tif"_s);
        QFile file(text);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("plain text");
        file.close();
        Run bad = deepwb({u"predict"_s, u"l7-tiny"_s, text, u"-o"_s, path(u"never.tif"_s), u"--catalog"_s, catalog()});
        QCOMPARE(bad.exitCode, 1);
        QVERIFY2(bad.err.contains("notes.tif"), bad.err.constData());
        QVERIFY(!QFile::exists(path(u"never.tif"_s)));
        // No output given: a usage error.
        Run noOutput = deepwb({u"predict"_s, u"l7-tiny"_s, kL7, u"--catalog"_s, catalog()});
        QCOMPARE(noOutput.exitCode, 2);
        // A malformed region.
        Run roi = deepwb({u"predict"_s, u"l7-tiny"_s, kL7, u"-o"_s, path(u"r.tif"_s), u"--roi"_s, u"1,2,3"_s,
                          u"--catalog"_s, catalog()});
        QVERIFY(roi.exitCode != 0);
        QVERIFY2(roi.err.contains("x,y,width,height"), roi.err.constData());
    }

    // The scene and the files around it are safe: the input is never the output, an existing
    // file is replaced only with --overwrite, and the format follows the extension.
    void outputsKeepWhatIsThere()
    {
        DW_REQUIRE_SHARED_FILE(kL7);
        const QString scene = path(u"scene.tif"_s);
        QFile::remove(scene);
        QVERIFY(QFile::copy(kL7, scene));
        const QByteArray original = [&] {
            QFile f(scene);
            f.open(QIODevice::ReadOnly);
            return f.readAll();
        }();
        const QStringList region{u"--roi"_s, u"5,6,40,30"_s, u"--catalog"_s, catalog()};

        Run onItself = deepwb(QStringList{u"predict"_s, u"l7-tiny"_s, scene, u"-o"_s, scene} + region);
        QCOMPARE(onItself.exitCode, 1);
        QVERIFY2(onItself.err.contains("is the input raster"), onItself.err.constData());
        QFile check(scene);
        QVERIFY(check.open(QIODevice::ReadOnly));
        QCOMPARE(check.readAll(), original);
        check.close();

        const QString existing = path(u"existing.tif"_s);
        QFile old(existing);
        QVERIFY(old.open(QIODevice::WriteOnly));
        old.write("someone's file");
        old.close();
        Run refused = deepwb(QStringList{u"predict"_s, u"l7-tiny"_s, scene, u"-o"_s, existing} + region);
        QCOMPARE(refused.exitCode, 1);
        QVERIFY2(refused.err.contains("--overwrite"), refused.err.constData());
        QCOMPARE(QFileInfo(existing).size(), qint64(14));
        Run replaced =
            deepwb(QStringList{u"predict"_s, u"l7-tiny"_s, scene, u"-o"_s, existing, u"--overwrite"_s} + region);
        QVERIFY2(replaced.exitCode == 0, replaced.err.constData());
        auto written = dw::RasterReader::open(existing);
        QVERIFY2(written, "the replaced file is a raster");
        QCOMPARE(written->info().width, 80);

        Run unknown = deepwb(QStringList{u"predict"_s, u"l7-tiny"_s, scene, u"-o"_s, path(u"out.nope"_s)} + region);
        QCOMPARE(unknown.exitCode, 1);
        QVERIFY2(unknown.err.contains("no GDAL driver writes rasters as .nope"), unknown.err.constData());
        Run mismatch = deepwb(
            QStringList{u"predict"_s, u"l7-tiny"_s, scene, u"-o"_s, path(u"out.jpg"_s), u"--driver"_s, u"GTiff"_s} +
            region);
        QCOMPARE(mismatch.exitCode, 1);
        QVERIFY2(mismatch.err.contains("the GTiff driver writes .tif files, not .jpg"), mismatch.err.constData());
        QVERIFY(!QFile::exists(path(u"out.jpg"_s)));
        Run imagine = deepwb(QStringList{u"predict"_s, u"l7-tiny"_s, scene, u"-o"_s, path(u"out.img"_s)} + region);
        QVERIFY2(imagine.exitCode == 0, imagine.err.constData());
        auto hfa = dw::RasterReader::open(path(u"out.img"_s));
        QVERIFY(hfa);
        QCOMPARE(hfa->info().driver, u"HFA"_s);
    }

    void trainsOnARegion()
    {
        DW_REQUIRE_SHARED_FILE(kL7);
        Run train = deepwb({u"train"_s,
                            u"super-resolution"_s,
                            u"--raster"_s,
                            kL7,
                            u"--roi"_s,
                            u"40,60,200,160"_s,
                            u"--epochs"_s,
                            u"1"_s,
                            u"--blocks"_s,
                            u"1"_s,
                            u"--filters"_s,
                            u"8"_s,
                            u"--patch"_s,
                            u"24"_s,
                            u"--patches-per-epoch"_s,
                            u"16"_s,
                            u"--device"_s,
                            u"cpu"_s,
                            u"--name"_s,
                            u"l7-part"_s,
                            u"--catalog"_s,
                            catalog(),
                            u"--json"_s});
        QVERIFY2(train.exitCode == 0, train.err.constData());
        QFile manifest(catalog() + u"/l7-part/module.json"_s);
        QVERIFY(manifest.open(QIODevice::ReadOnly));
        const QJsonObject json = QJsonDocument::fromJson(manifest.readAll()).object();
        const QJsonObject raster =
            json.value(u"training_data"_s).toObject().value(u"rasters"_s).toArray().first().toObject();
        QCOMPARE(raster.value(u"width"_s).toInt(), 200);
        QCOMPARE(raster.value(u"height"_s).toInt(), 160);
        QCOMPARE(json.value(u"hyper-parameters"_s).toObject().value(u"roi"_s).toString(), u"40,60,200,160"_s);
        // A region outside the raster: named, and no module.
        Run outside = deepwb({u"train"_s, u"super-resolution"_s, u"--raster"_s, kL7, u"--roi"_s, u"300,300,200,200"_s,
                              u"--epochs"_s, u"1"_s, u"--name"_s, u"l7-outside"_s, u"--catalog"_s, catalog()});
        QCOMPARE(outside.exitCode, 1);
        QVERIFY2(outside.err.contains("roi"), outside.err.constData());
        QVERIFY(!QFile::exists(catalog() + u"/l7-outside/module.json"_s));
    }
};

QTEST_GUILESS_MAIN(TestCliSuperRes)
#include "test_cli_superres.moc"
