// The time-series task's stream monitor, in process: the plain-C++ recurrent kernel gives
// LibTorch's numbers (LSTM and GRU, several layers, extra inputs, multi-step heads); a
// monitor over a small trained LSTM warms up for its window, skips header lines, rejects
// malformed lines without changing its state, checks each point against the forecast made
// before it, keeps a spike out of its window (no train of alerts after it), fills a missing
// value with its forecast, follows a lasting level shift after a few alerts, and agrees with
// its LibTorch twin. Modules without thresholds are refused; modules without a stored line
// layout still open.
#include "plugins/timeseries/infer/stream_forecast_monitor.h"
#include "plugins/timeseries/train/forecast_trainer.h"
#include "timeseries_fixture.h"

#include <QDate>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>

using namespace dw;
using namespace dw::timeseries;
using namespace Qt::StringLiterals;

namespace {

const QDate kStart(2020, 1, 1);
constexpr int kRows = 600;

QByteArray lineAt(int t, double extra = 0.0)
{
    const double value = 10.0 + std::sin(2.0 * M_PI * t / 24.0) + extra;
    return kStart.addDays(t).toString(Qt::ISODate).toUtf8() + ',' + QByteArray::number(value, 'f', 5);
}

bool rewriteManifest(const QString &dir, const std::function<void(QJsonObject &)> &edit)
{
    QFile file(dir + u"/module.json"_s);
    if (!file.open(QIODevice::ReadOnly))
        return false;
    QJsonObject json = QJsonDocument::fromJson(file.readAll()).object();
    file.close();
    edit(json);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return false;
    return file.write(QJsonDocument(json).toJson()) > 0;
}

bool copyFolder(const QString &from, const QString &to)
{
    if (!QDir().mkpath(to))
        return false;
    for (const QString &name : QDir(from).entryList(QDir::Files))
        if (!QFile::copy(from + u'/' + name, to + u'/' + name))
            return false;
    return true;
}

}  // namespace

class TestStreamMonitor : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QString m_module;

