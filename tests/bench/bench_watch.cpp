// Issue 6 acceptance figure for live streams: how fast a 2-layer, 64-unit LSTM module
// checks one new point (StreamForecastMonitor::pushLine: parse the CSV line, check it
// against its forecast, forecast the next point) on the CPU — points per second and
// per-point latency (mean, p50, p99, max) against the target of under 1 ms — for 1 and 2
// threads, with the plain-C++ recurrent kernel and with LibTorch's forward pass;
// the forward pass alone for reference; and end to end over UDP on
// loopback in this process (UdpLineSource → monitor). The module is trained briefly here on
// a generated sine (its accuracy does not matter for speed).
//
//   bench_watch [--points N] [--window W] [--hidden H] [--layers L] [--epochs N] [--model lstm|gru]
#include "core/io/socket_line_sources.h"
#include "plugins/timeseries/infer/stream_forecast_monitor.h"
#include "plugins/timeseries/train/forecast_trainer.h"

#include <QCoreApplication>
#include <QDate>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QTextStream>
#include <QThread>
#include <QUdpSocket>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <random>

using namespace dw;
using namespace dw::timeseries;

namespace {

const QDate kStart(2020, 1, 1);

QByteArray lineAt(int t, std::mt19937 &rng)
{
    std::normal_distribution<double> gauss(0.0, 0.1);
    const double value = 10.0 + std::sin(2.0 * M_PI * t / 24.0) + gauss(rng);
    return kStart.addDays(t).toString(Qt::ISODate).toUtf8() + ',' + QByteArray::number(value, 'f', 5);
}

struct Figures {
    double mean = 0, p50 = 0, p99 = 0, max = 0, perSecond = 0;
};

Figures summarise(std::vector<double> ms, double seconds)
{
    Figures f;
    if (ms.empty())
        return f;
    for (const double v : ms)
        f.mean += v;
    f.mean /= double(ms.size());
    std::sort(ms.begin(), ms.end());
    f.p50 = ms[ms.size() / 2];
    f.p99 = ms[std::min(ms.size() - 1, std::size_t(double(ms.size()) * 0.99))];
    f.max = ms.back();
    f.perSecond = double(ms.size()) / seconds;
    return f;
}

QString row(const QString &what, const Figures &f)
{
    return QStringLiteral("  %1 %2 points/s   mean %3 ms  p50 %4 ms  p99 %5 ms  max %6 ms   (target < 1 ms: %7)\n")
        .arg(what, -26)
        .arg(f.perSecond, 8, 'f', 0)
        .arg(f.mean, 0, 'f', 3)
        .arg(f.p50, 0, 'f', 3)
        .arg(f.p99, 0, 'f', 3)
        .arg(f.max, 0, 'f', 3)
        .arg(f.mean < 1.0 && f.p99 < 1.0 ? QStringLiteral("met")
             : f.mean < 1.0              ? QStringLiteral("mean met, p99 not")
                                         : QStringLiteral("NOT met"));
}

}  // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    int points = 5000, epochs = 1;
    ForecastTrainRequest r;
    r.targets = {QStringLiteral("value")};
    r.model = QStringLiteral("lstm");
    r.layers = 2;
    r.hidden = 64;
    r.window = 48;
    r.learningRate = 3e-3;
    const QStringList args = app.arguments().mid(1);
    for (int i = 0; i + 1 < args.size(); i += 2) {
        const QString a = args.at(i), next = args.at(i + 1);
        if (a == QLatin1String("--points"))
            points = next.toInt();
        else if (a == QLatin1String("--window"))
            r.window = next.toInt();
        else if (a == QLatin1String("--hidden"))
            r.hidden = next.toInt();
        else if (a == QLatin1String("--layers"))
            r.layers = next.toInt();
        else if (a == QLatin1String("--epochs"))
            epochs = next.toInt();
        else if (a == QLatin1String("--model"))
            r.model = next;
    }
    r.epochs = std::max(1, epochs);

    QTemporaryDir dir;
    constexpr int trainRows = 1500;
    std::mt19937 rng(11);
    {
        QFile csv(dir.filePath(QStringLiteral("train.csv")));
        if (!csv.open(QIODevice::WriteOnly))
            return 1;
        csv.write("date,value\n");
        for (int t = 0; t < trainRows; ++t)
            csv.write(lineAt(t, rng) + '\n');
    }
    r.csvPath = dir.filePath(QStringLiteral("train.csv"));
    r.moduleDir = dir.filePath(QStringLiteral("watch-lstm"));
    r.moduleId = QStringLiteral("watch-lstm");
    torch::set_num_threads(2);
    JobContext context(QStringLiteral("bench"), nullptr, {}, QStringLiteral("cpu"));
    std::fprintf(stderr, "training a %s %dx%d, window %d, for %d epoch(s) ...\n", qPrintable(r.model), r.layers,
                 r.hidden, r.window, r.epochs);
    if (Result<ForecastTrainOutcome> trained = trainForecaster(r, context); !trained) {
        std::fprintf(stderr, "training failed: %s\n", qPrintable(trained.error().text()));
        return 1;
    }
    Result<std::shared_ptr<LoadedForecaster>> forecaster = LoadedForecaster::load(r.moduleDir, QStringLiteral("cpu"));
    if (!forecaster) {
        std::fprintf(stderr, "%s\n", qPrintable(forecaster.error().text()));
        return 1;
    }
    QList<QByteArray> lines;
    for (int i = 0; i < points + 200; ++i)
        lines << lineAt(trainRows + i, rng);

    QTextStream out(stdout);
    QFile loadavg(QStringLiteral("/proc/loadavg"));
    const QByteArray load = loadavg.open(QIODevice::ReadOnly) ? loadavg.readAll().split(' ').value(0) : QByteArray("?");
    out << QStringLiteral("Live stream, %1 %2x%3 window %4, CPU (%5 points; per point: parse, check, forecast next)\n")
               .arg(r.model.toUpper())
               .arg(r.layers)
               .arg(r.hidden)
               .arg(r.window)
               .arg(points)
        << QStringLiteral("  (load average %1 on %2 cores: p99 and max include time the process was not running)\n")
               .arg(QString::fromLatin1(load))
               .arg(QThread::idealThreadCount());
    // pushLine with the plain-C++ recurrent kernel (what `deepwb watch` uses on the CPU),
    // then with LibTorch's forward pass, for 1 and 2 threads.
    struct Variant {
        bool kernel;
        int threads;
    };
    for (const Variant v : {Variant{true, 1}, Variant{false, 1}, Variant{false, 2}}) {
        torch::set_num_threads(v.threads);
        Result<std::unique_ptr<StreamForecastMonitor>> monitor = StreamForecastMonitor::open(*forecaster, v.kernel);
        if (!monitor) {
            std::fprintf(stderr, "%s\n", qPrintable(monitor.error().text()));
            return 1;
        }
        if (v.kernel && !(*monitor)->usesKernel())
            std::fprintf(stderr, "(no recurrent kernel for this network: LibTorch's pass)\n");
        for (int i = 0; i < 200; ++i)  // the window fills, the first passes warm up
            (void)(*monitor)->pushLine(lines.at(i));
        std::vector<double> ms;
        ms.reserve(std::size_t(points));
        const auto begin = std::chrono::steady_clock::now();
        for (int i = 200; i < points + 200; ++i) {
            const auto t0 = std::chrono::steady_clock::now();
            const Result<StreamUpdate> update = (*monitor)->pushLine(lines.at(i));
            ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
            if (!update) {
                std::fprintf(stderr, "%s\n", qPrintable(update.error().text()));
                return 1;
            }
        }
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
        out << row(QStringLiteral("pushLine, %1, %2 thr:")
                       .arg(v.kernel ? QStringLiteral("kernel") : QStringLiteral("LibTorch"))
                       .arg(v.threads),
                   summarise(ms, seconds));
    }
    // The forward pass alone on one window: the kernel, and LibTorch with one thread.
    torch::set_num_threads(1);
    const torch::Tensor window = torch::randn({1, r.window, 1});
    std::unique_ptr<RecurrentKernel> kernel = (*forecaster)->recurrentKernel();
    std::vector<float> output(std::size_t(r.horizon));
    for (const bool useKernel : {true, false}) {
        if (useKernel && !kernel)
            continue;
        std::vector<double> forward;
        const auto begin = std::chrono::steady_clock::now();
        for (int i = 0; i < std::min(points, 2000); ++i) {
            const auto t0 = std::chrono::steady_clock::now();
            if (useKernel)
                kernel->forward(window.data_ptr<float>(), output.data());
            else
                (void)(*forecaster)->forwardWindows(window);
            forward.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
        }
        out << row(useKernel ? QStringLiteral("forward only, kernel:") : QStringLiteral("forward only, LibTorch:"),
                   summarise(forward, std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count()));
    }

    // End to end over UDP on loopback, in this process: ten lines a datagram, at most 400
    // points in flight.
    torch::set_num_threads(1);
    Result<std::unique_ptr<StreamForecastMonitor>> monitor = StreamForecastMonitor::open(*forecaster);
    UdpLineSource source(QHostAddress::LocalHost, 0);
    if (!monitor || !source.start()) {
        std::fprintf(stderr, "cannot open the UDP source\n");
        return 1;
    }
    qint64 received = 0;
    QObject::connect(&source, &LineSource::lineReceived, [&](const QByteArray &line) {
        (void)(*monitor)->pushLine(line);
        ++received;
    });
    QUdpSocket sender;
    QElapsedTimer clock;
    clock.start();
    qsizetype sent = 0;
    while (received < lines.size() && clock.elapsed() < 600000) {
        if (sent < lines.size() && sent - received < 400) {
            QByteArray datagram;
            for (int k = 0; k < 10 && sent < lines.size(); ++k, ++sent)
                datagram += lines.at(sent) + '\n';
            sender.writeDatagram(datagram, QHostAddress::LocalHost, source.port());
        }
        QCoreApplication::processEvents();
    }
    const double seconds = double(clock.nsecsElapsed()) / 1e9;
    out << QStringLiteral("  UDP end to end, 1 thread:  %1 points/s (%2 of %3 lines in %4 s, %5 ms a point)\n")
               .arg(double(received) / seconds, 0, 'f', 0)
               .arg(received)
               .arg(lines.size())
               .arg(seconds, 0, 'f', 2)
               .arg(1000.0 * seconds / double(std::max<qint64>(1, received)), 0, 'f', 3);
    return 0;
}
