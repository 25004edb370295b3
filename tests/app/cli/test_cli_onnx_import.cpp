// Issue 19: a model shared as ONNX is usable here too. Each demo module is exported with
// `deepwb export`, brought back with `deepwb catalog import-onnx` (architecture "onnx", run by
// OpenCV's DNN module), and predicts what the original predicts: the classifier's
// probabilities on the Fashion-MNIST samples, the forecaster's forecasts and alerts on the
// sunspot series, the super-resolution module's raster of the Landsat rows. What an ONNX
// module cannot do (heat maps, re-training) and files without the workbench's metadata are
// refused with a message.
#include "cli_run.h"

#include <gdal_priv.h>

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <memory>

using namespace Qt::StringLiterals;

namespace {

const QString kSamples = QStringLiteral(DW_SOURCE_DIR "/resources/demo-samples");

std::vector<float> rasterValues(const QString &path)
{
    GDALAllRegister();
    std::unique_ptr<GDALDataset> data(GDALDataset::Open(path.toUtf8().constData(), GDAL_OF_RASTER | GDAL_OF_READONLY));
    if (!data)
        return {};
    const int w = data->GetRasterXSize(), h = data->GetRasterYSize(), bands = data->GetRasterCount();
    std::vector<float> values(size_t(w) * size_t(h) * size_t(bands));
    if (data->RasterIO(GF_Read, 0, 0, w, h, values.data(), w, h, GDT_Float32, bands, nullptr, 0, 0, 0, nullptr) !=
        CE_None)
        return {};
    return values;
}

}  // namespace

class TestCliOnnxImport : public QObject {
    Q_OBJECT

