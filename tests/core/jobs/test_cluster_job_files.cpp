// The files of a cluster training (core/jobs/cluster_job_files): which local module goes along
// (retrain's PARENT, --init MODULE; by id or folder; templates refused), the command rewritten to
// name it by id, the script and the archive written (the archive imports into a fresh catalog),
// and nothing left behind when the job is invalid or the archive is cancelled.
#include "core/catalog/catalog.h"
#include "core/catalog/manifest_io.h"
#include "core/catalog/module_archive.h"
#include "core/jobs/cluster_job_files.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <memory>

using namespace dw;
using namespace Qt::StringLiterals;

namespace {

const QString kDemos = QStringLiteral(DW_SOURCE_DIR "/resources/demo-modules");

SlurmJob jobFor(const QStringList &command)
{
    SlurmJob job;
    job.nodes = 2;
    job.gpusPerNode = 2;
    job.cpusPerTask = 4;
    job.timeLimit = u"04:00:00"_s;
    job.catalog = u"/scratch/catalog"_s;
    job.command = command;
    return job;
}

}  // namespace

class TestClusterJobFiles : public QObject {
    Q_OBJECT
    QTemporaryDir m_home;
    std::unique_ptr<Catalog> m_catalog;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_home.isValid());
        qputenv("DEEPWB_DEMO_MODULES", kDemos.toUtf8());
        m_catalog = std::make_unique<Catalog>(m_home.filePath(u"catalog"_s));
        m_catalog->scan();
        QVERIFY(m_catalog->find(u"sunspots-demo"_s));
    }

    void theParentGoesAlongByItsId_data()
    {
        QTest::addColumn<QString>("parent");
        QTest::newRow("catalog id") << u"sunspots-demo"_s;
        QTest::newRow("module folder") << kDemos + u"/sunspots-demo"_s;
    }

    void theParentGoesAlongByItsId()
    {
        QFETCH(QString, parent);
        QStringList command{u"retrain"_s, parent, u"--csv"_s, u"/data/s.csv"_s, u"--name"_s, u"child"_s};
        const Result<std::optional<ShippedModule>> shipped = shipModuleOf(command, *m_catalog);
        QVERIFY(shipped);
        QVERIFY(shipped->has_value());
        QCOMPARE((*shipped)->id, u"sunspots-demo"_s);
        QVERIFY(QFileInfo((*shipped)->directory).isDir());
        QCOMPARE(command.at(1), u"sunspots-demo"_s);  // the cluster knows it by id once imported
        QCOMPARE(shippedArchiveName(**shipped), u"sunspots-demo.dwm"_s);
    }

    void anInitModuleGoesAlong_data()
    {
        QTest::addColumn<QStringList>("init");
        QTest::addColumn<QStringList>("rewritten");
        QTest::newRow("--init ID") << QStringList{u"--init"_s, u"fashion-mnist-demo"_s}
                                   << QStringList{u"--init"_s, u"fashion-mnist-demo"_s};
        QTest::newRow("--init=FOLDER") << QStringList{u"--init="_s + kDemos + u"/fashion-mnist-demo"_s}
                                       << QStringList{u"--init=fashion-mnist-demo"_s};
    }

    void anInitModuleGoesAlong()
    {
        QFETCH(QStringList, init);
        QFETCH(QStringList, rewritten);
        QStringList command = QStringList{u"train"_s, u"image-classification"_s, u"--data"_s, u"/d"_s} + init +
                              QStringList{u"--name"_s, u"n"_s};
        const Result<std::optional<ShippedModule>> shipped = shipModuleOf(command, *m_catalog);
        QVERIFY(shipped);
        QVERIFY(shipped->has_value());
        QCOMPARE((*shipped)->id, u"fashion-mnist-demo"_s);
        QCOMPARE(command.mid(4, rewritten.size()), rewritten);
    }

    void nothingGoesAlongOtherwise_data()
    {
        QTest::addColumn<QStringList>("command");
        QTest::newRow("train") << QStringList{u"train"_s, u"time-series"_s, u"--csv"_s, u"x"_s, u"--name"_s, u"n"_s};
        QTest::newRow("imagenet") << QStringList{u"train"_s, u"image-classification"_s, u"--init"_s, u"imagenet"_s};
        QTest::newRow("a parent on the cluster")
            << QStringList{u"retrain"_s, u"/cluster/modules/plankton"_s, u"--name"_s, u"n"_s};
    }

    void nothingGoesAlongOtherwise()
    {
        QFETCH(QStringList, command);
        const QStringList before = command;
        const Result<std::optional<ShippedModule>> shipped = shipModuleOf(command, *m_catalog);
        QVERIFY(shipped);
        QVERIFY(!shipped->has_value());
        QCOMPARE(command, before);
    }

    void templatesAndTwoStartsAreRefused()
    {
        QStringList fromTemplate{u"retrain"_s, u"time-series-forecaster"_s, u"--name"_s, u"n"_s};
        const Result<std::optional<ShippedModule>> refused = shipModuleOf(fromTemplate, *m_catalog);
        QVERIFY(!refused);
        QCOMPARE(refused.error().field, u"parent"_s);
        QVERIFY2(refused.error().message.contains(u"template"_s), qPrintable(refused.error().message));

        QStringList both{u"retrain"_s, u"sunspots-demo"_s, u"--init"_s, u"fashion-mnist-demo"_s, u"--name"_s, u"n"_s};
        const Result<std::optional<ShippedModule>> twice = shipModuleOf(both, *m_catalog);
        QVERIFY(!twice);
        QCOMPARE(twice.error().field, u"init"_s);
    }

    void writesTheScriptAndAnImportableArchive()
    {
        QTemporaryDir out;
        QStringList command{u"retrain"_s, u"sunspots-demo"_s, u"--csv"_s, u"/data/s.csv"_s, u"--name"_s, u"child"_s};
        const Result<std::optional<ShippedModule>> shipped = shipModuleOf(command, *m_catalog);
        QVERIFY(shipped);
        const QString folder = out.filePath(u"job files"_s);  // made when missing
        const Result<ClusterJobFiles> files = writeClusterJob(jobFor(command), folder, *shipped);
        QVERIFY2(files, files ? "" : qPrintable(files.error().text()));
        QCOMPARE(files->script, QDir(folder).absoluteFilePath(u"child.slurm"_s));
        QCOMPARE(files->archive, QDir(folder).absoluteFilePath(u"sunspots-demo.dwm"_s));
        QVERIFY(QFileInfo(files->script).isExecutable());
        QFile script(files->script);
        QVERIFY(script.open(QIODevice::ReadOnly));
        const QString text = QString::fromUtf8(script.readAll());
        QVERIFY(text.contains(u"\ndeepwb catalog import sunspots-demo.dwm --replace --catalog /scratch/catalog\n"_s));
        QVERIFY(text.contains(
            u"\nsrun deepwb retrain sunspots-demo --csv /data/s.csv --name child --device cuda --distributed "
            "--catalog /scratch/catalog\n"_s));
        QProcess bash;
        bash.start(u"bash"_s, {u"-n"_s, files->script});
        QVERIFY(bash.waitForFinished(10000));
        QCOMPARE(bash.exitCode(), 0);

        const QString scratch = out.filePath(u"scratch-catalog"_s);
        QVERIFY(QDir().mkpath(scratch));
        const Result<QString> imported = importModule(files->archive, scratch);
        QVERIFY2(imported, imported ? "" : qPrintable(imported.error().text()));
        QCOMPARE(readManifest(*imported).manifest.id, u"sunspots-demo"_s);
    }

    void nothingIsLeftWhenItFails()
    {
        QTemporaryDir out;
        const QString folder = out.filePath(u"files"_s);
        QStringList command{u"retrain"_s, u"sunspots-demo"_s, u"--csv"_s, u"/d.csv"_s, u"--name"_s, u"child"_s};
        const Result<std::optional<ShippedModule>> shipped = shipModuleOf(command, *m_catalog);
        QVERIFY(shipped);

        SlurmJob invalid = jobFor(command);
        invalid.timeLimit = u"four hours"_s;
        const Result<ClusterJobFiles> refused = writeClusterJob(invalid, folder, *shipped);
        QVERIFY(!refused);
        QCOMPARE(refused.error().field, u"time"_s);
        QVERIFY(!QFileInfo::exists(folder));

        // Cancelled while archiving: no archive, no script, no folder.
        const Result<ClusterJobFiles> cancelled =
            writeClusterJob(jobFor(command), folder, *shipped, [](qint64, qint64) { return false; });
        QVERIFY(!cancelled);
        QVERIFY(!QFileInfo::exists(folder));
    }
};

QTEST_GUILESS_MAIN(TestClusterJobFiles)
#include "test_cluster_job_files.moc"
