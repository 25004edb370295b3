// deepwb retrain PARENT for super-resolution end to end on L7_ETMs.tif with a tiny network
// (the mechanics; test_sr_finetune checks that fine-tuning pays): a ×3 parent trained on the
// top of the scene, re-trained on another region without --scale (the parent's is taken) and
// with --freeze partial; module.json names the parent, the freeze mode and the data hash.
// Errors exit with 1 and say what to change: a band count or a scale that does not fit.
#include "cli_run.h"
#include "shared_data.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

using namespace Qt::StringLiterals;

namespace {

using Run = dw::test::CliRun;

const QString kL7 = QStringLiteral(DW_SHARED_DATA_DIR "/L7_ETMs.tif");

QJsonObject readJson(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? QJsonDocument::fromJson(file.readAll()).object() : QJsonObject();
}

}  // namespace

class TestCliSrRetrain : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

    QString catalog() const { return m_dir.filePath(u"catalog"_s); }
    Run deepwb(const QStringList &args) { return dw::test::runDeepwb(args, m_dir.path(), 240000); }
    QStringList tiny() const
    {
        return {u"--epochs"_s, u"1"_s, u"--patch"_s,  u"24"_s,  u"--patches-per-epoch"_s, u"32"_s,
                u"--batch"_s,  u"8"_s, u"--device"_s, u"cpu"_s, u"--catalog"_s,           catalog()};
    }

private Q_SLOTS:
    void initTestCase()
    {
        DW_REQUIRE_SHARED_FILE(kL7);
        QVERIFY(m_dir.isValid());
        Run parent = deepwb(QStringList{u"train"_s, u"super-resolution"_s, u"--raster"_s, kL7, u"--roi"_s,
                                        u"0,0,349,176"_s, u"--scale"_s, u"3"_s, u"--blocks"_s, u"2"_s, u"--filters"_s,
                                        u"8"_s, u"--name"_s, u"l7-parent"_s} +
                            tiny());
        QVERIFY2(parent.exitCode == 0, parent.err.constData());
    }

    void retrainOnAnotherRegion()
    {
        Run child =
            deepwb(QStringList{u"retrain"_s, u"l7-parent"_s, u"--raster"_s, kL7, u"--roi"_s, u"100,240,120,111"_s,
                               u"--freeze"_s, u"partial"_s, u"--blocks"_s, u"5"_s, u"--name"_s, u"l7-child"_s} +
                   tiny());
        QVERIFY2(child.exitCode == 0, child.err.constData());
        QVERIFY2(child.out.contains("held-out PSNR"), child.out.constData());
        const QJsonObject manifest = readJson(catalog() + u"/l7-child/module.json"_s);
        QCOMPARE(manifest.value(u"parent"_s).toString(), u"l7-parent"_s);
        const QJsonObject hyper = manifest.value(u"hyper-parameters"_s).toObject();
        QCOMPARE(hyper.value(u"freeze"_s).toString(), u"partial"_s);
        QCOMPARE(hyper.value(u"blocks"_s).toInt(), 2);  // the parent's network, not --blocks 5
        QCOMPARE(manifest.value(u"inputs"_s).toObject().value(u"scale"_s).toInt(), 3);  // the parent's scale
        const QString hash = manifest.value(u"training_data"_s).toObject().value(u"sha256"_s).toString();
        QCOMPARE(hash.size(), 64);
        const QJsonObject parent = readJson(catalog() + u"/l7-parent/module.json"_s);
        QVERIFY(hash != parent.value(u"training_data"_s).toObject().value(u"sha256"_s).toString());
        QVERIFY(manifest.value(u"summary"_s).toString().contains(u"fine-tuned from l7-parent"_s));
    }

    void bandsOrScaleThatDoNotFit_data()
    {
        QTest::addColumn<QStringList>("options");
        QTest::addColumn<int>("exitCode");  // 1: the run failed; 2: a usage error
        QTest::addColumn<QString>("says");
        QTest::newRow("four of six bands") << QStringList{u"--bands"_s, u"1-4"_s} << 1 << u"super-resolves 6 band(s)"_s;
        QTest::newRow("another scale") << QStringList{u"--scale"_s, u"2"_s} << 1 << u"give --scale 3"_s;
        QTest::newRow("unknown freeze") << QStringList{u"--freeze"_s, u"most"_s} << 2 << u"freeze"_s;
    }

    void bandsOrScaleThatDoNotFit()
    {
        QFETCH(QStringList, options);
        QFETCH(int, exitCode);
        QFETCH(QString, says);
        Run bad = deepwb(QStringList{u"retrain"_s, u"l7-parent"_s, u"--raster"_s, kL7, u"--roi"_s, u"100,240,120,111"_s,
                                     u"--name"_s, u"never"_s} +
                         options + tiny());
        QVERIFY2(bad.exitCode == exitCode, bad.err.constData());
        QVERIFY2(QString::fromUtf8(bad.err).contains(says), bad.err.constData());
        QVERIFY(!QFile::exists(catalog() + u"/never/module.json"_s));
    }
};

QTEST_GUILESS_MAIN(TestCliSrRetrain)
#include "test_cli_sr_retrain.moc"
