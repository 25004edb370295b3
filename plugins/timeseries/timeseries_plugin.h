#pragma once
// The time-series task plugin: train a forecaster on a CSV file, forecast a series with it
// (one step ahead over the past, H steps into the future, a band and alerts from the
// module's anomaly thresholds) and evaluate it against naive baselines; watch a live stream
// with it (StreamingTask: each new point checked against its forecast at once). Loaded
// modules are kept between calls (by folder and device).
#include "core/task/loaded_model_cache.h"
#include "core/task/streaming_task.h"
#include "core/task/task_plugin.h"
#include "core/task/training_estimate.h"
#include "plugins/timeseries/timeseries_arguments.h"

#include <QObject>

#include <memory>

namespace dw::timeseries {

class LoadedForecaster;

class TimeSeriesPlugin : public QObject, public TaskPlugin, public StreamingTask, public TrainingEstimator {
    Q_OBJECT
    Q_PLUGIN_METADATA(IID DW_TASK_PLUGIN_IID FILE "plugin.json")
    Q_INTERFACES(dw::TaskPlugin dw::StreamingTask dw::TrainingEstimator)
public:
    TimeSeriesPlugin();
    ~TimeSeriesPlugin() override;

    TaskMetadata metadata() const override;
    ArgumentSchema trainArguments() const override { return TimeSeriesArguments::train(); }
    ArgumentSchema predictArguments() const override { return TimeSeriesArguments::predict(); }
    ArgumentSchema evaluateArguments() const override { return TimeSeriesArguments::evaluate(); }

    Result<void> warm(const QString &moduleDirectory, JobContext &context) override;
    Result<TaskResult> train(const QVariantMap &args, JobContext &context) override;
    // A few training batches of this series and network timed on context.device().
    Result<TrainingEstimate> estimateTraining(const QVariantMap &args, JobContext &context) override;
    // SeriesResult: timestamps of every row and of the forecast rows after them; per target
    // observed, forecast (one step ahead, then ahead), lower/upper (the alert band);
    // extra {"alerts": [...], "alert_count", "module", "horizon", "thresholds"}; the alerts
    // also go to the file `alerts` names (CSV, or JSON for *.json).
    Result<TaskResult> predict(const QVariantMap &args, JobContext &context) override;
    // JsonResult {"module", "csv", "rows", "season_length", "targets": {"<target>":
    // {mae, rmse, smape, r2, count, step, baselines {naive, seasonal_naive}}}, "alert_count"}.
    Result<TaskResult> evaluate(const QVariantMap &args, JobContext &context) override;

    // A StreamForecastMonitor over the module. options: "device" ("cpu" by default, "cuda"),
    // "threads" (LibTorch's intra-op threads for the whole process; left as they are when
    // absent or 0 — one is fastest for a single window on the CPU), "kernel" (false: LibTorch's
    // forward pass instead of the plain-C++ RecurrentKernel for LSTM and GRU on the CPU).
    Result<std::unique_ptr<StreamMonitor>> openStream(const QString &moduleDirectory,
                                                      const QVariantMap &options) override;
    QStringList exportFormats() const override { return {QStringLiteral("onnx")}; }
    // ONNX (export/): the module's graph with its metadata, checked, written whole.
    Result<TaskResult> exportModel(const QVariantMap &args, JobContext &context) override;

private:
    LoadedModelCache<LoadedForecaster> m_models;
};

}  // namespace dw::timeseries
