#pragma once
// Watches a live stream with a trained forecaster (the time-series task's StreamMonitor).
// It keeps the last window (+ differencing) rows in a ring buffer. Each line is parsed with
// the layout of the module's training file; the observed values are checked against the
// forecast made at the point before (the module's AnomalyDetector per target: an alert with
// time, observed, expected, score and severity); then the next point is forecast from the
// window: on the CPU an LSTM or GRU runs as a RecurrentKernel (plain C++, no allocation), any
// other network as one LibTorch forward pass in InferenceMode on a preallocated tensor.
// What enters the window: a value flagged as anomalous is replaced by its forecast, so that
// one spike does not make the following forecasts — and alerts — wrong too; a missing value
// (NaN) is replaced by its forecast as well (extra inputs, which have none, by the last
// value). After `kAcceptAfter` alerts in a row the observations are taken as they are: the
// series has moved to a new level and the forecasts have to follow it.
#include "core/io/csv_line_parser.h"
#include "core/task/streaming_task.h"
#include "plugins/timeseries/infer/loaded_forecaster.h"

#include <torch/types.h>

#include <memory>
#include <vector>

namespace dw::timeseries {

class StreamForecastMonitor : public StreamMonitor {
public:
    static constexpr int kAcceptAfter = 5;

    // Errors: a module without anomaly thresholds, a layout the lines cannot be read with.
    // useKernel false: always LibTorch (to compare them).
    static Result<std::unique_ptr<StreamForecastMonitor>> open(std::shared_ptr<LoadedForecaster> forecaster,
                                                               bool useKernel = true);

    QStringList targets() const override;
    QStringList expectedColumns() const override;
    int warmUpPoints() const override;
    Result<StreamUpdate> pushLine(const QByteArray &line) override;

    // One point already read: values in targets-then-inputs order (NaN = missing); time
    // NaN numbers the point. Errors only from LibTorch.
    Result<StreamUpdate> pushRow(const StreamRow &row);

    qint64 points() const { return m_points; }
    bool usesKernel() const { return m_kernel != nullptr; }
    const ForecastModule &module() const { return m_forecaster->module(); }

private:
    StreamForecastMonitor(std::shared_ptr<LoadedForecaster> forecaster, CsvLineParser parser, TimeFormat timeFormat);

    void push(const std::vector<double> &row);
    Result<void> forecastNext();

    std::shared_ptr<LoadedForecaster> m_forecaster;
    CsvLineParser m_parser;
    TimeFormat m_timeFormat = TimeFormat::None;
    int m_targets = 0;
    int m_features = 0;
    int m_window = 0;
    int m_differencing = 0;
    int m_capacity = 0;          // window + differencing rows
    std::vector<double> m_ring;  // m_capacity rows of m_features levels
    int m_head = 0;              // where the next row goes
    int m_filled = 0;            // rows in the ring
    std::vector<double> m_last;  // the last row pushed (forward fill)
    std::vector<double> m_next;  // the forecast of the coming point, per target
    bool m_hasNext = false;
    std::vector<int> m_runs;  // alerts in a row, per target
    qint64 m_points = 0;
    torch::Tensor m_input;  // [1, W, F] float32, reused
    std::unique_ptr<RecurrentKernel> m_kernel;
    std::vector<float> m_output;  // the kernel's H × T outputs
};

}  // namespace dw::timeseries
