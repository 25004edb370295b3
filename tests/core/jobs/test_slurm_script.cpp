// The Slurm batch script of a cluster training (core/jobs/slurm_script): its #SBATCH lines for
// CPU and GPU jobs, every validation error, the shell quoting of awkward paths (checked by
// bash itself), `bash -n`, `sbatch --test-only` where Slurm is installed, and the script run by
// bash against stand-ins for scontrol, srun and deepwb: the exact argv each one receives.
#include "core/jobs/slurm_script.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

using namespace dw;
using namespace Qt::StringLiterals;

namespace {

SlurmJob cpuJob()
{
    SlurmJob job;
    job.nodes = 2;
    job.tasksPerNode = 4;
    job.cpusPerTask = 2;
    job.timeLimit = u"02:30:00"_s;
    job.catalog = u"/scratch/me/catalog"_s;
    job.command = {u"train"_s, u"time-series"_s, u"--csv"_s, u"/data/flow.csv"_s, u"--name"_s, u"river-flow"_s};
    return job;
}

SlurmJob gpuJob()
{
    SlurmJob job;
    job.nodes = 4;
    job.gpusPerNode = 4;
    job.cpusPerTask = 8;
    job.partition = u"gpu"_s;
    job.account = u"proj-42"_s;
    job.timeLimit = u"1-12:00:00"_s;
    job.deepwb = u"/opt/deepwb/bin/deepwb"_s;
    job.catalog = u"/scratch/me/catalog"_s;
    job.command = {u"retrain"_s,  u"plankton"_s, u"--data"_s, u"/data/plankton"_s,
                   u"--freeze"_s, u"head"_s,     u"--name"_s, u"plankton-v2"_s};
    job.moduleArchive = u"plankton.dwm"_s;
    return job;
}

QString scriptOf(const SlurmJob &job)
{
    const Result<QString> script = slurmScript(job);
    if (!script)
        qWarning("%s", qPrintable(script.error().text()));
    return script ? *script : QString();
}

QStringList sbatchLines(const QString &script)
{
    QStringList lines;
    for (const QString &line : script.split(u'\n'))
        if (line.startsWith(u"#SBATCH"_s))
            lines << line;
    return lines;
}

QString writeScript(const QTemporaryDir &dir, const QString &text, const QString &name = u"job.slurm"_s)
{
    const QString path = dir.filePath(name);
    QFile file(path);
    if (file.open(QIODevice::WriteOnly))
        file.write(text.toUtf8());
    return path;
}

// Writes an executable stand-in that records its arguments, one per NUL-terminated field.
void writeStandIn(const QString &path, const QString &body)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(("#!/bin/bash\n" + body + "\n").toUtf8());
    file.close();
    QVERIFY(file.setPermissions(file.permissions() | QFileDevice::ExeOwner));
}

QStringList nulSeparated(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QStringList fields = QString::fromUtf8(file.readAll()).split(QChar(0));
    if (!fields.isEmpty() && fields.last().isEmpty())
        fields.removeLast();
    return fields;
}

}  // namespace

