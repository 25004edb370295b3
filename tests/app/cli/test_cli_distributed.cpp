// Data-parallel training through the deepwb binary (issue 20), as a cluster would start it:
// two ranks from plain environment variables (Gloo over the loopback) and from Debian's
// torchrun; both end with bitwise-equal weights, the run matches one process with twice the
// batch within a stated tolerance, and only rank 0 writes. A killed rank stops the other with a
// message that names it; a rank that never arrives, a port in use and wrong launcher variables
// are refused before any data is read; an interrupted run resumes to the same weights. The
// image classifier (with batch norm) and super-resolution train the same way.
#include "cli_run.h"
#include "shape_images.h"
#include "shared_data.h"
#include "timeseries_fixture.h"

#include <QDirIterator>
#include <QElapsedTimer>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QtTest>

#include <memory>

using namespace Qt::StringLiterals;

namespace {

// Two ranks with batch 32 against one process with batch 64: the same windows per step, the
// same averaged gradients; only the order of the floating-point sums differs.
constexpr double kTolerance = 1e-5;  // relative, on the held-out MAE and RMSE

struct RankRun {
    int exitCode = -1;
    QByteArray out, err;
    qint64 milliseconds = 0;
};

quint16 freePort()
{
    QTcpServer server;
    server.listen(QHostAddress::LocalHost, 0);
    return server.serverPort();
}

QString digestIn(const QByteArray &log, int rank)
{
    static const QRegularExpression line(u"rank (\\d+) of \\d+: weights sha256 ([0-9a-f]{64})"_s);
    for (auto it = line.globalMatch(QString::fromUtf8(log)); it.hasNext();) {
        const QRegularExpressionMatch m = it.next();
        if (m.captured(1).toInt() == rank)
            return m.captured(2);
    }
    return {};
}

QStringList filesUnder(const QString &folder)
{
    QStringList files;
    QDirIterator it(folder, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext())
        files.append(it.next());
    return files;
}

double relative(double a, double b)
{
    return std::abs(a - b) / std::max(1e-12, std::abs(b));
}

}  // namespace

