// deepwb retrain with a time-series parent, as a user would run it: a parent trained with
// deepwb train time-series, then fine-tuned on a file that names its column otherwise
// (--column-map), with --freeze head; the child's manifest names its parent, freeze mode and
// data hash. A target that does not fit the parent's columns is refused with what to do.
#include "cli_run.h"
#include "timeseries_fixture.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

using namespace Qt::StringLiterals;

class TestCliTimeSeriesRetrain : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

    QString path(const QString &relative) const { return m_dir.filePath(relative); }

    dw::test::CliRun deepwb(const QStringList &args) { return dw::test::runDeepwb(args, m_dir.path(), 180000); }

private Q_SLOTS:
    void retrainFromParent()
    {
        const QString catalog = path(u"catalog"_s), parentCsv = path(u"a.csv"_s), childCsv = path(u"b.csv"_s);
        QVERIFY(dw::test::writeSineCsv(parentCsv, 400, 0.1));
        QVERIFY(dw::test::writeSineCsv(childCsv, 160, 0.1, 24, false, 3));
        // Station B calls its column "level".
        QFile file(childCsv);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QByteArray text = file.readAll();
        file.close();
        text.replace("date,value\n", "date,level\n");
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write(text);
        file.close();

        const dw::test::CliRun parent =
            deepwb({u"train"_s,    u"time-series"_s, u"--csv"_s,     parentCsv, u"--target"_s, u"value"_s,
                    u"--window"_s, u"16"_s,          u"--hidden"_s,  u"12"_s,   u"--layers"_s, u"1"_s,
                    u"--epochs"_s, u"2"_s,           u"--lr"_s,      u"0.01"_s, u"--device"_s, u"cpu"_s,
                    u"--name"_s,   u"station-a"_s,   u"--catalog"_s, catalog});
        QVERIFY2(parent.exitCode == 0, parent.err.constData());

        const dw::test::CliRun mismatched =
            deepwb({u"retrain"_s, u"station-a"_s, u"--csv"_s, childCsv, u"--target"_s, u"level"_s, u"--epochs"_s,
                    u"1"_s, u"--device"_s, u"cpu"_s, u"--name"_s, u"station-b-bad"_s, u"--catalog"_s, catalog});
        QVERIFY(mismatched.exitCode != 0);
        QVERIFY2(mismatched.err.contains("forecasts value") && mismatched.err.contains("--column-map"),
                 mismatched.err.constData());
        QVERIFY(!QFile::exists(catalog + u"/station-b-bad/module.json"_s));

        const dw::test::CliRun child =
            deepwb({u"retrain"_s, u"station-a"_s, u"--csv"_s, childCsv, u"--target"_s, u"level"_s, u"--column-map"_s,
                    u"level=value"_s, u"--freeze"_s, u"head"_s, u"--epochs"_s, u"2"_s, u"--device"_s, u"cpu"_s,
                    u"--name"_s, u"station-b"_s, u"--catalog"_s, catalog});
        QVERIFY2(child.exitCode == 0, child.err.constData());
        QVERIFY2(child.out.contains("station-b") && child.out.contains("level: MAE"), child.out.constData());

        QFile manifestFile(catalog + u"/station-b/module.json"_s);
        QVERIFY(manifestFile.open(QIODevice::ReadOnly));
        const QJsonObject manifest = QJsonDocument::fromJson(manifestFile.readAll()).object();
        QCOMPARE(manifest.value(u"parent"_s).toString(), u"station-a"_s);
        const QString json = QString::fromUtf8(QJsonDocument(manifest).toJson(QJsonDocument::Compact));
        QVERIFY2(json.contains(u"\"freeze\":\"head\""_s), qPrintable(json));
        QVERIFY2(json.contains(u"\"sha256\""_s), qPrintable(json));

        // The child is a module like any other: it forecasts its own file.
        const dw::test::CliRun predict = deepwb(
            {u"predict"_s, u"station-b"_s, u"--csv"_s, childCsv, u"--format"_s, u"csv"_s, u"--catalog"_s, catalog});
        QVERIFY2(predict.exitCode == 0, predict.err.constData());
        QVERIFY(predict.out.contains(",level,"));
    }
};

QTEST_GUILESS_MAIN(TestCliTimeSeriesRetrain)
#include "test_cli_timeseries_retrain.moc"
