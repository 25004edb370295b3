// Issue 19: `deepwb export MODULE --format onnx -o FILE.onnx` through the real binary, on the
// three shipped demo modules: each file passes the checker of Debian's python3-onnx, and the
// metadata that Python reads back (as QGIS Deepness reads it) names the module and holds
// Deepness's keys. Bad requests (an unknown format, a missing folder, an untrained template)
// fail with a message and leave no file.
#include "cli_run.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

using namespace Qt::StringLiterals;

namespace {

// The metadata_props of an ONNX file as Python's onnx package reads them, after its checker.
QJsonObject pythonMetadata(const QString &path, QString *error)
{
    QProcess python;
    python.start(u"/usr/bin/python3"_s,
                 {u"-c"_s,
                  u"import json, onnx, sys\n"
                  "m = onnx.load(sys.argv[1])\n"
                  "onnx.checker.check_model(m)\n"
                  "d = {p.key: p.value for p in m.metadata_props}\n"
                  "d['__opset'] = m.opset_import[0].version\n"
                  "d['__inputs'] = [[x.dim_param or x.dim_value for x in i.type.tensor_type.shape.dim]"
                  " for i in m.graph.input]\n"
                  "print(json.dumps(d))\n"_s,
                  path});
    python.waitForFinished(120000);
    if (python.exitCode() != 0) {
        *error = QString::fromUtf8(python.readAllStandardError());
        return {};
    }
    return QJsonDocument::fromJson(python.readAllStandardOutput()).object();
}

}  // namespace

class TestCliExport : public QObject {
    Q_OBJECT

    QTemporaryDir m_home;
    QString catalog() const { return m_home.filePath(u"catalog"_s); }  // empty: only the shipped modules
    dw::test::CliRun deepwb(const QStringList &args) const
    {
        return dw::test::runDeepwb(args + QStringList{u"--catalog"_s, catalog()}, m_home.path(), 300000);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_home.isValid());
        qunsetenv("DEEPWB_DEMO_MODULES");
    }

    void demoModules_data()
    {
        QTest::addColumn<QString>("module");
        QTest::addColumn<bool>("fold");
        QTest::addColumn<QString>("deepnessType");
        QTest::addColumn<QString>("inputs");
        QTest::newRow("classifier") << u"fashion-mnist-demo"_s << false << u"\"Recognition\""_s
                                    << u"[[\"batch\",1,28,28]]"_s;
        QTest::newRow("classifier, normalisation in the graph")
            << u"fashion-mnist-demo"_s << true << u"\"Recognition\""_s << u"[[\"batch\",1,28,28]]"_s;
        QTest::newRow("super-resolution")
            << u"landsat-x2-demo"_s << true << u"\"Superresolution\""_s << u"[[\"batch\",6,\"height\",\"width\"]]"_s;
        QTest::newRow("forecaster") << u"sunspots-demo"_s << false << QString() << u"[[\"batch\",36,1]]"_s;
    }

    void demoModules()
    {
        QFETCH(QString, module);
        QFETCH(bool, fold);
        QFETCH(QString, deepnessType);
        QFETCH(QString, inputs);
        const QString output = m_home.filePath(module + (fold ? u"-folded"_s : QString()) + u".onnx"_s);
        QStringList args{u"export"_s, module, u"--format"_s, u"onnx"_s, u"-o"_s, output, u"--json"_s};
        if (fold)
            args << u"--fold-normalization"_s;
        const dw::test::CliRun run = deepwb(args);
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QCOMPARE(run.json().value(u"path"_s).toString(), output);
        QVERIFY(run.json().value(u"nodes"_s).toInt() > 0);
        QCOMPARE(run.json().value(u"bytes"_s).toInteger(), QFileInfo(output).size());

        QString error;
        const QJsonObject metadata = pythonMetadata(output, &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(metadata.value(u"__opset"_s).toInt(), 11);
        QCOMPARE(
            QString::fromUtf8(QJsonDocument(metadata.value(u"__inputs"_s).toArray()).toJson(QJsonDocument::Compact)),
            inputs);
        QCOMPARE(metadata.value(u"module_id"_s).toString(), module);
        QVERIFY(!metadata.value(u"module_version"_s).toString().isEmpty());
        QVERIFY(!metadata.value(u"license"_s).toString().isEmpty());
        if (!deepnessType.isEmpty()) {
            QCOMPARE(metadata.value(u"model_type"_s).toString(), deepnessType);
            for (const char *key : {"tile_size", "tiles_overlap", "standardization_mean", "standardization_std"})
                QVERIFY2(metadata.contains(QLatin1StringView(key)), key);
        }
    }

    void badRequestsLeaveNoFile_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        const QString file = m_home.filePath(u"bad.onnx"_s);
        QTest::newRow("unknown format") << QStringList{u"sunspots-demo"_s, u"--format"_s, u"tflite"_s, u"-o"_s, file}
                                        << u"'tflite' is not a format"_s;
        QTest::newRow("missing folder") << QStringList{u"sunspots-demo"_s, u"-o"_s,
                                                       m_home.filePath(u"no/such/x.onnx"_s)}
                                        << u"does not exist"_s;
        QTest::newRow("no output") << QStringList{u"sunspots-demo"_s} << u"-o FILE.onnx"_s;
        QTest::newRow("untrained template") << QStringList{u"image-classifier"_s, u"-o"_s, file} << u"train"_s;
        QTest::newRow("no such module") << QStringList{u"no-such-module"_s, u"-o"_s, file} << u"no-such-module"_s;
    }

    void badRequestsLeaveNoFile()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        const dw::test::CliRun run = deepwb(QStringList{u"export"_s} + args);
        QVERIFY2(run.exitCode == 1 || run.exitCode == 2, run.out.constData());
        QVERIFY2(QString::fromUtf8(run.err).contains(message), run.err.constData());
        QVERIFY(!QFileInfo::exists(m_home.filePath(u"bad.onnx"_s)));
    }
};

QTEST_GUILESS_MAIN(TestCliExport)
#include "test_cli_export.moc"