class TestCliDistributed : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QString m_csv;

    QString path(const QString &relative) const { return m_dir.filePath(relative); }

    static QStringList trainArgs(const QString &csv, int batch, const QString &name, const QString &catalog,
                                 int epochs = 4)
    {
        return {u"train"_s, u"time-series"_s, u"--csv"_s, csv, u"--target"_s, u"value"_s, u"--model"_s, u"mlp"_s,
                u"--window"_s, u"16"_s, u"--horizon"_s, u"2"_s, u"--epochs"_s, QString::number(epochs), u"--hidden"_s,
                u"16"_s, u"--lr"_s, u"0.01"_s, u"--batch"_s, QString::number(batch), u"--device"_s, u"cpu"_s,
                // fp32: one process of batch 64 and two ranks of 32 agree to 1e-5 only in float32.
                u"--precision"_s, u"fp32"_s, u"--name"_s, name, u"--catalog"_s, catalog, u"--json"_s};
    }

    static QProcessEnvironment environment(const QString &home, const QMap<QString, QString> &extra)
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"DEEPWB_PLUGIN_PATH"_s, QStringLiteral(DW_PLUGIN_DIR));
        env.insert(u"DEEPWB_THREADS"_s, u"1"_s);
        env.insert(u"HOME"_s, home);
        env.insert(u"XDG_DATA_HOME"_s, QDir(home).filePath(u"xdg"_s));
        env.insert(u"XDG_CACHE_HOME"_s, QDir(home).filePath(u"cache"_s));
        for (auto it = extra.begin(); it != extra.end(); ++it)
            env.insert(it.key(), it.value());
        return env;
    }

    static std::unique_ptr<QProcess> startRank(const QStringList &args, const QString &home, int rank, int world,
                                               quint16 port, QMap<QString, QString> extra = {})
    {
        extra.insert(u"RANK"_s, QString::number(rank));
        extra.insert(u"WORLD_SIZE"_s, QString::number(world));
        extra.insert(u"LOCAL_RANK"_s, QString::number(rank));
        extra.insert(u"MASTER_ADDR"_s, u"127.0.0.1"_s);
        extra.insert(u"MASTER_PORT"_s, QString::number(port));
        auto process = std::make_unique<QProcess>();
        process->setProcessEnvironment(environment(home, extra));
        process->start(QStringLiteral(DW_BIN_DIR "/deepwb"), args);
        return process;
    }

    static RankRun finish(QProcess &process, int timeoutMs, const QElapsedTimer &clock)
    {
        RankRun run;
        if (!process.waitForFinished(timeoutMs)) {
            process.kill();
            process.waitForFinished();
        } else if (process.exitStatus() == QProcess::NormalExit) {
            run.exitCode = process.exitCode();
        }
        run.milliseconds = clock.elapsed();
        run.out = process.readAllStandardOutput();
        run.err = process.readAllStandardError();
        return run;
    }

    // Both ranks to the end; their runs.
    QList<RankRun> runTwo(const QStringList &rank0, const QStringList &rank1, const QString &home0,
                          const QString &home1)
    {
        const quint16 port = freePort();
        QElapsedTimer clock;
        clock.start();
        auto p0 = startRank(rank0, home0, 0, 2, port);
        auto p1 = startRank(rank1, home1, 1, 2, port);
        RankRun r0 = finish(*p0, 300000, clock);
        RankRun r1 = finish(*p1, 60000, clock);
        return {r0, r1};
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_csv = path(u"sine.csv"_s);
        // 573 rows: 384 training windows, six whole global batches of 64, so that the two-rank
        // run pads nothing and sees exactly the one-process run's batches.
        QVERIFY(dw::test::writeSineCsv(m_csv, 573, 0.1));
    }

    // The acceptance run: two ranks of batch 32 against one process of batch 64.
    void twoRanksMatchOneProcess()
    {
        const QString single = path(u"single"_s), shared = path(u"shared"_s);
        QTemporaryDir otherHome;  // rank 1's own home and catalog: it must write nothing there
        const QString catalog1 = otherHome.filePath(u"catalog"_s);

        const dw::test::CliRun one = dw::test::runDeepwb(trainArgs(m_csv, 64, u"one"_s, single), m_dir.path(), 300000,
                                                         {{u"DEEPWB_THREADS"_s, u"1"_s}});
        QVERIFY2(one.exitCode == 0, one.err.constData());
        QCOMPARE(one.json().value(u"train_windows"_s).toInt(), 384);

        const QList<RankRun> two = runTwo(trainArgs(m_csv, 32, u"two"_s, shared),
                                          trainArgs(m_csv, 32, u"two"_s, catalog1), m_dir.path(), otherHome.path());
        QVERIFY2(two[0].exitCode == 0, two[0].err.constData());
        QVERIFY2(two[1].exitCode == 0, two[1].err.constData());

        // Bitwise-equal weights on both ranks (each prints the SHA-256 of its parameters and buffers).
        const QString d0 = digestIn(two[0].err, 0), d1 = digestIn(two[1].err, 1);
        QVERIFY2(!d0.isEmpty(), two[0].err.constData());
        QCOMPARE(d1, d0);

        // Only rank 0 wrote: the module is in its catalog, nothing at all in rank 1's home.
        QVERIFY(QFile::exists(shared + u"/two/weights.pt"_s));
        QVERIFY(QFile::exists(shared + u"/two/module.json"_s));
        QVERIFY2(filesUnder(otherHome.path()).isEmpty(), qPrintable(filesUnder(otherHome.path()).join(u", "_s)));
        const QJsonObject json0 = QJsonDocument::fromJson(two[0].out).object();
        QCOMPARE(json0.value(u"distributed"_s).toObject().value(u"world_size"_s).toInt(), 2);
        QCOMPARE(json0.value(u"distributed"_s).toObject().value(u"backend"_s).toString(), u"gloo"_s);
        QVERIFY2(two[1].out.contains("\"rank\": 1"), two[1].out.constData());

        // Within the tolerance of one process with the global batch.
        const QJsonObject a = one.json().value(u"metrics"_s).toObject().value(u"value"_s).toObject();
        const QJsonObject b = json0.value(u"metrics"_s).toObject().value(u"value"_s).toObject();
        for (const QString &metric : {u"mae"_s, u"rmse"_s}) {
            QVERIFY2(a.value(metric).isDouble() && b.value(metric).isDouble(), one.out.constData());
            const double gap = relative(b.value(metric).toDouble(), a.value(metric).toDouble());
            qInfo("%s: one process %.7g, two ranks %.7g, relative difference %.2e (tolerance %.0e)", qPrintable(metric),
                  a.value(metric).toDouble(), b.value(metric).toDouble(), gap, kTolerance);
            QVERIFY2(gap <= kTolerance, qPrintable(metric));
        }
    }

    // The other two tasks: a SmallCNN with batch norm on generated shapes, and a super-resolution
    // network on the Landsat scene; the ranks agree bit for bit and rank 1 writes nothing.
    void otherTasks_data()
    {
        QTest::addColumn<QStringList>("args");
        const QString shapes = path(u"shapes"_s);
        if (!QFileInfo::exists(shapes))
            QVERIFY(dw::test::writeShapeImages(shapes,
                                               {{u"circle"_s, dw::test::Shape::Circle},
                                                {u"square"_s, dw::test::Shape::Square},
                                                {u"cross"_s, dw::test::Shape::Cross}},
                                               20, 28, 5));
        QTest::newRow("image-classification") << QStringList{u"train"_s,        u"image-classification"_s,
                                                             u"--data"_s,       shapes,
                                                             u"--arch"_s,       u"smallcnn"_s,
                                                             u"--epochs"_s,     u"2"_s,
                                                             u"--batch"_s,      u"8"_s,
                                                             u"--workers"_s,    u"1"_s,
                                                             u"--no-augment"_s, u"--val-fraction"_s,
                                                             u"0.2"_s,          u"--test-fraction"_s,
                                                             u"0.2"_s,          u"--device"_s,
                                                             u"cpu"_s};
        QTest::newRow("super-resolution") << QStringList{u"train"_s,
                                                         u"super-resolution"_s,
                                                         u"--raster"_s,
                                                         QStringLiteral(DW_SHARED_DATA_DIR "/L7_ETMs.tif"),
                                                         u"--scale"_s,
                                                         u"2"_s,
                                                         u"--epochs"_s,
                                                         u"2"_s,
                                                         u"--blocks"_s,
                                                         u"1"_s,
                                                         u"--filters"_s,
                                                         u"8"_s,
                                                         u"--patch"_s,
                                                         u"24"_s,
                                                         u"--patches-per-epoch"_s,
                                                         u"32"_s,
                                                         u"--batch"_s,
                                                         u"8"_s,
                                                         u"--device"_s,
                                                         u"cpu"_s};
    }

    void otherTasks()
    {
        QFETCH(QStringList, args);
        if (args.contains(u"super-resolution"_s))
            DW_REQUIRE_SHARED_FILE(QStringLiteral(DW_SHARED_DATA_DIR "/L7_ETMs.tif"));
        const QString name = args[1], catalog = path(u"tasks"_s);
        QTemporaryDir otherHome;
        const QStringList common = QStringList(args) << u"--name"_s << name << u"--json"_s;
        const QList<RankRun> two = runTwo(QStringList(common) << u"--catalog"_s << catalog,
                                          QStringList(common) << u"--catalog"_s << otherHome.filePath(u"catalog"_s),
                                          m_dir.path(), otherHome.path());
        QVERIFY2(two[0].exitCode == 0, two[0].err.right(3000).constData());
        QVERIFY2(two[1].exitCode == 0, two[1].err.right(3000).constData());
        const QString d0 = digestIn(two[0].err, 0);
        QVERIFY2(!d0.isEmpty(), two[0].err.right(3000).constData());
        QCOMPARE(digestIn(two[1].err, 1), d0);
        QVERIFY(QFile::exists(catalog + u'/' + name + u"/weights.pt"_s));
        QVERIFY2(filesUnder(otherHome.path()).isEmpty(), qPrintable(filesUnder(otherHome.path()).join(u", "_s)));
    }

    // Debian's torchrun starts the two ranks (--redirects 1 --tee 2: Python 3.11's
    // torchrun fails with its default --redirects 0).
    void torchrunLaunch()
    {
        const QString catalog = path(u"torchrun"_s), logs = path(u"torchrun-logs"_s);
        QProcess torchrun;
        QProcessEnvironment env = environment(m_dir.path(), {});
        env.remove(u"RANK"_s);
        env.remove(u"WORLD_SIZE"_s);
        torchrun.setProcessEnvironment(env);
        torchrun.start(u"/usr/bin/torchrun"_s, QStringList{u"--standalone"_s, u"--nproc_per_node=2"_s, u"--redirects"_s,
                                                           u"1"_s, u"--tee"_s, u"2"_s, u"--log_dir"_s, logs,
                                                           u"--no_python"_s, QStringLiteral(DW_BIN_DIR "/deepwb")} +
                                                   trainArgs(m_csv, 32, u"launched"_s, catalog, 2));
        QVERIFY(torchrun.waitForFinished(300000));
        const QByteArray out = torchrun.readAllStandardOutput(), err = torchrun.readAllStandardError();
        QVERIFY2(torchrun.exitStatus() == QProcess::NormalExit && torchrun.exitCode() == 0,
                 (out + err).right(4000).constData());
        // Each rank's stderr, in torchrun's log folder.
        QByteArray logged;
        for (const QString &file : filesUnder(logs))
            if (file.endsWith(u"stderr.log"_s)) {
                QFile f(file);
                QVERIFY(f.open(QIODevice::ReadOnly));
                logged += f.readAll();
            }
        const QString d0 = digestIn(logged, 0), d1 = digestIn(logged, 1);
        QVERIFY2(!d0.isEmpty() && d0 == d1, (logged + err).right(4000).constData());
        QVERIFY(logged.contains("torchrun, rendezvous"));
        QVERIFY(QFile::exists(catalog + u"/launched/weights.pt"_s));
    }

    // kill -9 of rank 1 mid-training: rank 0 stops, non-zero, within the timeout, naming rank 1.
    void killedRankStopsTheOther()
    {
        const QString catalog = path(u"killed"_s);
        const quint16 port = freePort();
        QStringList args = trainArgs(m_csv, 8, u"killed"_s, catalog, 5000);
        args << u"--distributed-timeout"_s << u"30"_s;
        QElapsedTimer clock;
        clock.start();
        auto p0 = startRank(args, m_dir.path(), 0, 2, port);
        auto p1 = startRank(args, m_dir.path(), 1, 2, port);
        // Wait until rank 0 has finished an epoch: the ranks are exchanging gradients.
        QByteArray err0;
        while (!err0.contains("epoch 1/") && clock.elapsed() < 120000) {
            p0->waitForReadyRead(200);
            err0 += p0->readAllStandardError();
        }
        QVERIFY2(err0.contains("epoch 1/"), err0.constData());
        QVERIFY2(!p1->waitForFinished(0), p1->readAllStandardError().right(2000).constData());
        p1->kill();
        p1->waitForFinished();
        QElapsedTimer stopping;
        stopping.start();
        RankRun r0 = finish(*p0, 60000, clock);
        err0 += r0.err;
        qInfo("rank 0 stopped %lld ms after rank 1 was killed", stopping.elapsed());
        QVERIFY2(r0.exitCode != 0 && r0.exitCode != -1, err0.right(2000).constData());
        QVERIFY(stopping.elapsed() < 30000);
        QVERIFY2(err0.contains("rank 1 stopped answering"), err0.right(2000).constData());
    }

    // Refused before any data is read: the CSV named does not even exist.
    void neverArrives()
    {
        QStringList args = trainArgs(path(u"absent.csv"_s), 32, u"alone"_s, path(u"alone"_s));
        args << u"--distributed-timeout"_s << u"3"_s;
        QElapsedTimer clock;
        clock.start();
        auto p0 = startRank(args, m_dir.path(), 0, 2, freePort());
        const RankRun r0 = finish(*p0, 60000, clock);
        QCOMPARE(r0.exitCode, 1);
        QVERIFY(r0.milliseconds < 30000);
        QVERIFY2(r0.err.contains("rank 1 never arrived"), r0.err.constData());
        QVERIFY2(!r0.err.contains("absent.csv"), r0.err.constData());
    }

    void portInUse()
    {
        QTcpServer holder;
        QVERIFY(holder.listen(QHostAddress::Any, 0));
        QStringList args = trainArgs(path(u"absent.csv"_s), 32, u"busy"_s, path(u"busy"_s));
        args << u"--distributed-timeout"_s << u"5"_s;
        QElapsedTimer clock;
        clock.start();
        auto p0 = startRank(args, m_dir.path(), 0, 2, holder.serverPort());
        const RankRun r0 = finish(*p0, 60000, clock);
        QCOMPARE(r0.exitCode, 1);
        QVERIFY2(r0.err.contains("cannot open the rendezvous") && r0.err.contains("MASTER_PORT"), r0.err.constData());
        QVERIFY2(!r0.err.contains("absent.csv"), r0.err.constData());
    }

    void wrongLauncherEnvironment_data()
    {
        QTest::addColumn<int>("rank");
        QTest::addColumn<int>("world");
        QTest::addColumn<QString>("says");
        QTest::newRow("world size 0") << 0 << 0 << u"WORLD_SIZE=0"_s;
        QTest::newRow("rank out of range") << 2 << 2 << u"RANK=2 is out of range"_s;
    }

    void wrongLauncherEnvironment()
    {
        QFETCH(int, rank);
        QFETCH(int, world);
        QFETCH(QString, says);
        QElapsedTimer clock;
        clock.start();
        auto p = startRank(trainArgs(path(u"absent.csv"_s), 32, u"wrong"_s, path(u"wrong"_s)), m_dir.path(), rank,
                           world, freePort());
        const RankRun r = finish(*p, 60000, clock);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(says.toUtf8()), r.err.constData());
        QVERIFY2(!r.err.contains("absent.csv"), r.err.constData());
        // --distributed without any launcher says how to start one.
        const dw::test::CliRun plain = dw::test::runDeepwb(
            trainArgs(path(u"absent.csv"_s), 32, u"plain"_s, path(u"plain"_s)) << u"--distributed"_s, m_dir.path(),
            60000);
        QCOMPARE(plain.exitCode, 2);
        QVERIFY2(plain.err.contains("torchrun"), plain.err.constData());
    }

    // Both ranks killed after a checkpoint, then --resume on both: the same weights as a run
    // that was never interrupted.
    void resumeDistributed()
    {
        const QString whole = path(u"whole"_s), resumed = path(u"resumed"_s);
        const QList<RankRun> reference = runTwo(trainArgs(m_csv, 16, u"r"_s, whole, 6),
                                                trainArgs(m_csv, 16, u"r"_s, whole, 6), m_dir.path(), m_dir.path());
        QVERIFY2(reference[0].exitCode == 0, reference[0].err.constData());
        const QString expected = digestIn(reference[0].err, 0);
        QVERIFY(!expected.isEmpty());

        const quint16 port = freePort();
        QElapsedTimer clock;
        clock.start();
        const QStringList args = trainArgs(m_csv, 16, u"r"_s, resumed, 6);
        auto p0 = startRank(args, m_dir.path(), 0, 2, port);
        auto p1 = startRank(args, m_dir.path(), 1, 2, port);
        QByteArray err0;
        while (!err0.contains("epoch 2/") && clock.elapsed() < 120000) {
            p0->waitForReadyRead(100);
            err0 += p0->readAllStandardError();
        }
        p0->kill();
        p1->kill();
        p0->waitForFinished();
        p1->waitForFinished();
        QVERIFY2(err0.contains("epoch 2/"), err0.constData());
        QVERIFY(!QFile::exists(resumed + u"/r/weights.pt"_s) || !err0.contains("epoch 6/"));

        const QList<RankRun> again =
            runTwo(QStringList(args) << u"--resume"_s, QStringList(args) << u"--resume"_s, m_dir.path(), m_dir.path());
        QVERIFY2(again[0].exitCode == 0, again[0].err.constData());
        QVERIFY2(again[1].exitCode == 0, again[1].err.constData());
        QVERIFY2(again[0].err.contains("resuming after epoch"), again[0].err.constData());
        QCOMPARE(digestIn(again[0].err, 0), expected);
        QCOMPARE(digestIn(again[1].err, 1), expected);
    }
};

QTEST_GUILESS_MAIN(TestCliDistributed)
#include "test_cli_distributed.moc"