class TestSlurmScript : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void cpuJobRunsTasksPerNodeWithoutGpus()
    {
        const QString script = scriptOf(cpuJob());
        QVERIFY(script.startsWith(u"#!/bin/bash\n"_s));
        QCOMPARE(sbatchLines(script), (QStringList{u"#SBATCH --job-name=river-flow"_s, u"#SBATCH --nodes=2"_s,
                                                   u"#SBATCH --ntasks-per-node=4"_s, u"#SBATCH --cpus-per-task=2"_s,
                                                   u"#SBATCH --time=02:30:00"_s, u"#SBATCH --output=%x-%j.out"_s}));
        QVERIFY(script.contains(u"\nset -euo pipefail\n"_s));
        QVERIFY(script.contains(
            u"\nexport MASTER_ADDR=$(scontrol show hostnames \"$SLURM_JOB_NODELIST\" | head -n 1)\n"_s));
        QVERIFY(script.contains(u"\nexport MASTER_PORT=${MASTER_PORT:-$((20000 + SLURM_JOB_ID % 20000))}\n"_s));
        QVERIFY(script.contains(u"\nexport OMP_NUM_THREADS=$SLURM_CPUS_PER_TASK\n"_s));
        QVERIFY(script.contains(u"\nsrun deepwb train time-series --csv /data/flow.csv --name river-flow "
                                "--device cpu --distributed --catalog /scratch/me/catalog\n"_s));
        QVERIFY(!script.contains(u"import river-flow.dwm --replace"_s) &&
                !script.contains(u".dwm ]"_s));  // none to bring
        // The way home: export on the cluster, import on the workstation.
        QVERIFY(script.contains(u"deepwb catalog export river-flow river-flow.dwm --catalog /scratch/me/catalog"_s));
        QVERIFY(script.contains(u"deepwb catalog import river-flow.dwm"_s));
    }

    void gpuJobRunsOneTaskPerGpuAndImportsItsParent()
    {
        const QString script = scriptOf(gpuJob());
        QCOMPARE(sbatchLines(script), (QStringList{u"#SBATCH --job-name=plankton-v2"_s, u"#SBATCH --nodes=4"_s,
                                                   u"#SBATCH --ntasks-per-node=4"_s, u"#SBATCH --gpus-per-node=4"_s,
                                                   u"#SBATCH --cpus-per-task=8"_s, u"#SBATCH --partition=gpu"_s,
                                                   u"#SBATCH --time=1-12:00:00"_s, u"#SBATCH --account=proj-42"_s,
                                                   u"#SBATCH --output=%x-%j.out"_s}));
        const QString import =
            u"\n/opt/deepwb/bin/deepwb catalog import plankton.dwm --replace --catalog /scratch/me/catalog\n"_s;
        const QString run = u"\nsrun /opt/deepwb/bin/deepwb retrain plankton --data /data/plankton --freeze head "
                            "--name plankton-v2 --device cuda --distributed --catalog /scratch/me/catalog\n"_s;
        QVERIFY2(script.contains(import), qPrintable(script));
        QVERIFY2(script.contains(run), qPrintable(script));
        QVERIFY(script.indexOf(import) < script.indexOf(run));  // imported before the ranks start
    }

    void optionalLinesAreLeftOut()
    {
        SlurmJob job = cpuJob();
        job.timeLimit.clear();
        job.catalog.clear();
        job.tasksPerNode = 0;
        const QString script = scriptOf(job);
        QVERIFY(!script.contains(u"--time"_s));
        QVERIFY(!script.contains(u"--partition"_s));
        QVERIFY(!script.contains(u"--account"_s));
        QVERIFY(!script.contains(u"--catalog"_s));
        QVERIFY(script.contains(u"#SBATCH --ntasks-per-node=1\n"_s));
        QVERIFY(script.contains(u"\nsrun deepwb train time-series --csv /data/flow.csv --name river-flow "
                                "--device cpu --distributed\n"_s));
    }

    void distributedIsNotAddedTwice()
    {
        SlurmJob job = cpuJob();
        job.command << u"--distributed"_s;
        const QString script = scriptOf(job);
        QCOMPARE(script.count(u"--distributed"_s), 1);
        QVERIFY(script.contains(u"--name river-flow --distributed --device cpu --catalog"_s));
        // A device the command names is kept.
        job.command << u"--device"_s << u"cuda:1"_s;
        QVERIFY(scriptOf(job).contains(u"--distributed --device cuda:1 --catalog"_s));
    }

    void jobNameIsTheModuleUnlessGiven()
    {
        SlurmJob job = cpuJob();
        QCOMPARE(slurmJobName(job), u"river-flow"_s);
        job.jobName = u"flow-test"_s;
        QVERIFY(scriptOf(job).contains(u"#SBATCH --job-name=flow-test\n"_s));
        QCOMPARE(commandModuleName({u"train"_s, u"x"_s, u"--name=abc"_s}), u"abc"_s);
    }

    void invalidJobsAreRefused_data()
    {
        QTest::addColumn<int>("change");
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("says");
        QTest::newRow("no nodes") << 0 << u"nodes"_s << u"at least 1 node"_s;
        QTest::newRow("negative GPUs") << 1 << u"gpus-per-node"_s << u"0 (CPU only)"_s;
        QTest::newRow("tasks not one per GPU") << 2 << u"tasks-per-node"_s << u"one GPU"_s;
        QTest::newRow("no CPUs") << 3 << u"cpus-per-task"_s << u"give 1 to"_s;
        QTest::newRow("time without seconds") << 4 << u"time"_s << u"HH:MM:SS"_s;
        QTest::newRow("time with 61 minutes") << 5 << u"time"_s << u"D-HH:MM:SS"_s;
        QTest::newRow("a day of 24 hours") << 6 << u"time"_s << u"D-HH:MM:SS"_s;
        QTest::newRow("zero time") << 7 << u"time"_s << u"zero"_s;
        QTest::newRow("partition with a space") << 8 << u"partition"_s << u"sinfo"_s;
        QTest::newRow("account with a quote") << 9 << u"account"_s << u"sacctmgr"_s;
        QTest::newRow("no command") << 10 << u"command"_s << u"after '--'"_s;
        QTest::newRow("predict is not training") << 11 << u"command"_s << u"'train TASK ...'"_s;
        QTest::newRow("train without task") << 12 << u"command"_s << u"TASK first"_s;
        QTest::newRow("retrain without parent") << 13 << u"command"_s << u"PARENT module first"_s;
        QTest::newRow("no name") << 14 << u"name"_s << u"--name"_s;
        QTest::newRow("name not an id") << 15 << u"name"_s << u"e.g. --name my-model"_s;
        QTest::newRow("own catalog") << 16 << u"catalog"_s << u"--cluster-catalog"_s;
        QTest::newRow("archive not dwm") << 17 << u"archive"_s << u".dwm"_s;
        QTest::newRow("line break") << 18 << u"command"_s << u"line break"_s;
        QTest::newRow("no deepwb") << 19 << u"deepwb"_s << u"PATH"_s;
        QTest::newRow("job name with a space") << 20 << u"job-name"_s << u"cannot be a job name"_s;
        QTest::newRow("too many tasks") << 21 << u"tasks-per-node"_s << u"give 1 to"_s;
    }

    void invalidJobsAreRefused()
    {
        QFETCH(int, change);
        QFETCH(QString, field);
        QFETCH(QString, says);
        SlurmJob job = cpuJob();
        switch (change) {
        case 0:
            job.nodes = 0;
            break;
        case 1:
            job.gpusPerNode = -1;
            break;
        case 2:
            job.gpusPerNode = 4;
            job.tasksPerNode = 2;
            break;
        case 3:
            job.cpusPerTask = 0;
            break;
        case 4:
            job.timeLimit = u"12:00"_s;
            break;
        case 5:
            job.timeLimit = u"01:61:00"_s;
            break;
        case 6:
            job.timeLimit = u"1-24:00:00"_s;
            break;
        case 7:
            job.timeLimit = u"0-00:00:00"_s;
            break;
        case 8:
            job.partition = u"gpu a100"_s;
            break;
        case 9:
            job.account = u"proj'42"_s;
            break;
        case 10:
            job.command.clear();
            break;
        case 11:
            job.command[0] = u"predict"_s;
            break;
        case 12:
            job.command = {u"train"_s, u"--csv"_s, u"x.csv"_s, u"--name"_s, u"a"_s};
            break;
        case 13:
            job.command = {u"retrain"_s};
            break;
        case 14:
            job.command = {u"train"_s, u"time-series"_s, u"--csv"_s, u"x.csv"_s};
            break;
        case 15:
            job.command = {u"train"_s, u"time-series"_s, u"--name"_s, u"My Model"_s};
            break;
        case 16:
            job.command << u"--catalog"_s << u"/home/me/catalog"_s;
            break;
        case 17:
            job.moduleArchive = u"plankton.zip"_s;
            break;
        case 18:
            job.command[3] = u"/data/a\nb.csv"_s;
            break;
        case 19:
            job.deepwb = u" "_s;
            break;
        case 20:
            job.jobName = u"river flow"_s;
            break;
        case 21:
            job.tasksPerNode = 5000;
            break;
        }
        const Result<void> valid = validateSlurmJob(job);
        QVERIFY(!valid);
        QCOMPARE(valid.error().field, field);
        QVERIFY2(valid.error().message.contains(says), qPrintable(valid.error().message));
        QVERIFY(!slurmScript(job));  // no script for an invalid job
    }

    void validTimeLimits_data()
    {
        QTest::addColumn<QString>("limit");
        for (const char *limit : {"00:30:00", "72:00:00", "0-01:00:00", "7-23:59:59", ""})
            QTest::newRow(limit) << QString::fromLatin1(limit);
    }

    void validTimeLimits()
    {
        QFETCH(QString, limit);
        SlurmJob job = cpuJob();
        job.timeLimit = limit;
        const Result<void> valid = validateSlurmJob(job);
        QVERIFY2(valid, valid ? "" : qPrintable(valid.error().text()));
    }

    void plainWordsAreLeftAlone()
    {
        QCOMPARE(shellQuote(u"/data/plankton_2024/train-set.v2"_s), u"/data/plankton_2024/train-set.v2"_s);
        QCOMPARE(shellQuote(u"--lr=0.001"_s), u"--lr=0.001"_s);
        QCOMPARE(shellQuote(QString()), u"''"_s);
        QCOMPARE(shellQuote(u"a b"_s), u"'a b'"_s);
        QCOMPARE(shellQuote(u"it's"_s), u"'it'\\''s'"_s);
        QCOMPARE(shellCommand({u"ls"_s, u"my dir"_s}), u"ls 'my dir'"_s);
    }

    void awkwardWordsSurviveBash_data()
    {
        QTest::addColumn<QString>("word");
        QTest::newRow("space") << u"/data/my plants/train"_s;
        QTest::newRow("single quote") << u"/data/O'Brien's images"_s;
        QTest::newRow("double quote") << u"/data/\"best\" set"_s;
        QTest::newRow("dollar") << u"/data/$HOME/${USER}/$(id)"_s;
        QTest::newRow("backtick") << u"/data/`whoami`"_s;
        QTest::newRow("glob") << u"/data/*.csv"_s;
        QTest::newRow("tilde") << u"~/data"_s;
        QTest::newRow("backslash") << u"C:\\data\\set"_s;
        QTest::newRow("semicolon and ampersand") << u"a;b&&c|d>e<f"_s;
        QTest::newRow("empty") << QString();
        QTest::newRow("accents") << u"/données/Étude n°2"_s;
        QTest::newRow("leading dash") << u"-rf"_s;
        QTest::newRow("tab") << u"a\tb"_s;
        QTest::newRow("bang") << u"hello!world"_s;
    }

    void awkwardWordsSurviveBash()
    {
        QFETCH(QString, word);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString out = dir.filePath(u"out"_s);
        // Three words around it, so that a word that splits or vanishes shows.
        const QString script =
            u"printf '%s\\0' %1 > %2\n"_s.arg(shellCommand({u"before"_s, word, u"after"_s}), shellQuote(out));
        QProcess bash;
        bash.setWorkingDirectory(dir.path());
        bash.start(u"bash"_s, {u"-c"_s, script});
        QVERIFY(bash.waitForFinished(10000));
        QCOMPARE(bash.exitCode(), 0);
        QCOMPARE(nulSeparated(out), (QStringList{u"before"_s, word, u"after"_s}));
    }

    void scriptsPassBashSyntaxCheck_data()
    {
        QTest::addColumn<bool>("gpu");
        QTest::newRow("cpu") << false;
        QTest::newRow("gpu with archive") << true;
    }

    void scriptsPassBashSyntaxCheck()
    {
        QFETCH(bool, gpu);
        SlurmJob job = gpu ? gpuJob() : cpuJob();
        job.catalog = u"/scratch/it's \"mine\"/$catalog"_s;
        QTemporaryDir dir;
        const QString path = writeScript(dir, scriptOf(job));
        QProcess bash;
        bash.start(u"bash"_s, {u"-n"_s, path});
        QVERIFY(bash.waitForFinished(10000));
        QVERIFY2(bash.exitCode() == 0, bash.readAllStandardError().constData());
    }

    void sbatchAcceptsTheScript()
    {
        const QString sbatch = QStandardPaths::findExecutable(u"sbatch"_s);
        if (sbatch.isEmpty())
            QSKIP("sbatch is not on the PATH (no Slurm client on this machine): 'sbatch --test-only' cannot check "
                  "the script here; bash -n and the stand-in run check it instead");
        QTemporaryDir dir;
        SlurmJob job = gpuJob();
        job.partition.clear();  // the cluster's own partition and account: ours are made up
        job.account.clear();
        const QString path = writeScript(dir, scriptOf(job));
        QProcess run;
        run.start(sbatch, {u"--test-only"_s, path});
        QVERIFY(run.waitForFinished(60000));
        QVERIFY2(run.exitCode() == 0, run.readAllStandardError().constData());
    }

    // The script run by bash as sbatch would on the first node, with stand-ins for scontrol,
    // srun and deepwb: the rendezvous exported, the archive imported first, srun given the
    // command word for word (paths with spaces and quotes intact).
    void theScriptRunsTheExactCommand()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString bin = dir.filePath(u"bin"_s);
        QVERIFY(QDir().mkpath(bin));
        const QString log = dir.filePath(u"calls"_s);
        writeStandIn(bin + u"/scontrol"_s, u"printf 'gpu-node-07\\ngpu-node-08\\n'"_s);
        writeStandIn(bin + u"/srun"_s,
                     u"printf 'srun MASTER_ADDR=%s MASTER_PORT=%s OMP=%s\\0' \"$MASTER_ADDR\" "
                     "\"$MASTER_PORT\" \"$OMP_NUM_THREADS\" >> %1\nprintf '%s\\0' \"$@\" >> %1"_s.arg(shellQuote(log)));
        writeStandIn(bin + u"/deepwb"_s,
                     u"printf 'deepwb\\0' >> %1\nprintf '%s\\0' \"$@\" >> %1"_s.arg(shellQuote(log)));

        SlurmJob job = gpuJob();
        job.deepwb = u"deepwb"_s;
        job.catalog = u"/scratch/it's \"my\" catalog"_s;
        job.command = {u"retrain"_s, u"plankton"_s,   u"--data"_s, u"/data/O'Brien's plankton/$RUN"_s,
                       u"--name"_s,  u"plankton-v2"_s};
        const QString script = writeScript(dir, scriptOf(job));

        QProcess bash;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"PATH"_s, bin + u":"_s + env.value(u"PATH"_s));
        env.insert(u"SLURM_JOB_NODELIST"_s, u"gpu-node-[07-08]"_s);
        env.insert(u"SLURM_JOB_ID"_s, u"123456"_s);
        env.insert(u"SLURM_CPUS_PER_TASK"_s, u"8"_s);
        env.remove(u"MASTER_PORT"_s);
        bash.setProcessEnvironment(env);
        bash.setWorkingDirectory(dir.path());

        // Submitted from a folder without the archive: it says so and stops before srun.
        bash.start(u"bash"_s, {script});
        QVERIFY(bash.waitForFinished(10000));
        QCOMPARE(bash.exitCode(), 1);
        QVERIFY2(bash.readAllStandardError().contains("plankton.dwm is not in"), "no word about the archive");
        QVERIFY(!QFile::exists(log));

        QFile archive(dir.filePath(u"plankton.dwm"_s));
        QVERIFY(archive.open(QIODevice::WriteOnly));
        archive.close();
        bash.start(u"bash"_s, {script});
        QVERIFY(bash.waitForFinished(10000));
        QVERIFY2(bash.exitCode() == 0, bash.readAllStandardError().constData());
        const QString catalog = job.catalog;
        QCOMPARE(nulSeparated(log), (QStringList{u"deepwb"_s,
                                                 u"catalog"_s,
                                                 u"import"_s,
                                                 u"plankton.dwm"_s,
                                                 u"--replace"_s,
                                                 u"--catalog"_s,
                                                 catalog,
                                                 u"srun MASTER_ADDR=gpu-node-07 MASTER_PORT=23456 OMP=8"_s,
                                                 u"deepwb"_s,
                                                 u"retrain"_s,
                                                 u"plankton"_s,
                                                 u"--data"_s,
                                                 u"/data/O'Brien's plankton/$RUN"_s,
                                                 u"--name"_s,
                                                 u"plankton-v2"_s,
                                                 u"--device"_s,
                                                 u"cuda"_s,
                                                 u"--distributed"_s,
                                                 u"--catalog"_s,
                                                 catalog}));
        // The way home is told at the end, with the cluster's catalog named.
        QVERIFY(bash.readAllStandardOutput().contains("deepwb catalog import plankton-v2.dwm"));
    }
};

QTEST_GUILESS_MAIN(TestSlurmScript)
#include "test_slurm_script.moc"
