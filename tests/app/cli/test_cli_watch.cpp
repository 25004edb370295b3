// deepwb watch end to end (issue 6 acceptance): a small LSTM is trained on a generated daily
// sine with noise; `watch --listen udp://` then reads 10,000 further points sent over UDP on
// loopback with 80 injected spikes (seeded, 8-12 noise sigmas up or down at random places):
// at least 95 % of the spikes must be flagged and false alerts stay under 1 % of the points.
// Malformed lines in the stream are skipped and counted in the summary. Also: --follow FILE
// raises the alert for a spike appended to the file, tcp:// works, and the bad cases (a module
// of another task, a bad URL, a missing file, no source) end with clear messages.
#include "timeseries_fixture.h"

#include <QDate>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QUdpSocket>
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <random>
#include <set>

using namespace Qt::StringLiterals;

namespace {

constexpr int kTrainRows = 2000;
constexpr int kPeriod = 24;
constexpr double kNoise = 0.1;
const QDate kStart(2020, 1, 1);

// The training series continued: row t of the same sine, noise from its own generator.
struct Stream {
    std::mt19937 rng{2024};
    std::normal_distribution<double> gauss{0.0, 1.0};

    QByteArray line(int t, double extra = 0.0)
    {
        const double value = 10.0 + std::sin(2.0 * M_PI * t / kPeriod) + kNoise * gauss(rng) + extra;
        return kStart.addDays(t).toString(Qt::ISODate).toUtf8() + ',' + QByteArray::number(value, 'f', 5);
    }
};

// A running `deepwb watch`: its ready line, its stdout JSON lines as they come.
class Watch {
public:
    QProcess process;
    QByteArray err;
    QList<QJsonObject> lines;

    void start(const QStringList &args, const QString &home)
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"DEEPWB_PLUGIN_PATH"_s, QStringLiteral(DW_PLUGIN_DIR));
        env.insert(u"HOME"_s, home);
        env.insert(u"XDG_DATA_HOME"_s, home + u"/xdg"_s);
        process.setProcessEnvironment(env);
        process.start(QStringLiteral(DW_BIN_DIR "/deepwb"), QStringList{u"watch"_s} + args);
    }

    // Reads stdout and stderr as far as they have come.
    void read(int waitMs = 0)
    {
        if (waitMs > 0)
            process.waitForReadyRead(waitMs);
        err += process.readAllStandardError();
        while (process.canReadLine())
            lines << QJsonDocument::fromJson(process.readLine()).object();
    }

    // The ready line ("listening on ..." / "following ..."); empty when it never came.
    QString waitReady(const QString &marker, int timeoutMs = 120000)
    {
        QElapsedTimer clock;
        clock.start();
        while (clock.elapsed() < timeoutMs) {
            err += process.readAllStandardError();
            if (const qsizetype at = err.indexOf(marker.toUtf8()); at >= 0 && err.indexOf('\n', at) > 0)
                return QString::fromUtf8(err.mid(at, err.indexOf('\n', at) - at));
            if (process.state() == QProcess::NotRunning)
                return {};
            process.waitForReadyRead(100);
        }
        return {};
    }

    // The port of "listening on udp://127.0.0.1:PORT".
    static quint16 portOf(const QString &ready)
    {
        const QRegularExpressionMatch m = QRegularExpression(u"://127\\.0\\.0\\.1:(\\d+)"_s).match(ready);
        return m.hasMatch() ? quint16(m.captured(1).toUInt()) : 0;
    }

    int finish(int timeoutMs = 60000)
    {
        if (!process.waitForFinished(timeoutMs)) {
            process.kill();
            process.waitForFinished();
            return -1;
        }
        read();
        while (!process.atEnd() && process.canReadLine())
            read();
        return process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    }
};

qint64 summaryCount(const QByteArray &err, const QString &what)
{
    const QRegularExpressionMatch m =
        QRegularExpression(u"(\\d+) %1"_s.arg(QRegularExpression::escape(what))).match(QString::fromUtf8(err));
    return m.hasMatch() ? m.captured(1).toLongLong() : -1;
}

}  // namespace