private Q_SLOTS:
    void initTestCase()
    {
        torch::set_num_threads(1);
        const QString csv = m_dir.filePath(u"train.csv"_s);
        QVERIFY(dw::test::writeSineCsv(csv, kRows, 0.02, 24));
        ForecastTrainRequest r;
        r.csvPath = csv;
        r.targets = {u"value"_s};
        r.moduleDir = m_dir.filePath(u"sine"_s);
        r.moduleId = u"sine"_s;
        r.window = 8;
        r.layers = 1;
        r.hidden = 12;
        r.epochs = 12;
        r.learningRate = 0.02;
        r.seed = 3;
        JobContext context(u"test"_s, nullptr, {}, u"cpu"_s);
        Result<ForecastTrainOutcome> trained = trainForecaster(r, context);
        QVERIFY2(trained, qPrintable(trained ? QString() : trained.error().text()));
        m_module = r.moduleDir;
    }

    void kernelMatchesLibTorch_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<int>("layers");
        QTest::addColumn<int>("features");
        QTest::addColumn<int>("targets");
        QTest::addColumn<int>("horizon");
        QTest::newRow("lstm 2x16") << u"lstm"_s << 2 << 1 << 1 << 1;
        QTest::newRow("lstm 3 layers, inputs, horizon 3") << u"lstm"_s << 3 << 3 << 2 << 3;
        QTest::newRow("gru 2x16") << u"gru"_s << 2 << 1 << 1 << 1;
        QTest::newRow("gru, inputs, horizon 2") << u"gru"_s << 1 << 2 << 1 << 2;
    }

    void kernelMatchesLibTorch()
    {
        QFETCH(QString, kind);
        QFETCH(int, layers);
        QFETCH(int, features);
        QFETCH(int, targets);
        QFETCH(int, horizon);
        torch::manual_seed(7);
        ForecasterSpec spec;
        spec.kind = kind.toStdString();
        spec.layers = layers;
        spec.hidden = 16;
        spec.window = 10;
        spec.features = features;
        spec.targets = targets;
        spec.horizon = horizon;
        Result<ForecasterPtr> model = createForecaster(spec);
        QVERIFY(model);
        (*model)->eval();
        std::unique_ptr<RecurrentKernel> kernel = RecurrentKernel::from(**model);
        QVERIFY(kernel);
        for (int trial = 0; trial < 5; ++trial) {
            const torch::Tensor window = torch::randn({1, spec.window, features}) * 2.0;
            torch::NoGradGuard noGrad;
            const torch::Tensor expected = (*model)->forward(window).contiguous();
            std::vector<float> got(std::size_t(horizon * targets));
            kernel->forward(window.data_ptr<float>(), got.data());
            for (int o = 0; o < horizon * targets; ++o)
                QVERIFY2(
                    std::abs(got[std::size_t(o)] - expected.data_ptr<float>()[o]) < 1e-4,
                    qPrintable(
                        u"output %1: %2 vs %3"_s.arg(o).arg(got[std::size_t(o)]).arg(expected.data_ptr<float>()[o])));
        }
        spec.kind = "mlp";
        Result<ForecasterPtr> mlp = createForecaster(spec);
        QVERIFY(mlp);
        QVERIFY(!RecurrentKernel::from(**mlp));  // other networks keep LibTorch's pass
    }

    void monitorsAStream()
    {
        Result<std::shared_ptr<LoadedForecaster>> forecaster = LoadedForecaster::load(m_module, u"cpu"_s);
        QVERIFY(forecaster);
        Result<std::unique_ptr<StreamForecastMonitor>> opened = StreamForecastMonitor::open(*forecaster);
        Result<std::unique_ptr<StreamForecastMonitor>> twinOpened = StreamForecastMonitor::open(*forecaster, false);
        QVERIFY(opened && twinOpened);
        StreamForecastMonitor &monitor = **opened, &twin = **twinOpened;
        QVERIFY(monitor.usesKernel());
        QVERIFY(!twin.usesKernel());
        QCOMPARE(monitor.targets(), QStringList{u"value"_s});
        QCOMPARE(monitor.expectedColumns(), (QStringList{u"date"_s, u"value"_s}));
        QCOMPARE(monitor.warmUpPoints(), 8);

        Result<StreamUpdate> header = monitor.pushLine("date,value\n");
        QVERIFY(header);
        QVERIFY(header->observed.empty());
        for (const QByteArray &bad : {QByteArray("2021-05-01,abc"), QByteArray("2021-05-01"), QByteArray("soon,1.0"),
                                      QByteArray("2021-05-01,1,2")}) {
            Result<StreamUpdate> rejected = monitor.pushLine(bad);
            QVERIFY2(!rejected, bad.constData());
            QVERIFY(!rejected.error().message.isEmpty());
        }
        QCOMPARE(monitor.points(), 0);

        int t = kRows;
        auto both = [&](const QByteArray &line) {
            Result<StreamUpdate> a = monitor.pushLine(line);
            Result<StreamUpdate> b = twin.pushLine(line);
            if (!a || !b)
                qFatal("a line was refused: %s", line.constData());
            const double ea = a->expected.front(), eb = b->expected.front();
            if (std::isfinite(ea) != std::isfinite(eb) || (std::isfinite(ea) && std::abs(ea - eb) > 1e-4))
                qFatal("kernel and LibTorch disagree: %f vs %f", ea, eb);
            return *a;
        };
        for (int i = 0; i < 8; ++i, ++t) {
            const StreamUpdate u = both(lineAt(t) + "\r\n");
            QVERIFY(u.warmingUp);
            QVERIFY(std::isnan(u.expected.front()));
            QCOMPARE(std::isfinite(u.next.front()), i == 7);
        }
        StreamUpdate first = both(lineAt(t++));
        QVERIFY(!first.warmingUp);
        QVERIFY(std::isfinite(first.expected.front()));
        QVERIFY(first.lower.front() < first.expected.front() && first.expected.front() < first.upper.front());
        QCOMPARE(first.timeText, kStart.addDays(t - 1).toString(Qt::ISODate));
        QVERIFY2(std::abs(first.expected.front() - first.observed.front()) < 0.3,
                 qPrintable(QString::number(first.expected.front())));
        int quiet = 0;
        for (int i = 0; i < 40; ++i, ++t)
            quiet += both(lineAt(t)).alerts.isEmpty() ? 1 : 0;
        QCOMPARE(quiet, 40);  // the clean sine raises nothing

        // A spike is flagged, and the points after it are not.
        const StreamUpdate spike = both(lineAt(t++, 3.0));
        QCOMPARE(spike.alerts.size(), 1);
        const AnomalyAlert &alert = spike.alerts.front();
        QCOMPARE(alert.target, u"value"_s);
        QCOMPARE(alert.timeText, spike.timeText);
        QVERIFY(alert.score >= 1.0);
        QCOMPARE(alert.observed, spike.observed.front());
        int after = 0;
        for (int i = 0; i < 20; ++i, ++t)
            after += both(lineAt(t)).alerts.size();
        QCOMPARE(after, 0);

        // A missing value: no alert, its forecast fills the window.
        const StreamUpdate gap = both(kStart.addDays(t++).toString(Qt::ISODate).toUtf8() + ",NA");
        QVERIFY(std::isnan(gap.observed.front()));
        QVERIFY(gap.alerts.isEmpty());
        QVERIFY(std::isfinite(gap.next.front()));
        QVERIFY(both(lineAt(t++)).alerts.isEmpty());

        // A lasting shift: alerts while it is new, then the window takes it in and the
        // forecasts follow (were it kept out for good, every point would alert).
        QList<qsizetype> shifted;
        for (int i = 0; i < 40; ++i, ++t)
            shifted << both(lineAt(t, 1.5)).alerts.size();
        QVERIFY2(shifted.mid(0, StreamForecastMonitor::kAcceptAfter).count(1) == StreamForecastMonitor::kAcceptAfter,
                 qPrintable(QDebug::toString(shifted)));
        QVERIFY2(shifted.mid(StreamForecastMonitor::kAcceptAfter, 15).contains(0),
                 qPrintable(QDebug::toString(shifted)));
        QCOMPARE(monitor.points(), qint64(t - kRows));
    }

    void modulesWithoutThresholdsOrLayout()
    {
        const QString bare = m_dir.filePath(u"no-thresholds"_s);
        QVERIFY(copyFolder(m_module, bare));
        QVERIFY(rewriteManifest(bare, [](QJsonObject &json) { json.remove(u"anomaly"_s); }));
        Result<std::shared_ptr<LoadedForecaster>> noThresholds = LoadedForecaster::load(bare, u"cpu"_s);
        QVERIFY(noThresholds);
        Result<std::unique_ptr<StreamForecastMonitor>> refused = StreamForecastMonitor::open(*noThresholds);
        QVERIFY(!refused);
        QVERIFY2(refused.error().message.contains(u"anomaly thresholds"_s), qPrintable(refused.error().message));

        const QString old = m_dir.filePath(u"no-layout"_s);
        QVERIFY(copyFolder(m_module, old));
        QVERIFY(rewriteManifest(old, [](QJsonObject &json) {
            QJsonObject data = json.value(u"training_data"_s).toObject();
            data.remove(u"layout"_s);
            json.insert(u"training_data"_s, data);
        }));
        Result<std::shared_ptr<LoadedForecaster>> oldModule = LoadedForecaster::load(old, u"cpu"_s);
        QVERIFY(oldModule);
        Result<std::unique_ptr<StreamForecastMonitor>> guessed = StreamForecastMonitor::open(*oldModule);
        QVERIFY2(guessed, qPrintable(guessed ? QString() : guessed.error().text()));
        QCOMPARE((*guessed)->expectedColumns(), (QStringList{u"date"_s, u"value"_s}));
        Result<StreamUpdate> read = (*guessed)->pushLine(lineAt(kRows));
        QVERIFY(read);
        QCOMPARE(read->observed.size(), std::size_t(1));
    }
};

QTEST_GUILESS_MAIN(TestStreamMonitor)
#include "test_stream_monitor.moc"
