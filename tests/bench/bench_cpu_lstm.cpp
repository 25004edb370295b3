// LSTM forecasting speed on the CPU, the workbench against PyTorch, in one run: the built-in
// demo module sunspots-demo (an LSTM forecaster: its window, hidden size, layers and horizon
// from its module.json) forecasting every window of ../shared/data/sunspot_month.csv through
// our inference path (LoadedForecaster::forecast: scaling, windows, the network in batches of
// 2048, the levels back) with what --precision auto means for a forecast (resolved as the
// time-series plugin does) and in fp32, against tests/bench/lstm_reference.py, a torch.nn.LSTM of
// the same size with the same linear head over the same windows in the same batches, fp32 and
// under bf16 autocast. The figure: windows forecast per second. Runs take turns (ours auto, ours
// fp32, torch fp32, torch bf16) after one warm-up round; the median of --runs counts.
//
//   bench_cpu_lstm [--runs N] [--json]
#include "bench_figures.h"
#include "python_peer.h"

#include "core/ml/device_service.h"
#include "core/ml/torch_compat.h"
#include "core/task/precision_argument.h"
#include "core/util/heap_tuning.h"
#include "plugins/timeseries/data/series_loader.h"
#include "plugins/timeseries/infer/loaded_forecaster.h"
#include "plugins/timeseries/timeseries_arguments.h"

#include <QCoreApplication>

using namespace dw;
using namespace dw::timeseries;
using namespace Qt::StringLiterals;

int main(int argc, char **argv)
{
    keepFreedMemoryForReuse();  // as deepwb and deep-workbench do at their start
    QCoreApplication app(argc, argv);
    QTextStream out(stdout);
    const QStringList args = app.arguments();
    const int runs = bench::optionCount(args, u"--runs"_s, 20);
    const QString moduleDir = QStringLiteral(DW_SOURCE_DIR "/resources/demo-modules/sunspots-demo");
    const QString csv = QStringLiteral(DW_SHARED_DATA_DIR "/sunspot_month.csv");
    DeviceService::configureThreads();
    const int threads = DeviceService::threadCount();
    Result<std::shared_ptr<LoadedForecaster>> model = LoadedForecaster::load(moduleDir, u"cpu"_s);
    if (!model) {
        out << "bench_cpu_lstm: " << model.error().text() << Qt::endl;
        return 2;
    }
    const ForecastModule &module = (*model)->module();
    Result<LoadedSeries> series = SeriesLoader::load(csv, module.targets, module.inputs);
    if (!series) {
        out << "bench_cpu_lstm: " << series.error().text() << Qt::endl;
        return 2;
    }
    const ForecasterSpec &spec = module.network;
    // Every window the forecast runs: one per row from window + differencing on, and the last.
    const qsizetype windows = series->set.length() - spec.window - module.space.differencing() + 1;

    bench::PythonPeer peer;
    peer.start(u"lstm_reference.py"_s,
               {u"--csv"_s, csv, u"--column"_s, module.targets.value(0), u"--window"_s, QString::number(spec.window),
                u"--hidden"_s, QString::number(spec.hidden), u"--layers"_s, QString::number(spec.layers),
                u"--horizon"_s, QString::number(spec.horizon), u"--batch"_s, u"2048"_s, u"--threads"_s,
                QString::number(threads)});
    if (peer.answers() && peer.ready().value(u"windows"_s).toInteger() != windows) {
        out << "bench_cpu_lstm: the peer forecasts " << peer.ready().value(u"windows"_s).toInteger()
            << " windows, ours " << windows << Qt::endl;
        return 2;
    }
    // Ours in what --precision auto means for a forecast here (as the plugin resolves it) and in fp32.
    JobContext::Callbacks callbacks;
    QString precisionLine;
    callbacks.log = [&precisionLine](const QString &line) { precisionLine = line; };
    const JobContext context(u"bench"_s, nullptr, callbacks, u"cpu"_s);
    const Result<ml::Precision> automatic = precisionOfCall({}, (*model)->device(), (*model)->runs(ml::Precision::Bf16),
                                                            context, TimeSeriesArguments::kForecastAuto);
    if (!automatic) {
        out << "bench_cpu_lstm: " << automatic.error().text() << Qt::endl;
        return 2;
    }
    std::vector<double> oursAuto, oursFp32, torchFp32, torchBf16;  // seconds
    QElapsedTimer timer;
    for (int round = 0; round <= runs; ++round) {  // round 0: warm-up
        for (const auto &[precision, figures] :
             {std::pair{*automatic, &oursAuto}, std::pair{ml::Precision::Fp32, &oursFp32}}) {
            timer.start();
            Result<SeriesForecast> forecast = (*model)->forecast(series->set, nullptr, precision);
            const double seconds = double(timer.nsecsElapsed()) / 1e9;
            if (!forecast) {
                out << "bench_cpu_lstm: " << forecast.error().text() << Qt::endl;
                return 2;
            }
            if (round > 0)
                figures->push_back(seconds);
        }
        peer.turn(u"fp32"_s, torchFp32, round > 0);
        peer.turn(u"bf16"_s, torchBf16, round > 0);
    }
    const bool python = peer.answers();
    const auto rate = [&](const std::vector<double> &seconds) { return double(windows) / bench::median(seconds); };
    const double a = rate(oursAuto), f = rate(oursFp32), t32 = rate(torchFp32), t16 = rate(torchBf16);
    out << u"sunspots-demo (%1 %2 x %3, window %4, horizon %5) over %6 windows of sunspot_month.csv in batches of "
           "2048; %7 threads, LibTorch %8; median of %9 runs, taking turns\n"_s.arg(QString::fromStdString(spec.kind))
               .arg(spec.layers)
               .arg(spec.hidden)
               .arg(spec.window)
               .arg(spec.horizon)
               .arg(windows)
               .arg(threads)
               .arg(compat::torchVersion())
               .arg(runs);
    out << u"windows/s: ours auto %1, ours fp32 %2; torch fp32 %3, torch bf16 autocast %4\n"_s.arg(a, 0, 'f', 0)
               .arg(f, 0, 'f', 0)
               .arg(python ? QString::number(t32, 'f', 0) : u"-"_s)
               .arg(python ? QString::number(t16, 'f', 0) : u"-"_s);
    out << "ours auto: " << precisionLine << '\n';
    out << "peer: " << (python ? peer.version() + u" (tests/bench/lstm_reference.py)"_s : peer.why()) << Qt::endl;
    if (args.contains(u"--json"_s)) {
        QJsonObject result{{u"windows"_s, double(windows)},
                           {u"threads"_s, threads},
                           {u"libtorch"_s, compat::torchVersion()},
                           {u"auto"_s, ml::precisionName(*automatic)},
                           {u"ours_auto"_s, a},
                           {u"ours_fp32"_s, f}};
        peer.report(result, {{u"torch_fp32"_s, t32}, {u"torch_bf16"_s, t16}});
        bench::printResult(out, result);
    }
    return 0;
}