class TestCliWatch : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QString m_module;

    QString path(const QString &relative) const { return m_dir.filePath(relative); }

    struct Run {
        int exitCode = -1;
        QByteArray out, err;
    };

    Run deepwb(const QStringList &args, int timeoutMs = 180000)
    {
        Watch run;
        run.process.setProgram(QStringLiteral(DW_BIN_DIR "/deepwb"));
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"DEEPWB_PLUGIN_PATH"_s, QStringLiteral(DW_PLUGIN_DIR));
        env.insert(u"DEEPWB_THREADS"_s, u"2"_s);
        env.insert(u"HOME"_s, m_dir.path());
        env.insert(u"XDG_DATA_HOME"_s, path(u"xdg"_s));
        run.process.setProcessEnvironment(env);
        run.process.setArguments(args);
        run.process.start();
        Run result;
        if (!run.process.waitForFinished(timeoutMs)) {
            run.process.kill();
            run.process.waitForFinished();
            return result;
        }
        result.exitCode = run.process.exitStatus() == QProcess::NormalExit ? run.process.exitCode() : -1;
        result.out = run.process.readAllStandardOutput();
        result.err = run.process.readAllStandardError();
        return result;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        const QString csv = path(u"train.csv"_s);
        QVERIFY(dw::test::writeSineCsv(csv, kTrainRows, kNoise, kPeriod));
        const Run train = deepwb({u"train"_s,     u"time-series"_s,  u"--csv"_s,    csv,
                                  u"--target"_s,  u"value"_s,        u"--model"_s,  u"lstm"_s,
                                  u"--window"_s,  u"12"_s,           u"--layers"_s, u"1"_s,
                                  u"--hidden"_s,  u"16"_s,           u"--epochs"_s, u"15"_s,
                                  u"--lr"_s,      u"0.02"_s,         u"--seed"_s,   u"5"_s,
                                  u"--device"_s,  u"cpu"_s,          u"--name"_s,   u"sine-watch"_s,
                                  u"--catalog"_s, path(u"catalog"_s)});
        QVERIFY2(train.exitCode == 0, train.err.constData());
        m_module = path(u"catalog/sine-watch"_s);
        const QJsonObject manifest = QJsonDocument::fromJson([&] {
                                         QFile file(m_module + u"/module.json"_s);
                                         return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
                                     }())
                                         .object();
        QVERIFY(manifest.value(u"anomaly"_s).toObject().contains(u"value"_s));
        QCOMPARE(manifest.value(u"training_data"_s)
                     .toObject()
                     .value(u"layout"_s)
                     .toObject()
                     .value(u"file_columns"_s)
                     .toArray()
                     .size(),
                 2);
    }

    void udpTenThousandPointsWithSpikes()
    {
        constexpr int points = 10000;
        constexpr int spikeCount = 80;
        std::mt19937 rng(99);
        std::set<int> spikes;
        std::uniform_int_distribution<int> where(100, points - 1);
        while (int(spikes.size()) < spikeCount)
            spikes.insert(where(rng));
        std::uniform_real_distribution<double> size(8.0, 12.0);
        std::bernoulli_distribution up(0.5);

        Stream stream;
        QList<QByteArray> lines;
        std::vector<bool> isPoint;  // false for the header and the malformed lines
        QStringList spikeDates;
        for (int i = 0; i < points; ++i) {
            const int t = kTrainRows + i;
            double extra = 0;
            if (spikes.count(i)) {
                extra = (up(rng) ? 1 : -1) * size(rng) * kNoise;
                spikeDates << kStart.addDays(t).toString(Qt::ISODate);
            }
            lines << stream.line(t, extra);
            isPoint.push_back(true);
            if (i == 3000) {  // a sender that restarts sends its header again
                lines << "date,value";
                isPoint.push_back(false);
            }
            if (i % 2000 == 1000 &&
                i / 2000 < 4) {  // malformed: text for a number, a bad date, a missing field, garbage
                lines << QList<QByteArray>{"2031-01-01,n/a?", "yesterday,10.5", "2031-01-01", "\x01\x02 garbage"}.at(
                    i / 2000);
                isPoint.push_back(false);
            }
        }

        Watch watch;
        watch.start({m_module, u"--listen"_s, u"udp://127.0.0.1:0"_s, u"--all"_s, u"--idle-timeout"_s, u"60"_s},
                    m_dir.path());
        const QString ready = watch.waitReady(u"listening on "_s);
        QVERIFY2(!ready.isEmpty(), watch.err.constData());
        const quint16 port = Watch::portOf(ready);
        QVERIFY2(port != 0, qPrintable(ready));

        // Ten lines a datagram; never more than 400 points ahead of what watch has printed,
        // so that the socket's buffer cannot overflow however slow this machine is.
        QUdpSocket sender;
        qsizetype sent = 0, sentPoints = 0;
        QElapsedTimer clock;
        clock.start();
        while (sent < lines.size() && clock.elapsed() < 300000) {
            watch.read();
            if (sentPoints - watch.lines.size() > 400) {
                watch.read(50);
                continue;
            }
            QByteArray datagram;
            for (int k = 0; k < 10 && sent < lines.size(); ++k, ++sent) {
                datagram += lines.at(sent) + '\n';
                sentPoints += isPoint[std::size_t(sent)] ? 1 : 0;
            }
            QCOMPARE(sender.writeDatagram(datagram, QHostAddress::LocalHost, port), datagram.size());
        }
        QCOMPARE(sent, lines.size());
        while (watch.lines.size() < points && clock.elapsed() < 300000 && watch.process.state() == QProcess::Running)
            watch.read(200);
        watch.process.terminate();  // SIGTERM: a clean stop with the summary
        QCOMPARE(watch.finish(), 0);
        QCOMPARE(watch.lines.size(), points);

        std::set<QString> alerted;
        for (const QJsonObject &update : std::as_const(watch.lines)) {
            QCOMPARE(update.value(u"module"_s).toString(), u"sine-watch"_s);
            for (const QJsonValue &alert : update.value(u"alerts"_s).toArray())
                alerted.insert(alert.toObject().value(u"time"_s).toString());
        }
        int caught = 0;
        for (const QString &date : std::as_const(spikeDates))
            caught += alerted.count(date) ? 1 : 0;
        const int falseAlerts = int(alerted.size()) - caught;
        qInfo("UDP: %d points, %d of %d spikes flagged (%.1f %%), %d false alert(s) (%.2f %% of points); %s", points,
              caught, spikeCount, 100.0 * caught / spikeCount, falseAlerts, 100.0 * falseAlerts / points,
              watch.err.mid(watch.err.lastIndexOf("stopped")).trimmed().constData());
        QVERIFY2(caught >= int(std::ceil(0.95 * spikeCount)),
                 qPrintable(u"%1 of %2 spikes flagged"_s.arg(caught).arg(spikeCount)));
        QVERIFY2(falseAlerts < points / 100, qPrintable(u"%1 false alerts"_s.arg(falseAlerts)));

        QCOMPARE(summaryCount(watch.err, u"point(s)"_s), points);
        QCOMPARE(summaryCount(watch.err, u"skipped line(s)"_s), 4);
        QCOMPARE(summaryCount(watch.err, u"header line(s)"_s), 1);
        QVERIFY2(watch.err.contains("skipped line"), watch.err.constData());  // the first ones are named
        QVERIFY2(watch.err.contains("mean") && watch.err.contains("p99"), watch.err.constData());
    }

    void followAppendedRows()
    {
        const QString file = path(u"live.csv"_s);
        Stream stream;
        {
            QFile out(file);
            QVERIFY(out.open(QIODevice::WriteOnly));
            out.write("date,value\n");
            for (int t = kTrainRows; t < kTrainRows + 100; ++t)  // already there: not read
                out.write(stream.line(t) + '\n');
        }
        Watch watch;
        watch.start({m_module, u"--follow"_s, file, u"--max-points"_s, u"60"_s, u"--idle-timeout"_s, u"120"_s},
                    m_dir.path());
        QVERIFY2(!watch.waitReady(u"following "_s).isEmpty(), watch.err.constData());
        QFile out(file);
        QVERIFY(out.open(QIODevice::Append));
        const int spikeAt = kTrainRows + 100 + 40;
        for (int t = kTrainRows + 100; t < kTrainRows + 160; ++t) {
            out.write(stream.line(t, t == spikeAt ? 1.2 : 0.0) + '\n');
            if (t % 10 == 0)
                out.flush();
        }
        out.close();
        QCOMPARE(watch.finish(120000), 0);
        QStringList times;
        for (const QJsonObject &alert : std::as_const(watch.lines))
            times << alert.value(u"time"_s).toString();
        QVERIFY2(times.contains(kStart.addDays(spikeAt).toString(Qt::ISODate)),
                 qPrintable(times.join(u' ') + u" / "_s + watch.err));
        QVERIFY2(times.size() <= 3, qPrintable(times.join(u' ')));
        const QJsonObject first = watch.lines.value(0);
        for (const QString &key : {u"time"_s, u"observed"_s, u"expected"_s, u"score"_s, u"severity"_s, u"module"_s})
            QVERIFY2(first.contains(key), qPrintable(key));
        QCOMPARE(summaryCount(watch.err, u"point(s)"_s), 60);
    }

    void tcpLines()
    {
        Watch watch;
        watch.start({m_module, u"--listen"_s, u"tcp://127.0.0.1:0"_s, u"--max-points"_s, u"30"_s, u"--idle-timeout"_s,
                     u"120"_s},
                    m_dir.path());
        const QString ready = watch.waitReady(u"listening on "_s);
        QVERIFY2(!ready.isEmpty(), watch.err.constData());
        QTcpSocket client;
        client.connectToHost(QHostAddress::LocalHost, Watch::portOf(ready));
        QVERIFY(client.waitForConnected(30000));
        Stream stream;
        const int spikeAt = kTrainRows + 25;
        for (int t = kTrainRows; t < kTrainRows + 30; ++t)
            client.write(stream.line(t, t == spikeAt ? -1.2 : 0.0) + "\r\n");
        QVERIFY(client.waitForBytesWritten(30000));
        QCOMPARE(watch.finish(120000), 0);
        bool found = false;
        for (const QJsonObject &alert : std::as_const(watch.lines))
            found = found || alert.value(u"time"_s).toString() == kStart.addDays(spikeAt).toString(Qt::ISODate);
        QVERIFY2(found, watch.err.constData());
    }

    void badInput()
    {
        // A module of another task.
        const QString other = path(u"classifier"_s);
        QVERIFY(QDir().mkpath(other));
        for (const QString &name : QDir(m_module).entryList(QDir::Files))
            QVERIFY(QFile::copy(m_module + u'/' + name, other + u'/' + name));
        QFile manifest(other + u"/module.json"_s);
        QVERIFY(manifest.open(QIODevice::ReadOnly));
        QByteArray json = manifest.readAll();
        manifest.close();
        json.replace("\"task\": \"time-series\"", "\"task\": \"image-classification\"");
        QVERIFY(manifest.open(QIODevice::WriteOnly | QIODevice::Truncate));
        manifest.write(json);
        manifest.close();
        Run wrongTask = deepwb({u"watch"_s, other, u"--listen"_s, u"udp://127.0.0.1:0"_s});
        QCOMPARE(wrongTask.exitCode, 1);
        QVERIFY2(wrongTask.err.contains("image-classification") && wrongTask.err.contains("cannot watch streams"),
                 wrongTask.err.constData());

        Run scheme = deepwb({u"watch"_s, m_module, u"--listen"_s, u"http://127.0.0.1:9000"_s});
        QCOMPARE(scheme.exitCode, 2);
        QVERIFY2(scheme.err.contains("scheme \"http\" is unknown"), scheme.err.constData());
        Run port = deepwb({u"watch"_s, m_module, u"--listen"_s, u"udp://127.0.0.1:99999"_s});
        QCOMPARE(port.exitCode, 2);
        QVERIFY2(port.err.contains("not a port number"), port.err.constData());
        Run missing = deepwb({u"watch"_s, m_module, u"--follow"_s, path(u"nothing.csv"_s)});
        QCOMPARE(missing.exitCode, 1);
        QVERIFY2(missing.err.contains("does not exist"), missing.err.constData());
        Run neither = deepwb({u"watch"_s, m_module});
        QCOMPARE(neither.exitCode, 2);
        QVERIFY2(neither.err.contains("--follow") && neither.err.contains("--listen"), neither.err.constData());
        Run noModule = deepwb({u"watch"_s, path(u"no-such-module"_s), u"--listen"_s, u"udp://127.0.0.1:0"_s});
        QCOMPARE(noModule.exitCode, 1);
        QVERIFY2(noModule.err.contains("no-such-module"), noModule.err.constData());
    }
};

QTEST_GUILESS_MAIN(TestCliWatch)
#include "test_cli_watch.moc"
