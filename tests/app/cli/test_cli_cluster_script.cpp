// deepwb cluster-script through the real binary: the Slurm script written (executable, `bash -n`
// clean, the exact srun line with awkward paths quoted), the parent of a re-training archived
// beside it and importable into a scratch catalog with `deepwb catalog import`, and every usage
// error answered with exit code 2, a message and no file.
#include "cli_run.h"

#include "core/jobs/slurm_script.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

using namespace Qt::StringLiterals;

namespace {

const QString kDemos = QStringLiteral(DW_SOURCE_DIR "/resources/demo-modules");

QString readText(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QString();
}

int bashSyntaxCheck(const QString &script)
{
    QProcess bash;
    bash.start(u"bash"_s, {u"-n"_s, script});
    return bash.waitForFinished(10000) ? bash.exitCode() : -1;
}

}  // namespace

class TestCliClusterScript : public QObject {
    Q_OBJECT
    QTemporaryDir m_home;
    QString catalog() const { return m_home.filePath(u"catalog"_s); }
    dw::test::CliRun deepwb(const QStringList &args) const
    {
        return dw::test::runDeepwb(args, m_home.path(), 120000, {{u"DEEPWB_DEMO_MODULES"_s, kDemos}});
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_home.isValid()); }

    void listedInTheUsage()
    {
        const dw::test::CliRun help = deepwb({u"--help"_s});
        QCOMPARE(help.exitCode, 0);
        QVERIFY(help.out.contains("cluster-script -o DIR --nodes N"));
        const dw::test::CliRun own = deepwb({u"cluster-script"_s, u"--help"_s});
        QCOMPARE(own.exitCode, 0);
        QVERIFY2(own.out.contains("--gpus-per-node") && own.out.contains("--cluster-catalog"), own.out.constData());
    }

    void writesACpuTrainingScript()
    {
        const QString folder = m_home.filePath(u"cpu job"_s);
        const QString csv = u"/data/river \"flow\" O'Neil.csv"_s;
        const dw::test::CliRun run = deepwb({u"cluster-script"_s,
                                             u"-o"_s,
                                             folder,
                                             u"--nodes"_s,
                                             u"2"_s,
                                             u"--tasks-per-node"_s,
                                             u"2"_s,
                                             u"--cpus-per-task"_s,
                                             u"4"_s,
                                             u"--time"_s,
                                             u"01:30:00"_s,
                                             u"--cluster-catalog"_s,
                                             u"/scratch/my catalog"_s,
                                             u"--"_s,
                                             u"train"_s,
                                             u"time-series"_s,
                                             u"--csv"_s,
                                             csv,
                                             u"--name"_s,
                                             u"river-flow"_s,
                                             u"--epochs"_s,
                                             u"5"_s});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        const QString script = folder + u"/river-flow.slurm"_s;
        QVERIFY(QFileInfo(script).isExecutable());
        QCOMPARE(QDir(folder).entryList(QDir::Files), QStringList{u"river-flow.slurm"_s});  // no archive
        const QString text = readText(script);
        QVERIFY(text.contains(u"#SBATCH --nodes=2\n#SBATCH --ntasks-per-node=2\n#SBATCH --cpus-per-task=4\n"
                              "#SBATCH --time=01:30:00\n"_s));
        QVERIFY(!text.contains(u"--gpus-per-node"_s));
        const QString srun =
            u"\nsrun deepwb train time-series --csv %1 --name river-flow --epochs 5 --device cpu --distributed "
            "--catalog '/scratch/my catalog'\n"_s.arg(dw::shellQuote(csv));
        QVERIFY2(text.contains(srun), qPrintable(text));
        QCOMPARE(bashSyntaxCheck(script), 0);
        QVERIFY2(run.out.contains("sbatch river-flow.slurm"), run.out.constData());
    }

    void aRetrainingTakesItsParentAlong()
    {
        const QString folder = m_home.filePath(u"gpu-job"_s);
        const dw::test::CliRun run = deepwb({u"cluster-script"_s,
                                             u"-o"_s,
                                             folder,
                                             u"--nodes"_s,
                                             u"2"_s,
                                             u"--gpus-per-node"_s,
                                             u"4"_s,
                                             u"--partition"_s,
                                             u"gpu"_s,
                                             u"--deepwb"_s,
                                             u"/opt/deep workbench/bin/deepwb"_s,
                                             u"--json"_s,
                                             u"--catalog"_s,
                                             catalog(),
                                             u"--"_s,
                                             u"retrain"_s,
                                             kDemos + u"/sunspots-demo"_s,
                                             u"--csv"_s,
                                             u"/data/s.csv"_s,
                                             u"--name"_s,
                                             u"sunspots-v2"_s});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        const QJsonObject json = run.json();
        const QString archive = folder + u"/sunspots-demo.dwm"_s;
        QCOMPARE(json.value(u"archive"_s).toString(), QFileInfo(archive).absoluteFilePath());
        QCOMPARE(json.value(u"tasks_per_node"_s).toInt(), 4);
        const QString text = readText(folder + u"/sunspots-v2.slurm"_s);
        QVERIFY(text.contains(u"#SBATCH --gpus-per-node=4\n"_s));
        QVERIFY(text.contains(u"\n'/opt/deep workbench/bin/deepwb' catalog import sunspots-demo.dwm --replace\n"_s));
        // The parent given as a folder here is named by its id on the cluster.
        QVERIFY2(text.contains(u"\nsrun '/opt/deep workbench/bin/deepwb' retrain sunspots-demo --csv /data/s.csv "
                               "--name sunspots-v2 --device cuda --distributed\n"_s),
                 qPrintable(text));
        QCOMPARE(bashSyntaxCheck(folder + u"/sunspots-v2.slurm"_s), 0);

        // The archive is a module like any other: it imports into a fresh catalog.
        const QString scratch = m_home.filePath(u"scratch catalog"_s);
        const dw::test::CliRun import =
            deepwb({u"catalog"_s, u"import"_s, archive, u"--catalog"_s, scratch, u"--json"_s});
        QVERIFY2(import.exitCode == 0, import.err.constData());
        QCOMPARE(import.json().value(u"id"_s).toString(), u"sunspots-demo"_s);
        QVERIFY(QFileInfo::exists(scratch + u"/sunspots-demo/module.json"_s));
    }

    void usageErrorsWriteNothing_data()
    {
        QTest::addColumn<QStringList>("options");
        QTest::addColumn<QStringList>("command");  // after "--"; empty: no "--" at all
        QTest::addColumn<QString>("says");
        const QStringList train{u"train"_s, u"time-series"_s, u"--csv"_s, u"x.csv"_s, u"--name"_s, u"n"_s};
        QTest::newRow("no command") << QStringList{u"--nodes"_s, u"1"_s} << QStringList() << u"after '--'"_s;
        QTest::newRow("no nodes") << QStringList() << train << u"--nodes N"_s;
        QTest::newRow("zero nodes") << QStringList{u"--nodes"_s, u"0"_s} << train << u"--nodes: 0 nodes"_s;
        QTest::newRow("nodes not a number") << QStringList{u"--nodes"_s, u"two"_s} << train << u"whole number"_s;
        QTest::newRow("bad time") << QStringList{u"--nodes"_s, u"1"_s, u"--time"_s, u"90m"_s} << train
                                  << u"--time: '90m' is not a time limit"_s;
        QTest::newRow("tasks against GPUs")
            << QStringList{u"--nodes"_s, u"1"_s, u"--gpus-per-node"_s, u"2"_s, u"--tasks-per-node"_s, u"3"_s} << train
            << u"each task trains on one GPU"_s;
        QTest::newRow("unknown option") << QStringList{u"--nodes"_s, u"1"_s, u"--gpus"_s, u"2"_s} << train
                                        << u"Unknown option 'gpus'"_s;
        QTest::newRow("not a training") << QStringList{u"--nodes"_s, u"1"_s}
                                        << QStringList{u"predict"_s, u"sunspots-demo"_s, u"x.csv"_s}
                                        << u"must be 'train TASK ...'"_s;
        QTest::newRow("no name") << QStringList{u"--nodes"_s, u"1"_s} << train.mid(0, 4) << u"no --name"_s;
        QTest::newRow("template parent") << QStringList{u"--nodes"_s, u"1"_s}
                                         << QStringList{u"retrain"_s, u"time-series-forecaster"_s, u"--name"_s, u"n"_s}
                                         << u"template"_s;
        QTest::newRow("command's own catalog")
            << QStringList{u"--nodes"_s, u"1"_s} << train + QStringList{u"--catalog"_s, u"/c"_s}
            << u"--cluster-catalog"_s;
    }

    void usageErrorsWriteNothing()
    {
        QFETCH(QStringList, options);
        QFETCH(QStringList, command);
        QFETCH(QString, says);
        const QString folder = m_home.filePath(u"refused"_s);
        QStringList args = QStringList{u"cluster-script"_s, u"-o"_s, folder, u"--catalog"_s, catalog()} + options;
        if (!command.isEmpty())
            args += QStringList{u"--"_s} + command;
        const dw::test::CliRun run = deepwb(args);
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(QString::fromUtf8(run.err).contains(says), run.err.constData());
        QVERIFY(run.out.isEmpty());
        QVERIFY(!QFileInfo::exists(folder));
    }

    void theTrainingComesAfterTwoDashes()
    {
        const QString folder = m_home.filePath(u"no-dashes"_s);
        const dw::test::CliRun run = deepwb({u"cluster-script"_s, u"-o"_s, folder, u"--nodes"_s, u"1"_s, u"train"_s,
                                             u"time-series"_s, u"--name"_s, u"n"_s});
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains("put '--' before the training"), run.err.constData());
        QVERIFY(!QFileInfo::exists(folder));
    }

    void noOutputFolderIsAUsageError()
    {
        const dw::test::CliRun run =
            deepwb({u"cluster-script"_s, u"--nodes"_s, u"1"_s, u"--"_s, u"train"_s, u"x"_s, u"--name"_s, u"n"_s});
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains("-o DIR"), run.err.constData());
    }
};

QTEST_GUILESS_MAIN(TestCliClusterScript)
#include "test_cli_cluster_script.moc"
