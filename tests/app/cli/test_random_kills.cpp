// kill -9 at random points of the four commands that write: train, catalog import, catalog
// export and predict -o. Each command is first run whole to learn how long it takes, then
// killed after a random share of that time, several times. After each kill, and after the
// next run of the same command, nothing the user had is lost and nothing is listed or left
// half-written: an archive or a raster is either absent or whole (byte for byte the
// uninterrupted result), a module is either absent, resumable or valid, hidden leftovers are
// swept. DW_KILL_SEED=N repeats a run's kill points (the seed is printed).
#include "big_module_fixture.h"
#include "cli_run.h"
#include "shared_data.h"
#include "timeseries_fixture.h"

#include <QCryptographicHash>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace Qt::StringLiterals;

namespace {

using Run = dw::test::CliRun;
constexpr int kTrials = 4;
const QString kL7 = QStringLiteral(DW_SHARED_DATA_DIR "/L7_ETMs.tif");

QByteArray digestOf(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QCryptographicHash::hash(file.readAll(), QCryptographicHash::Sha256);
}

QStringList entriesOf(const QString &folder)
{
    return QDir(folder).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot, QDir::Name);
}

}  // namespace

class TestRandomKills : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QRandomGenerator m_random;
    QString path(const QString &relative) const { return m_dir.filePath(relative); }
    QString catalog() const { return path(u"catalog"_s); }

    Run deepwb(const QStringList &args, int timeoutMs = 180000)
    {
        return dw::test::runDeepwb(args, m_dir.path(), timeoutMs, {{u"DEEPWB_CATALOG"_s, catalog()}});
    }

    // Runs deepwb whole and returns how long it took (ms); -1 when it failed.
    qint64 timeWhole(const QStringList &args)
    {
        QElapsedTimer clock;
        clock.start();
        const Run run = deepwb(args);
        if (run.exitCode != 0) {
            qWarning().noquote() << "deepwb" << args.join(u' ') << "failed:" << run.err;
            return -1;
        }
        return clock.elapsed();
    }

    // Starts deepwb and kills it (SIGKILL) after a random share of wholeMs. Returns the delay,
    // or -1 when the command had already ended by then.
    int killSomewhere(const QStringList &args, qint64 wholeMs)
    {
        const int delay = m_random.bounded(int(qMax<qint64>(wholeMs, 2)));
        QProcess process;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"DEEPWB_PLUGIN_PATH"_s, QStringLiteral(DW_PLUGIN_DIR));
        env.insert(u"DEEPWB_THREADS"_s, u"2"_s);
        env.insert(u"DEEPWB_CATALOG"_s, catalog());
        env.insert(u"HOME"_s, m_dir.path());
        env.insert(u"XDG_DATA_HOME"_s, path(u"xdg"_s));
        process.setProcessEnvironment(env);
        process.start(QStringLiteral(DW_BIN_DIR "/deepwb"), args);
        if (!process.waitForStarted())
            return -1;
        const bool ended = process.waitForFinished(delay);
        if (!ended)
            ::kill(static_cast<pid_t>(process.processId()), SIGKILL);
        process.waitForFinished(30000);
        return ended ? -1 : delay;
    }

    QString listing(const QString &catalogDir)
    {
        const Run list = deepwb({u"catalog"_s, u"list"_s, u"--catalog"_s, catalogDir});
        return QString::fromUtf8(list.out + list.err);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        bool ok = false;
        const quint32 seed = qEnvironmentVariableIntValue("DW_KILL_SEED", &ok);
        const quint32 used = ok ? seed : QRandomGenerator::global()->generate();
        m_random.seed(used);
        qInfo("kill points from DW_KILL_SEED=%u", used);
        QVERIFY(dw::test::writeSineCsv(path(u"series.csv"_s), 400));
    }

    // An archive is written whole or not at all; nothing else appears beside it.
    void export_()
    {
        const QString source = path(u"export-source"_s);
        QVERIFY(dw::test::writeBigModule(source, 24 << 20, 5));
        const QString out = path(u"exports"_s);
        QVERIFY(QDir().mkpath(out));
        const QStringList whole{u"catalog"_s, u"export"_s, u"big"_s, out + u"/whole.dwm"_s, u"--catalog"_s, source};
        const qint64 ms = timeWhole(whole);
        QVERIFY(ms > 0);
        QStringList expected{u"whole.dwm"_s};
        for (int trial = 0; trial < kTrials; ++trial) {
            const QString name = u"killed-%1.dwm"_s.arg(trial);
            const int at =
                killSomewhere({u"catalog"_s, u"export"_s, u"big"_s, out + u'/' + name, u"--catalog"_s, source}, ms);
            if (QFile::exists(out + u'/' + name)) {
                // Whole: it imports, and its weights are the module's.
                const QString check = path(u"check-%1"_s.arg(trial));
                QVERIFY(QDir().mkpath(check));
                const Run imported = deepwb({u"catalog"_s, u"import"_s, out + u'/' + name, u"--catalog"_s, check});
                QVERIFY2(imported.exitCode == 0,
                         qPrintable(u"killed at %1 ms: %2"_s.arg(at).arg(QString::fromUtf8(imported.err))));
                QCOMPARE(digestOf(check + u"/big/weights.pt"_s), digestOf(source + u"/big/weights.pt"_s));
                expected << name;
            }
            qInfo("export killed at %d of %lld ms: archive %s", at, ms,
                  QFile::exists(out + u'/' + name) ? "whole" : "absent");
            expected.sort();
            QVERIFY2(entriesOf(out) == expected,
                     qPrintable(u"killed at %1 ms: %2"_s.arg(at).arg(entriesOf(out).join(u", "_s))));
        }
        QVERIFY(QFile::exists(source + u"/big/module.json"_s));  // the source is untouched
    }

    // A module is imported whole or not at all; the next import sweeps what a kill left.
    void import_()
    {
        const QString source = path(u"import-source"_s);
        QVERIFY(dw::test::writeBigModule(source, 24 << 20, 5));
        const QString archive = path(u"big.dwm"_s);
        QCOMPARE(deepwb({u"catalog"_s, u"export"_s, u"big"_s, archive, u"--catalog"_s, source}).exitCode, 0);
        const QString target = path(u"import-target"_s);
        QVERIFY(QDir().mkpath(target));
        const QStringList import{u"catalog"_s, u"import"_s, archive, u"--catalog"_s, target, u"--replace"_s};
        const qint64 ms = timeWhole(import);
        QVERIFY(ms > 0);
        QVERIFY(QDir(target + u"/big"_s).removeRecursively());
        for (int trial = 0; trial < kTrials; ++trial) {
            const int at = killSomewhere(import, ms);
            const QString listed = listing(target);
            QVERIFY2(!listed.contains(u"invalid"_s) && !listed.contains(u"being written"_s),
                     qPrintable(u"killed at %1 ms:\n%2"_s.arg(at).arg(listed)));
            const QStringList visible = QDir(target).entryList(QDir::AllEntries | QDir::NoDotAndDotDot);
            QVERIFY2(visible.isEmpty() || visible == QStringList{u"big"_s}, qPrintable(visible.join(u", "_s)));
            if (!visible.isEmpty())
                QCOMPARE(digestOf(target + u"/big/weights.pt"_s), digestOf(source + u"/big/weights.pt"_s));
            qInfo("import killed at %d of %lld ms: module %s, %lld hidden leftover(s)", at, ms,
                  visible.isEmpty() ? "absent" : "whole", qint64(entriesOf(target).size() - visible.size()));
            // The next import completes and leaves nothing hidden behind.
            const Run again = deepwb(import);
            QVERIFY2(again.exitCode == 0, again.err.constData());
            QCOMPARE(entriesOf(target), QStringList{u"big"_s});
            QCOMPARE(digestOf(target + u"/big/weights.pt"_s), digestOf(source + u"/big/weights.pt"_s));
            QVERIFY(QDir(target + u"/big"_s).removeRecursively());
        }
    }

    // predict -o: the input is never touched, the output is absent or whole, the next predict
    // sweeps the partial file a kill left.
    void predict_()
    {
        if (!QFile::exists(kL7))
            QSKIP("the Landsat scene of ../shared/data is not there");
        const Run trained = deepwb({u"train"_s,
                                    u"super-resolution"_s,
                                    u"--raster"_s,
                                    kL7,
                                    u"--roi"_s,
                                    u"0,0,120,120"_s,
                                    u"--scale"_s,
                                    u"2"_s,
                                    u"--epochs"_s,
                                    u"1"_s,
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
                                    u"sr"_s});
        QVERIFY2(trained.exitCode == 0, trained.err.constData());
        const QString input = path(u"scene.tif"_s);
        QVERIFY(QFile::copy(kL7, input));
        const QByteArray inputDigest = digestOf(input);
        const QString out = path(u"rasters"_s);
        QVERIFY(QDir().mkpath(out));
        const qint64 ms = timeWhole({u"predict"_s, u"sr"_s, input, u"-o"_s, out + u"/whole.tif"_s});
        QVERIFY(ms > 0);
        const QByteArray wholeDigest = digestOf(out + u"/whole.tif"_s);
        QStringList expected{u"whole.tif"_s};
        for (int trial = 0; trial < kTrials; ++trial) {
            const QString name = u"killed-%1.tif"_s.arg(trial);
            const int at = killSomewhere({u"predict"_s, u"sr"_s, input, u"-o"_s, out + u'/' + name}, ms);
            QCOMPARE(digestOf(input), inputDigest);
            if (QFile::exists(out + u'/' + name)) {
                QVERIFY2(digestOf(out + u'/' + name) == wholeDigest, qPrintable(u"killed at %1 ms"_s.arg(at)));
                expected << name;
            }
            qInfo("predict killed at %d of %lld ms: output %s", at, ms,
                  QFile::exists(out + u'/' + name) ? "whole" : "absent");
        }
        // The next predict into the folder sweeps the partial files of the killed ones.
        QCOMPARE(deepwb({u"predict"_s, u"sr"_s, input, u"-o"_s, out + u"/after.tif"_s}).exitCode, 0);
        expected << u"after.tif"_s;
        expected.sort();
        QVERIFY2(entriesOf(out) == expected, qPrintable(entriesOf(out).join(u", "_s)));
    }

    // A training is, after a kill anywhere, absent, resumable or whole; never listed as invalid
    // or as being written; --resume (or a new run when there is nothing to resume) finishes it.
    void train_()
    {
        const auto args = [&](const QString &name) {
            return QStringList{u"train"_s,    u"time-series"_s,
                               u"--csv"_s,    path(u"series.csv"_s),
                               u"--target"_s, u"value"_s,
                               u"--model"_s,  u"lstm"_s,
                               u"--epochs"_s, u"6"_s,
                               u"--device"_s, u"cpu"_s,
                               u"--name"_s,   name};
        };
        const qint64 ms = timeWhole(args(u"whole"_s));
        QVERIFY(ms > 0);
        for (int trial = 0; trial < kTrials; ++trial) {
            const QString name = u"killed-%1"_s.arg(trial);
            const int at = killSomewhere(args(name), ms);
            const QString listed = listing(catalog());
            const QString context = u"killed at %1 of %2 ms:\n%3"_s.arg(at).arg(ms).arg(listed);
            QVERIFY2(!listed.contains(u"invalid"_s) && !listed.contains(u"being written"_s), qPrintable(context));
            const bool resumable = listed.contains(u"interrupted training"_s);
            const bool present = QFileInfo::exists(catalog() + u'/' + name);
            qInfo("train killed at %d of %lld ms: module %s", at, ms,
                  !present    ? "absent"
                  : resumable ? "resumable"
                              : "whole");
            if (!present)
                continue;
            const Run finished = deepwb(args(name) + (resumable ? QStringList{u"--resume"_s} : QStringList{}));
            if (resumable || !QFile::exists(catalog() + u'/' + name + u"/module.json"_s))
                QVERIFY2(finished.exitCode == 0, qPrintable(context + QString::fromUtf8(finished.err)));
            QVERIFY2(QFile::exists(catalog() + u'/' + name + u"/module.json"_s), qPrintable(context));
            const Run valid = deepwb({u"catalog"_s, u"validate"_s, catalog() + u'/' + name});
            QVERIFY2(valid.exitCode == 0, qPrintable(context + QString::fromUtf8(valid.out + valid.err)));
        }
    }
};

QTEST_GUILESS_MAIN(TestRandomKills)
#include "test_random_kills.moc"
