// The demo modules work at once, with no training (issue 18): through the real deepwb binary,
// each shipped demo module predicts its shipped samples - the Fashion-MNIST classifier names
// the clothes in the 80 test pictures, the sunspot forecaster forecasts the CSV with alert
// thresholds, the Landsat module beats bicubic on the scene's held-out rows.
#include "cli_run.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QTemporaryDir>
#include <QtTest>

using namespace Qt::StringLiterals;

namespace {
const QString kSamples = QStringLiteral(DW_SOURCE_DIR "/resources/demo-samples");
}

class TestCliDemoModules : public QObject {
    Q_OBJECT
    QTemporaryDir m_home;
    QString catalog() const { return m_home.filePath(u"catalog"_s); }  // empty: only the shipped modules
    dw::test::CliRun deepwb(const QStringList &args, int timeoutMs = 180000) const
    {
        return dw::test::runDeepwb(args + QStringList{u"--catalog"_s, catalog(), u"--device"_s, u"cpu"_s},
                                   m_home.path(), timeoutMs);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_home.isValid());
        qunsetenv("DEEPWB_DEMO_MODULES");
    }

    void listedAsDemos()
    {
        // No DEEPWB_DEMO_MODULES: deepwb finds the demo modules itself (here: the source tree's).
        const dw::test::CliRun list =
            dw::test::runDeepwb({u"catalog"_s, u"list"_s, u"--catalog"_s, catalog()}, m_home.path(), 60000);
        QVERIFY2(list.exitCode == 0, list.err.constData());
        for (const char *id : {"fashion-mnist-demo", "sunspots-demo", "landsat-x2-demo"}) {
            const QString out = QString::fromUtf8(list.out);
            const QString line = out.mid(out.indexOf(QLatin1String(id))).section(u'\n', 0, 0);
            QVERIFY2(line.contains(u"trained, demo"_s), list.out.constData());
        }
    }

    void classifierNamesTheSampleClothes()
    {
        // 80 test pictures, a folder per class (the folder's name is the true class).
        const QString folder = kSamples + u"/fashion-mnist"_s;
        const dw::test::CliRun run = deepwb({u"predict"_s, u"fashion-mnist-demo"_s, folder, u"--top"_s, u"1"_s});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        const QList<QByteArray> lines = run.out.trimmed().split('\n');
        QCOMPARE(lines.size(), 1 + 80);
        int right = 0;
        for (const QByteArray &line : lines.mid(1)) {
            const QList<QByteArray> cells = line.split(',');
            QCOMPARE(cells.size(), 3);
            if (QFileInfo(QString::fromUtf8(cells.at(0))).dir().dirName() == QString::fromUtf8(cells.at(1)))
                ++right;
        }
        qInfo("fashion-mnist-demo: %d of the 80 sample pictures named right", right);
        QVERIFY2(right >= 64, run.out.constData());  // a 91 % classifier: about 73 expected
    }

    void forecasterForecastsTheCsvWithAlertThresholds()
    {
        const dw::test::CliRun run = deepwb({u"predict"_s, u"sunspots-demo"_s, u"--csv"_s,
                                             kSamples + u"/sunspot_month.csv"_s, u"--format"_s, u"json"_s});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        const QJsonObject predicted = run.json();
        const QJsonObject series = predicted.value(u"series"_s).toArray().first().toObject();
        QCOMPARE(series.value(u"target"_s).toString(), u"sunspots"_s);
        const QJsonArray forecast = series.value(u"forecast"_s).toArray();
        QVERIFY(forecast.size() >= 3177);
        QVERIFY(predicted.value(u"alerts"_s).isArray());
        // The module carries its alert threshold and beats the naive forecast on its test rows.
        const QJsonObject manifest =
            dw::test::runDeepwb({u"catalog"_s, u"show"_s, u"sunspots-demo"_s, u"--json"_s, u"--catalog"_s, catalog()},
                                m_home.path(), 60000)
                .json()
                .value(u"manifest"_s)
                .toObject();
        QVERIFY(
            manifest.value(u"anomaly"_s).toObject().value(u"sunspots"_s).toObject().value(u"threshold"_s).toDouble() >
            0);
        const QJsonObject metrics = manifest.value(u"metrics"_s).toObject();
        QVERIFY2(metrics.value(u"mae"_s).toDouble() < metrics.value(u"naive_mae"_s).toDouble(),
                 qPrintable(QString::number(metrics.value(u"mae"_s).toDouble())));
    }

    void superResolutionBeatsBicubicOnTheSampleRows()
    {
        const QString raster = kSamples + u"/landsat7-held-out-rows.tif"_s;
        const dw::test::CliRun evaluate =
            deepwb({u"evaluate"_s, u"landsat-x2-demo"_s, u"--raster"_s, raster, u"--json"_s});
        QVERIFY2(evaluate.exitCode == 0, evaluate.err.constData());
        const QJsonObject mean = evaluate.json().value(u"mean"_s).toObject();
        const double model = mean.value(u"model"_s).toObject().value(u"psnr"_s).toDouble();
        const double bicubic = mean.value(u"bicubic"_s).toObject().value(u"psnr"_s).toDouble();
        qInfo("landsat-x2-demo on the sample rows: PSNR %.2f dB, bicubic %.2f dB", model, bicubic);
        QVERIFY2(model > bicubic + 0.5, qPrintable(u"%1 vs %2"_s.arg(model).arg(bicubic)));

        const QString out = m_home.filePath(u"x2.tif"_s);
        const dw::test::CliRun predict = deepwb({u"predict"_s, u"landsat-x2-demo"_s, raster, u"-o"_s, out});
        QVERIFY2(predict.exitCode == 0, predict.err.constData());
        const QJsonObject written = predict.json();
        QCOMPARE(written.value(u"width"_s).toInt(), 2 * 349);
        QCOMPARE(written.value(u"height"_s).toInt(), 2 * 88);
        QCOMPARE(written.value(u"bands"_s).toInt(), 6);
        QVERIFY(QFileInfo(out).size() > 0);
    }
};

QTEST_GUILESS_MAIN(TestCliDemoModules)
#include "test_cli_demo_modules.moc"
