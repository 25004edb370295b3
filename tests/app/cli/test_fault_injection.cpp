// Faults a workstation meets, injected into the real deepwb: a full disk (a file-size limit,
// `ulimit -f`, with SIGXFSZ ignored so that writes fail with EFBIG as they fail with ENOSPC
// on a full disk), kill -9 in the middle of a training, and two trainings with one name at
// once. Each case asserts that deepwb says what happened, exits 1 (never a crash), keeps
// what was there (the last good checkpoint) and lists nothing half-written.
#include "big_module_fixture.h"
#include "cli_run.h"
#include "shape_images.h"
#include "shared_data.h"
#include "timeseries_fixture.h"

#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace Qt::StringLiterals;

namespace {

using Run = dw::test::CliRun;

const QString kL7 = QStringLiteral(DW_SHARED_DATA_DIR "/L7_ETMs.tif");

// What deepwb says when a write fails for want of room (ENOSPC) or of a file-size limit (EFBIG).
bool saysDiskFull(const QByteArray &err)
{
    return err.contains("larger than this system allows") || err.contains("the disk is full") ||
           err.contains("disk is probably full");
}

QByteArray digestOf(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QCryptographicHash::hash(file.readAll(), QCryptographicHash::Sha256);
}

}  // namespace

class TestFaultInjection : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QString path(const QString &relative) const { return m_dir.filePath(relative); }
    QString catalog() const { return path(u"catalog"_s); }

    QProcessEnvironment environment() const
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"DEEPWB_PLUGIN_PATH"_s, QStringLiteral(DW_PLUGIN_DIR));
        env.insert(u"DEEPWB_THREADS"_s, u"2"_s);
        env.insert(u"DEEPWB_CATALOG"_s, catalog());
        env.insert(u"HOME"_s, m_dir.path());
        env.insert(u"XDG_DATA_HOME"_s, path(u"xdg"_s));
        return env;
    }

    Run deepwb(const QStringList &args, int timeoutMs = 180000)
    {
        return dw::test::runDeepwb(args, m_dir.path(), timeoutMs, {{u"DEEPWB_CATALOG"_s, catalog()}});
    }

    // deepwb with every file it writes limited to limitKiB: writes past it fail (EFBIG).
    Run deepwbOnFullDisk(const QStringList &args, qint64 limitKiB)
    {
        QProcess process;
        process.setProcessEnvironment(environment());
        process.start(u"/bin/bash"_s,
                      QStringList{u"-c"_s, u"trap '' XFSZ; ulimit -f %1; exec \"$0\" \"$@\""_s.arg(limitKiB),
                                  QStringLiteral(DW_BIN_DIR "/deepwb")} +
                          args);
        Run run;
        if (!process.waitForFinished(180000)) {
            process.kill();
            process.waitForFinished();
            return run;
        }
        run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
        run.out = process.readAllStandardOutput();
        run.err = process.readAllStandardError();
        return run;
    }

    // Starts a training and waits until its first checkpoint is there.
    bool startUntilCheckpoint(QProcess &process, const QStringList &args, const QString &moduleName)
    {
        process.setProcessEnvironment(environment());
        process.start(QStringLiteral(DW_BIN_DIR "/deepwb"), args);
        const QString checkpoint = catalog() + u'/' + moduleName + u"/checkpoints/last.pt"_s;
        QElapsedTimer clock;
        clock.start();
        while (!QFile::exists(checkpoint) && process.state() != QProcess::NotRunning && clock.elapsed() < 120000)
            process.waitForFinished(50);
        return QFile::exists(checkpoint) && process.state() != QProcess::NotRunning;
    }

    QStringList seriesTraining(const QString &name, int epochs) const
    {
        return {u"train"_s,    u"time-series"_s,
                u"--csv"_s,    path(u"series.csv"_s),
                u"--target"_s, u"value"_s,
                u"--model"_s,  u"lstm"_s,
                u"--epochs"_s, QString::number(epochs),
                u"--device"_s, u"cpu"_s,
                u"--name"_s,   name};
    }

    QStringList classifierTraining(const QString &name, int epochs) const
    {
        return {u"train"_s,
                u"image-classification"_s,
                u"--data"_s,
                path(u"shapes"_s),
                u"--arch"_s,
                u"smallcnn"_s,
                u"--epochs"_s,
                QString::number(epochs),
                u"--device"_s,
                u"cpu"_s,
                u"--batch"_s,
                u"16"_s,
                u"--no-augment"_s,
                u"--name"_s,
                name};
    }

    QStringList superresTraining(const QString &name, int epochs) const
    {
        return {u"train"_s,
                u"super-resolution"_s,
                u"--raster"_s,
                kL7,
                u"--roi"_s,
                u"0,0,120,120"_s,
                u"--scale"_s,
                u"2"_s,
                u"--epochs"_s,
                QString::number(epochs),
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
                name};
    }

    QStringList training(const QString &task, const QString &name, int epochs) const
    {
        if (task == u"time-series"_s)
            return seriesTraining(name, epochs);
        if (task == u"image-classification"_s)
            return classifierTraining(name, epochs);
        return superresTraining(name, epochs);
    }

    QString listing()
    {
        const Run list = deepwb({u"catalog"_s, u"list"_s});
        return QString::fromUtf8(list.out + list.err);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QVERIFY(dw::test::writeSineCsv(path(u"series.csv"_s), 600));
        using dw::test::Shape;
        QVERIFY(dw::test::writeShapeImages(path(u"shapes"_s),
                                           {{u"circle"_s, Shape::Circle}, {u"square"_s, Shape::Square}}, 24, 32, 5));
    }

    void fullDiskAtTheStart_data()
    {
        QTest::addColumn<QString>("task");
        QTest::newRow("time-series") << u"time-series"_s;
        QTest::newRow("image-classification") << u"image-classification"_s;
        QTest::newRow("super-resolution") << u"super-resolution"_s;
    }

    // Not even the first checkpoint fits: a clear message, exit 1, and no folder left behind.
    void fullDiskAtTheStart()
    {
        QFETCH(QString, task);
        if (task == u"super-resolution"_s)
            DW_REQUIRE_SHARED_FILE(kL7);
        const QString name = u"full-"_s + task;
        const Run run = deepwbOnFullDisk(training(task, name, 2), 4);
        QVERIFY2(run.exitCode == 1, run.err.constData());
        QVERIFY2(saysDiskFull(run.err), run.err.constData());
        QVERIFY2(!run.err.contains("frame #"), run.err.constData());  // no LibTorch stack trace
        QVERIFY2(!QFileInfo::exists(catalog() + u'/' + name), qPrintable(listing()));
        QVERIFY2(!listing().contains(name), qPrintable(listing()));
    }

    void fullDiskKeepsTheLastCheckpoint_data() { fullDiskAtTheStart_data(); }

    // A training stopped after its first checkpoint, resumed on a disk that is full: the next
    // checkpoint cannot be written, the last good one is kept as it was, the folder is listed
    // as an interrupted training to resume, and resuming with room finishes it.
    void fullDiskKeepsTheLastCheckpoint()
    {
        QFETCH(QString, task);
        if (task == u"super-resolution"_s)
            DW_REQUIRE_SHARED_FILE(kL7);
        const QString name = u"kept-"_s + task;
        const QStringList args = training(task, name, 400);
        QProcess first;
        QVERIFY(startUntilCheckpoint(first, args, name));
        first.terminate();
        QVERIFY(first.waitForFinished(60000));
        const QString checkpoint = catalog() + u'/' + name + u"/checkpoints/last.pt"_s;
        QVERIFY(QFile::exists(checkpoint));
        const QByteArray before = digestOf(checkpoint);

        const qint64 limitKiB = std::max<qint64>(1, QFileInfo(checkpoint).size() / 2048);
        const Run full = deepwbOnFullDisk(args + QStringList{u"--resume"_s}, limitKiB);
        QVERIFY2(full.exitCode == 1, full.err.constData());
        QVERIFY2(saysDiskFull(full.err), full.err.constData());
        QVERIFY2(!full.err.contains("frame #"), full.err.constData());
        QCOMPARE(digestOf(checkpoint), before);
        const QString listed = listing();
        QVERIFY2(listed.contains(name) && listed.contains("interrupted training") && listed.contains("--resume"),
                 qPrintable(listed));
        // Nothing else of the failed write is left beside the checkpoint.
        QCOMPARE(QDir(catalog() + u'/' + name + u"/checkpoints"_s).entryList(QDir::Files | QDir::Hidden),
                 QStringList{u"last.pt"_s});
    }

    // kill -9 in the middle: the folder says it can be resumed and how; --resume finishes it.
    void killedTrainingCanBeResumed()
    {
        const QStringList args = seriesTraining(u"killed"_s, 400);
        QProcess process;
        QVERIFY(startUntilCheckpoint(process, args, u"killed"_s));
        QVERIFY(::kill(static_cast<pid_t>(process.processId()), SIGKILL) == 0);
        QVERIFY(process.waitForFinished(10000));
        const QString listed = listing();
        QVERIFY2(listed.contains("interrupted training") && listed.contains("--resume"), qPrintable(listed));
        QVERIFY2(!listed.contains("being written"), qPrintable(listed));  // the lock of a dead process is stale

        // Resumed with another network: refused, with advice that works (not "train without
        // resume", which the existing folder would refuse).
        QStringList other = seriesTraining(u"killed"_s, 3);
        other[other.indexOf(u"lstm"_s)] = u"gru"_s;
        const Run mismatch = deepwb(other + QStringList{u"--resume"_s});
        QCOMPARE(mismatch.exitCode, 1);
        QVERIFY2(mismatch.err.contains("own options") && mismatch.err.contains("another --name"),
                 mismatch.err.constData());

        QStringList shorter = seriesTraining(u"killed"_s, 3);
        const Run resumed = deepwb(shorter + QStringList{u"--resume"_s});
        QVERIFY2(resumed.exitCode == 0, resumed.err.constData());
        QVERIFY(QFile::exists(catalog() + u"/killed/module.json"_s));
    }

    // Two trainings with one --name at once: the second is refused and names the first; the
    // first finishes alone; while it runs the folder is listed as being written.
    void twoWritersOnOneModule()
    {
        const QStringList args = seriesTraining(u"shared"_s, 400);
        QProcess first;
        QVERIFY(startUntilCheckpoint(first, args, u"shared"_s));
        const Run second = deepwb(seriesTraining(u"shared"_s, 2));
        QVERIFY2(second.exitCode == 1, second.err.constData());
        QVERIFY2(second.err.contains("being written by another process") || second.err.contains("already exists"),
                 second.err.constData());
        // The same through the lock alone (the folder check is passed by --resume).
        const Run resumer = deepwb(seriesTraining(u"shared"_s, 2) + QStringList{u"--resume"_s});
        QVERIFY2(resumer.exitCode == 1, resumer.err.constData());
        QVERIFY2(resumer.err.contains("being written by another process") &&
                     resumer.err.contains(QByteArray::number(first.processId())),
                 resumer.err.constData());
        const QString listed = listing();
        QVERIFY2(listed.contains("being written by process"), qPrintable(listed));
        first.terminate();
        QVERIFY(first.waitForFinished(60000));
        QVERIFY(QFile::exists(catalog() + u"/shared/checkpoints/last.pt"_s));
    }

    // A raster on a server that accepts and never answers: one SIGTERM ends deepwb (after the
    // grace, 2 s here), with a message, instead of waiting without limit.
    void oneSignalEndsAStuckRead()
    {
        QTcpServer silent;
        QVERIFY(silent.listen(QHostAddress::LocalHost));
        QList<QTcpSocket *> held;  // accepted, never answered
        connect(&silent, &QTcpServer::newConnection, this, [&] {
            while (QTcpSocket *socket = silent.nextPendingConnection())
                held.append(socket);
        });
        QProcess process;
        QProcessEnvironment env = environment();
        env.insert(u"DEEPWB_CANCEL_GRACE"_s, u"2"_s);
        process.setProcessEnvironment(env);
        process.start(QStringLiteral(DW_BIN_DIR "/deepwb"),
                      {u"train"_s, u"super-resolution"_s, u"--raster"_s,
                       u"/vsicurl/http://127.0.0.1:%1/scene.tif"_s.arg(silent.serverPort()), u"--epochs"_s, u"1"_s,
                       u"--name"_s, u"stuck"_s, u"--device"_s, u"cpu"_s});
        QVERIFY(process.waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(!held.isEmpty(), 20000);  // GDAL is waiting for its answer
        QElapsedTimer clock;
        clock.start();
        process.terminate();
        QVERIFY(process.waitForFinished(15000));
        QVERIFY2(clock.elapsed() < 10000, qPrintable(QString::number(clock.elapsed())));
        QCOMPARE(process.exitStatus(), QProcess::NormalExit);
        QCOMPARE(process.exitCode(), 1);
        const QByteArray err = process.readAllStandardError();
        QVERIFY2(err.contains("did not stop within 2 s"), err.constData());
        QVERIFY(!QFileInfo::exists(catalog() + u"/stuck"_s));
    }

    // Ctrl-C during 'catalog import' stops it (it used to run to the end): exit 1, the catalog
    // as it was, no hidden folder left.
    void interruptedImportLeavesNothing()
    {
        QVERIFY(dw::test::writeBigModule(path(u"big-source"_s), 64 << 20, 3));
        const QString archive = path(u"big.dwm"_s);
        const Run exported =
            dw::test::runDeepwb({u"catalog"_s, u"export"_s, u"big"_s, archive, u"--catalog"_s, path(u"big-source"_s)},
                                m_dir.path(), 120000);
        QVERIFY2(exported.exitCode == 0, exported.err.constData());

        const QString target = path(u"import-target"_s);
        QVERIFY(QDir().mkpath(target));
        QProcess process;
        process.setProcessEnvironment(environment());
        process.start(QStringLiteral(DW_BIN_DIR "/deepwb"),
                      {u"catalog"_s, u"import"_s, archive, u"--catalog"_s, target});
        QElapsedTimer clock;
        clock.start();
        while (QDir(target).entryList({u".import-*"_s}, QDir::Dirs | QDir::Hidden).isEmpty() &&
               process.state() != QProcess::NotRunning && clock.elapsed() < 30000)
            process.waitForFinished(5);
        QVERIFY2(process.state() != QProcess::NotRunning, "the import ended before it could be interrupted");
        QVERIFY(::kill(static_cast<pid_t>(process.processId()), SIGINT) == 0);
        QVERIFY(process.waitForFinished(30000));
        const QByteArray err = process.readAllStandardError();
        QCOMPARE(process.exitStatus(), QProcess::NormalExit);
        QVERIFY2(process.exitCode() == 1, err.constData());
        QVERIFY2(err.contains("cancelled"), err.constData());
        QCOMPARE(QDir(target).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot), QStringList());
    }

    // A manifest that does not fit is not reported as imported, and leaves no folder.
    void fullDiskImport()
    {
        const Run run = deepwbOnFullDisk({u"catalog"_s, u"import-deep"_s,
                                          QStringLiteral(DW_TEST_DATA_DIR "/catalog/deep_oc_mods_metadata.json"),
                                          u"--catalog"_s, catalog()},
                                         1);
        QVERIFY2(run.exitCode == 1, run.out.constData());
        QVERIFY2(!run.out.contains("imported"), run.out.constData());
        QVERIFY2(saysDiskFull(run.err), run.err.constData());
        QVERIFY(!QFileInfo::exists(catalog() + u"/deep-oc-mods"_s));
    }
};

QTEST_GUILESS_MAIN(TestFaultInjection)
#include "test_fault_injection.moc"
