#include "plugins/timeseries/timeseries_plugin.h"

#include "core/task/export_request.h"
#include "core/task/precision_argument.h"
#include "plugins/timeseries/export/onnx_forecaster_export.h"

#include "core/task/training_preamble.h"
#include "plugins/timeseries/data/forecast_module.h"
#include "plugins/timeseries/data/forecast_scoring.h"
#include "plugins/timeseries/data/series_loader.h"
#include "plugins/timeseries/infer/loaded_forecaster.h"
#include "plugins/timeseries/infer/stream_forecast_monitor.h"
#include "plugins/timeseries/timeseries_arguments.h"
#include "plugins/timeseries/train/forecast_trainer.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>

#include <algorithm>
#include <cmath>
#include <limits>

namespace dw::timeseries {

using namespace Qt::StringLiterals;

namespace {

QString errorText(const std::exception &e)
{
    return QString::fromLocal8Bit(e.what()).section(u'\n', 0, 0);
}

// The module's series read from a CSV file: its targets and inputs, gaps filled its way.
Result<LoadedSeries> loadFor(const ForecastModule &module, const QString &csv)
{
    const FillMethod fill = SeriesPreparation::fillMethodFromId(module.fill).value_or(FillMethod::Linear);
    Result<LoadedSeries> series = SeriesLoader::load(csv, module.targets, module.inputs, fill);
    if (!series && (series.error().field == u"target"_s || series.error().field == u"inputs"_s))
        return Error::at(u"csv"_s, u"%1 (the module %2 reads %3)"_s.arg(series.error().message, module.manifest.id,
                                                                        module.featureNames().join(u", "_s)));
    return series;
}

// --precision of a forecast; what auto means for forecasters: kForecastAuto (timeseries_arguments.h).
Result<ml::Precision> precisionOf(const QVariantMap &args, const LoadedForecaster &forecaster,
                                  const JobContext &context)
{
    return precisionOfCall(args, forecaster.device(), forecaster.runs(ml::Precision::Bf16), context,
                           TimeSeriesArguments::kForecastAuto);
}

QVector<double> toVector(const std::vector<double> &values, qsizetype extra = 0)
{
    QVector<double> out(values.begin(), values.end());
    out.resize(qsizetype(values.size()) + extra, std::numeric_limits<double>::quiet_NaN());
    return out;
}

}  // namespace

TimeSeriesPlugin::TimeSeriesPlugin() = default;

TimeSeriesPlugin::~TimeSeriesPlugin() = default;

TaskMetadata TimeSeriesPlugin::metadata() const
{
    return {timeSeriesTask(), u"Time series"_s,
            u"Forecast series from CSV files with LSTM, GRU, 1-D CNN or MLP networks, scored against naive baselines, "
            "with alerts where observations leave the forecast band."_s,
            u"0.1.0"_s, forecasterKinds()};
}

Result<void> TimeSeriesPlugin::warm(const QString &moduleDirectory, JobContext &context)
{
    return m_models.warm(moduleDirectory, context.device());
}

Result<TaskResult> TimeSeriesPlugin::train(const QVariantMap &args, JobContext &context)
{
    ForecastTrainRequest request = TimeSeriesArguments::trainRequest(args);
    if (Result<void> folder = resolveModuleFolder(request.moduleDir); !folder)
        return folder.error();
    try {
        Result<ForecastTrainOutcome> trained = trainForecaster(request, context);
        if (!trained)
            return trained.error();
        const ForecastTrainOutcome &o = *trained;
        QJsonObject result = trainedResultJson({o.moduleDir, request.moduleId, timeSeriesTask(), request.model,
                                                o.epochsRun, o.bestEpoch, o.stopped, o.seconds});
        result.insert(u"targets"_s, QJsonArray::fromStringList(request.targets));
        result.insert(u"val_loss"_s, o.bestValLoss);
        result.insert(u"initial_val_loss"_s, o.firstValLoss);
        result.insert(u"train_windows"_s, o.trainWindows);
        result.insert(u"val_windows"_s, o.valWindows);
        result.insert(u"test_rows"_s, o.testRows);
        result.insert(u"windows_per_second"_s, o.windowsPerSecond);
        result.insert(u"metrics"_s, o.metrics);
        return TaskResult(JsonResult{result});
    } catch (const std::exception &e) {
        return failure(u"training failed: %1"_s.arg(errorText(e)));
    }
}

Result<TrainingEstimate> TimeSeriesPlugin::estimateTraining(const QVariantMap &args, JobContext &context)
{
    ForecastTrainRequest request = TimeSeriesArguments::trainRequest(args);
    if (request.moduleDir.isEmpty())  // nothing is written: any folder name will do
        request.moduleDir = QDir::temp().filePath(u"deepwb-estimate"_s);
    if (request.csvPath.isEmpty() || !QFileInfo::exists(request.csvPath))
        return failure(u"choose a dataset first (a CSV file of the series)"_s, u"csv"_s);
    try {
        return estimateForecasterTraining(request, context);
    } catch (const std::exception &e) {
        return failure(u"the time estimate failed: %1"_s.arg(errorText(e)));
    }
}

Result<TaskResult> TimeSeriesPlugin::predict(const QVariantMap &args, JobContext &context)
{
    try {
        Result<std::shared_ptr<LoadedForecaster>> forecaster =
            m_models.get(args.value(u"module"_s).toString(), context.device());
        if (!forecaster)
            return forecaster.error();
        const ForecastModule &module = (*forecaster)->module();
        Result<LoadedSeries> series = loadFor(module, args.value(u"csv"_s).toString());
        if (!series)
            return series.error();
        const SeriesSet &levels = series->set;
        const Table &table = series->import.table;
        for (const QString &notice : series->notices())
            context.log(notice);
        const int horizon =
            args.value(u"horizon"_s).toInt() > 0 ? args.value(u"horizon"_s).toInt() : int(module.network.horizon);
        const Result<ml::Precision> precision = precisionOf(args, **forecaster, context);
        if (!precision)
            return precision.error();
        context.setProgress(0, 0, u"forecasting %1 rows"_s.arg(levels.length()));
        Result<SeriesForecast> forecast = (*forecaster)->forecast(levels, &context, *precision);
        if (!forecast)
            return forecast.error();
        Result<std::vector<std::vector<double>>> ahead =
            (*forecaster)->forecastAhead(levels, horizon, &context, *precision);
        if (!ahead)
            return ahead.error();

        SeriesResult result;
        result.targets = module.targets;
        const qsizetype rows = levels.length();
        for (qsizetype r = 0; r < rows; ++r)
            result.timestamps << table.timeText(r);
        // Future rows a median step apart, counted in the calendar's unit: a year after 1968 is
        // 1969 although 1968 has 366 days.
        const SamplingReport &sampling = series->import.report.sampling;
        const bool calendar =
            sampling.unit == TimeUnit::Month || sampling.unit == TimeUnit::Quarter || sampling.unit == TimeUnit::Year;
        const qint64 units = std::max<qint64>(1, std::llround(sampling.medianStep));
        for (int h = 1; h <= horizon; ++h) {
            if (table.hasTime() && calendar)
                result.timestamps << TimestampParser::toText(
                    TimestampParser::advance(table.time.back(), sampling.unit, units * h), table.timeFormat);
            else if (table.hasTime() && sampling.medianStepSeconds > 0)
                result.timestamps << TimestampParser::toText(table.time.back() + sampling.medianStepSeconds * h,
                                                             table.timeFormat);
            else
                result.timestamps << QString::number(rows + h);
        }
        std::vector<double> times = table.hasTime() ? table.time : std::vector<double>();
        if (times.empty())
            for (qsizetype r = 0; r < rows; ++r)
                times.push_back(double(r + 1));
        QList<AnomalyAlert> alerts;
        QJsonObject thresholds;
        QJsonObject filledRows;  // target -> the rows whose value was filled in, not observed
        for (qsizetype k = 0; k < module.targets.size(); ++k) {
            std::vector<double> expected = forecast->oneStep[size_t(k)];
            // Observed means observed: a filled-in value is no observation (NaN: none), and
            // raises no alert.
            std::vector<double> observed = levels.targets[size_t(k)];
            QJsonArray filled;
            for (std::size_t r = 0; r < observed.size() && size_t(k) < series->targetFilled.size(); ++r)
                if (series->targetFilled[size_t(k)][r]) {
                    observed[r] = std::numeric_limits<double>::quiet_NaN();
                    filled.append(qint64(r));
                }
            if (!filled.isEmpty())
                filledRows.insert(module.targets.at(k), filled);
            result.observed << toVector(observed, horizon);
            expected.insert(expected.end(), (*ahead)[size_t(k)].begin(), (*ahead)[size_t(k)].end());
            result.forecast << toVector(expected);
            if (size_t(k) < module.detectors.size()) {
                const AnomalyDetector &detector = module.detectors[size_t(k)];
                QVector<double> lower, upper;
                for (double e : expected) {
                    lower << (std::isfinite(e) ? detector.lowerBound(e) : e);
                    upper << (std::isfinite(e) ? detector.upperBound(e) : e);
                }
                result.lower << lower;
                result.upper << upper;
                const QList<AnomalyAlert> found = detector.scan(times, observed, forecast->oneStep[size_t(k)],
                                                                [&table](qsizetype r) { return table.timeText(r); });
                alerts += found;
                thresholds.insert(module.targets.at(k), detector.threshold());
            }
        }
        const qint64 alertCount = alerts.size();
        result.extra = QJsonObject{{u"alerts"_s, AnomalyDetector::alertsToJson(alerts)},
                                   {u"alert_count"_s, alertCount},
                                   {u"thresholds"_s, thresholds},
                                   {u"module"_s, module.manifest.id},
                                   {u"rows"_s, rows},
                                   {u"horizon"_s, horizon},
                                   {u"filled"_s, filledRows},
                                   {u"notices"_s, QJsonArray::fromStringList(series->notices())}};
        if (alertCount > 0)
            context.log(u"%1 alert(s): observations outside the forecast band"_s.arg(alertCount));
        if (const QString file = args.value(u"alerts"_s).toString(); !file.isEmpty()) {
            const Result<void> written = file.endsWith(u".json"_s, Qt::CaseInsensitive)
                                             ? AnomalyDetector::writeAlertsJson(alerts, file)
                                             : AnomalyDetector::writeAlertsCsv(alerts, file);
            if (!written)
                return Error::at(u"alerts"_s, written.error().message);
            result.extra.insert(u"alerts_file"_s, QFileInfo(file).absoluteFilePath());
        }
        return TaskResult(std::move(result));
    } catch (const std::exception &e) {
        return failure(u"prediction failed: %1"_s.arg(errorText(e)));
    }
}

Result<TaskResult> TimeSeriesPlugin::evaluate(const QVariantMap &args, JobContext &context)
{
    try {
        Result<std::shared_ptr<LoadedForecaster>> forecaster =
            m_models.get(args.value(u"module"_s).toString(), context.device());
        if (!forecaster)
            return forecaster.error();
        const ForecastModule &module = (*forecaster)->module();
        const QString csv = args.value(u"csv"_s).toString();
        Result<LoadedSeries> series = loadFor(module, csv);
        if (!series)
            return series.error();
        const Result<ml::Precision> precision = precisionOf(args, **forecaster, context);
        if (!precision)
            return precision.error();
        Result<SeriesForecast> forecast = (*forecaster)->forecast(series->set, &context, *precision);
        if (!forecast)
            return forecast.error();
        const RowRange rows{forecast->firstForecastRow, series->set.length()};
        const std::vector<TargetForecastMetrics> metrics =
            ForecastScoring::score(series->set, forecast->oneStep, rows, module.seasonLength);
        qint64 alertCount = 0;
        for (std::size_t k = 0; k < module.detectors.size(); ++k) {
            for (qsizetype r = rows.begin; r < rows.end; ++r)
                alertCount +=
                    module.detectors[k].check(series->set.targets[k][size_t(r)], forecast->oneStep[k][size_t(r)]) ? 1
                                                                                                                  : 0;
        }
        for (const TargetForecastMetrics &m : metrics)
            context.log(u"%1: MAE %2 (naive %3, seasonal naive %4) on %5 points"_s.arg(m.target)
                            .arg(m.model.mae, 0, 'g', 5)
                            .arg(m.naive.mae, 0, 'g', 5)
                            .arg(m.seasonalNaive.mae, 0, 'g', 5)
                            .arg(m.model.count));
        QJsonObject json{{u"module"_s, module.manifest.id},
                         {u"csv"_s, QFileInfo(csv).absoluteFilePath()},
                         {u"rows"_s, series->set.length()},
                         {u"scored_from_row"_s, rows.begin + 1},
                         {u"season_length"_s, module.seasonLength},
                         {u"alert_count"_s, alertCount},
                         {u"targets"_s, ForecastMetrics::toJson(metrics)}};
        return TaskResult(JsonResult{json});
    } catch (const std::exception &e) {
        return failure(u"evaluation failed: %1"_s.arg(errorText(e)));
    }
}

Result<std::unique_ptr<StreamMonitor>> TimeSeriesPlugin::openStream(const QString &moduleDirectory,
                                                                    const QVariantMap &options)
{
    try {
        const QString device = options.value(u"device"_s).toString();
        Result<std::shared_ptr<LoadedForecaster>> forecaster =
            m_models.get(moduleDirectory, device.isEmpty() ? u"cpu"_s : device);
        if (!forecaster)
            return forecaster.error();
        if (const int threads = options.value(u"threads"_s).toInt(); threads > 0)
            torch::set_num_threads(threads);
        Result<std::unique_ptr<StreamForecastMonitor>> monitor =
            StreamForecastMonitor::open(forecaster.value(), options.value(u"kernel"_s, true).toBool());
        if (!monitor)
            return monitor.error();
        return std::unique_ptr<StreamMonitor>(std::move(monitor).value());
    } catch (const std::exception &e) {
        return failure(u"cannot watch a stream with %1: %2"_s.arg(moduleDirectory, errorText(e)));
    }
}

Result<TaskResult> TimeSeriesPlugin::exportModel(const QVariantMap &args, JobContext &context)
{
    Q_UNUSED(context);  // one pass over the network: nothing to report or cancel on the way
    Result<ExportRequest> request = readExportRequest(args, exportFormats());
    if (!request)
        return request.error();
    if (request->foldNormalization)
        return Error::at(QStringLiteral("fold_normalization"),
                         QStringLiteral("a forecaster's scaling depends on the series (differencing, per-column "
                                        "scalers): it travels in the metadata and is not folded into the graph"));
    return exportForecasterOnnx(request->module, request->output);
}

}  // namespace dw::timeseries