    QTemporaryDir m_home;
    QString path(const QString &name) const { return m_home.filePath(name); }
    dw::test::CliRun deepwb(const QStringList &args) const
    {
        return dw::test::runDeepwb(args + QStringList{u"--catalog"_s, path(u"catalog"_s)}, m_home.path(), 300000);
    }
    // export MODULE, then import-onnx it as NAME.
    bool roundTrip(const QString &module, const QString &name, bool fold)
    {
        QStringList args{u"export"_s, module, u"-o"_s, path(name + u".onnx"_s)};
        if (fold)
            args << u"--fold-normalization"_s;
        const dw::test::CliRun exported = deepwb(args);
        if (exported.exitCode != 0) {
            qWarning("export failed: %s", exported.err.constData());
            return false;
        }
        const dw::test::CliRun imported =
            deepwb({u"catalog"_s, u"import-onnx"_s, path(name + u".onnx"_s), u"--name"_s, name, u"--json"_s});
        if (imported.exitCode != 0 || imported.json().value(u"architecture"_s).toString() != u"onnx"_s) {
            qWarning("import-onnx failed: %s", imported.err.constData());
            return false;
        }
        return true;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_home.isValid());
        qunsetenv("DEEPWB_DEMO_MODULES");
    }

    void classifierPredictsAsTheOriginal_data()
    {
        QTest::addColumn<bool>("fold");
        QTest::newRow("normalisation as metadata") << false;
        QTest::newRow("normalisation in the graph") << true;
    }

    void classifierPredictsAsTheOriginal()
    {
        QFETCH(bool, fold);
        const QString name = fold ? u"fashion-onnx-folded"_s : u"fashion-onnx"_s;
        QVERIFY(roundTrip(u"fashion-mnist-demo"_s, name, fold));
        const QString pictures = kSamples + u"/fashion-mnist/Coat"_s;
        // The exported graph is fp32: compared with the original in fp32 (not --precision auto's bf16).
        const dw::test::CliRun original =
            deepwb({u"predict"_s, u"fashion-mnist-demo"_s, pictures, u"--precision"_s, u"fp32"_s, u"--json"_s});
        const dw::test::CliRun onnx = deepwb({u"predict"_s, name, pictures, u"--json"_s});
        QVERIFY2(original.exitCode == 0, original.err.constData());
        QVERIFY2(onnx.exitCode == 0, onnx.err.constData());
        const QJsonArray a = original.json().value(u"predictions"_s).toArray();
        const QJsonArray b = onnx.json().value(u"predictions"_s).toArray();
        QCOMPARE(b.size(), a.size());
        QVERIFY(a.size() >= 8);
        for (qsizetype i = 0; i < a.size(); ++i) {
            const QJsonObject x = a.at(i).toObject(), y = b.at(i).toObject();
            QCOMPARE(y.value(u"labels"_s).toArray(), x.value(u"labels"_s).toArray());
            const QJsonArray px = x.value(u"probabilities"_s).toArray(), py = y.value(u"probabilities"_s).toArray();
            QCOMPARE(py.size(), px.size());
            for (qsizetype k = 0; k < px.size(); ++k)
                QVERIFY(std::abs(py.at(k).toDouble() - px.at(k).toDouble()) < 1e-4);
        }
        // evaluate works on it too, with the same accuracy.
        const dw::test::CliRun evaluated =
            deepwb({u"evaluate"_s, name, u"--data"_s, kSamples + u"/fashion-mnist"_s, u"--json"_s});
        const dw::test::CliRun reference =
            deepwb({u"evaluate"_s, u"fashion-mnist-demo"_s, u"--data"_s, kSamples + u"/fashion-mnist"_s,
                    u"--precision"_s, u"fp32"_s, u"--json"_s});
        QVERIFY2(evaluated.exitCode == 0, evaluated.err.constData());
        QCOMPARE(evaluated.json().value(u"top1"_s).toDouble(), reference.json().value(u"top1"_s).toDouble());
    }

    void onnxClassifierRefusesHeatMapsAndRetraining()
    {
        if (!QFileInfo::exists(path(u"catalog/fashion-onnx"_s)))
            QSKIP("the ONNX classifier was not imported (see the case above)");
        const dw::test::CliRun cam =
            deepwb({u"predict"_s, u"fashion-onnx"_s, kSamples + u"/fashion-mnist/Bag"_s, u"--cam"_s, path(u"cams"_s)});
        QCOMPARE(cam.exitCode, 1);
        QVERIFY2(cam.err.contains("no heat maps"), cam.err.constData());
        const dw::test::CliRun retrain = deepwb(
            {u"retrain"_s, u"fashion-onnx"_s, u"--data"_s, kSamples + u"/fashion-mnist"_s, u"--name"_s, u"again"_s});
        QVERIFY(retrain.exitCode != 0);
        QVERIFY2(retrain.err.contains("ONNX") || retrain.err.contains("onnx"), retrain.err.constData());
        QVERIFY(!QFileInfo::exists(path(u"catalog/again"_s)));
    }

    void forecasterForecastsAsTheOriginal()
    {
        QVERIFY(roundTrip(u"sunspots-demo"_s, u"sunspots-onnx"_s, false));
        const QString csv = kSamples + u"/sunspot_month.csv"_s;
        // The same numbers: the original in fp32 too (auto would run it in bf16 where the processor has it).
        const dw::test::CliRun original =
            deepwb({u"predict"_s, u"sunspots-demo"_s, u"--csv"_s, csv, u"--precision"_s, u"fp32"_s, u"--json"_s});
        const dw::test::CliRun onnx = deepwb({u"predict"_s, u"sunspots-onnx"_s, u"--csv"_s, csv, u"--json"_s});
        QVERIFY2(original.exitCode == 0, original.err.constData());
        QVERIFY2(onnx.exitCode == 0, onnx.err.constData());
        QCOMPARE(onnx.json().value(u"alert_count"_s).toInt(), original.json().value(u"alert_count"_s).toInt());
        const QJsonArray a =
            original.json().value(u"series"_s).toArray().first().toObject().value(u"forecast"_s).toArray();
        const QJsonArray b = onnx.json().value(u"series"_s).toArray().first().toObject().value(u"forecast"_s).toArray();
        QCOMPARE(b.size(), a.size());
        double worst = 0.0;
        int compared = 0;
        for (qsizetype i = 0; i < a.size(); ++i) {
            if (a.at(i).isDouble() && b.at(i).isDouble()) {
                worst = std::max(worst, std::abs(a.at(i).toDouble() - b.at(i).toDouble()));
                ++compared;
            }
        }
        QVERIFY(compared > 1000);
        qInfo("sunspots: %d forecasts, largest difference %.2e", compared, worst);
        QVERIFY2(worst < 1e-3, qPrintable(QString::number(worst)));  // sunspot numbers reach 400
    }

    void superResolutionGivesTheOriginalRaster()
    {
        QVERIFY(roundTrip(u"landsat-x2-demo"_s, u"landsat-onnx"_s, true));
        const QString rows = kSamples + u"/landsat7-held-out-rows.tif"_s;
        const dw::test::CliRun original =
            deepwb({u"predict"_s, u"landsat-x2-demo"_s, rows, u"-o"_s, path(u"a.tif"_s), u"--precision"_s, u"fp32"_s});
        const dw::test::CliRun onnx = deepwb({u"predict"_s, u"landsat-onnx"_s, rows, u"-o"_s, path(u"b.tif"_s)});
        QVERIFY2(original.exitCode == 0, original.err.constData());
        QVERIFY2(onnx.exitCode == 0, onnx.err.constData());
        const std::vector<float> a = rasterValues(path(u"a.tif"_s)), b = rasterValues(path(u"b.tif"_s));
        QVERIFY(!a.empty());
        QCOMPARE(b.size(), a.size());
        // Byte output: the same value, or one apart where a float lies at a rounding edge.
        size_t apart = 0;
        for (size_t i = 0; i < a.size(); ++i) {
            QVERIFY2(std::abs(a[i] - b[i]) <= 1.0f, qPrintable(u"pixel %1: %2 vs %3"_s.arg(i).arg(a[i]).arg(b[i])));
            apart += a[i] != b[i];
        }
        qInfo("landsat: %zu of %zu values one apart", apart, a.size());
        QVERIFY(apart * 1000 < a.size());
    }

    void filesWithoutOurMetadataAreRefused()
    {
        // A valid ONNX file from elsewhere (written by python3-onnx) lacks task and inputs.
        QProcess python;
        python.start(u"/usr/bin/python3"_s,
                     {u"-c"_s,
                      u"import onnx, sys\n"
                      "from onnx import helper as h, TensorProto as T\n"
                      "g = h.make_graph([h.make_node('Relu', ['x'], ['y'])], 'g',"
                      " [h.make_tensor_value_info('x', T.FLOAT, [1, 3, 8, 8])],"
                      " [h.make_tensor_value_info('y', T.FLOAT, [1, 3, 8, 8])])\n"
                      "onnx.save(h.make_model(g, opset_imports=[h.make_opsetid('', 11)]), sys.argv[1])\n"_s,
                      path(u"foreign.onnx"_s)});
        QVERIFY(python.waitForFinished(60000) && python.exitCode() == 0);
        const dw::test::CliRun run =
            deepwb({u"catalog"_s, u"import-onnx"_s, path(u"foreign.onnx"_s), u"--name"_s, u"foreign"_s});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains("metadata") && run.err.contains("deepwb export"), run.err.constData());
        QVERIFY(!QFileInfo::exists(path(u"catalog/foreign"_s)));
    }
};

QTEST_GUILESS_MAIN(TestCliOnnxImport)
#include "test_cli_onnx_import.moc"
