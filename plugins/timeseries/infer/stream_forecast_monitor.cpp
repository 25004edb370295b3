#include "plugins/timeseries/infer/stream_forecast_monitor.h"

#include "plugins/timeseries/data/stream_layout.h"

#include <cmath>
#include <limits>

namespace dw::timeseries {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

QString torchError(const c10::Error &error)
{
    return QString::fromStdString(error.what_without_backtrace()).section(QLatin1Char('\n'), 0, 0);
}

}  // namespace

Result<std::unique_ptr<StreamForecastMonitor>> StreamForecastMonitor::open(std::shared_ptr<LoadedForecaster> forecaster,
                                                                           bool useKernel)
{
    const ForecastModule &module = forecaster->module();
    if (module.detectors.size() != std::size_t(module.targets.size()))
        return failure(
            QStringLiteral("the module %1 has no anomaly thresholds, so it cannot raise alerts: train it again "
                           "(training learns them from the validation residuals)")
                .arg(module.manifest.id),
            QStringLiteral("module"));
    Result<ImportReport> layout = StreamLayout::of(module);
    if (!layout)
        return layout.error();
    Result<CsvLineParser> parser = CsvLineParser::fromReport(*layout, module.featureNames());
    if (!parser)
        return failure(QStringLiteral("the module %1 cannot read stream lines: %2")
                           .arg(module.manifest.id, parser.error().message),
                       QStringLiteral("module"));
    std::unique_ptr<StreamForecastMonitor> monitor(
        new StreamForecastMonitor(std::move(forecaster), std::move(parser).value(), layout->timeFormat));
    if (useKernel) {
        try {
            monitor->m_kernel = monitor->m_forecaster->recurrentKernel();
        } catch (const c10::Error &) {
            monitor->m_kernel.reset();  // LibTorch's forward pass it is
        }
    }
    return monitor;
}

StreamForecastMonitor::StreamForecastMonitor(std::shared_ptr<LoadedForecaster> forecaster, CsvLineParser parser,
                                             TimeFormat timeFormat)
    : m_forecaster(std::move(forecaster)), m_parser(std::move(parser)), m_timeFormat(timeFormat)
{
    const ForecastModule &module = m_forecaster->module();
    m_targets = int(module.targets.size());
    m_features = int(module.featureNames().size());
    m_window = int(module.network.window);
    m_differencing = module.space.differencing();
    m_capacity = m_window + m_differencing;
    m_ring.assign(std::size_t(m_capacity) * std::size_t(m_features), kNaN);
    m_last.assign(std::size_t(m_features), kNaN);
    m_next.assign(std::size_t(m_targets), kNaN);
    m_runs.assign(std::size_t(m_targets), 0);
    m_input = torch::zeros({1, m_window, m_features}, torch::kFloat32);
    m_output.assign(std::size_t(module.network.horizon * module.network.targets), 0.0f);
}

QStringList StreamForecastMonitor::targets() const
{
    return module().targets;
}

QStringList StreamForecastMonitor::expectedColumns() const
{
    Result<ImportReport> layout = StreamLayout::of(module());
    return layout ? layout->fileColumns : module().featureNames();
}

int StreamForecastMonitor::warmUpPoints() const
{
    return m_capacity;
}

Result<StreamUpdate> StreamForecastMonitor::pushLine(const QByteArray &line)
{
    Result<StreamRow> row = m_parser.parse(line);
    if (!row) {
        if (m_parser.isHeader(line)) {  // only checked for lines that are not rows: most are
            StreamUpdate header;
            header.warmingUp = !m_hasNext;
            return header;
        }
        return row.error();
    }
    return pushRow(*row);
}

Result<StreamUpdate> StreamForecastMonitor::pushRow(const StreamRow &row)
{
    const ForecastModule &module = this->module();
    ++m_points;
    StreamUpdate update;
    const bool timed = std::isfinite(row.time);
    update.time = timed ? row.time : double(m_points);
    update.timeText =
        timed && m_timeFormat != TimeFormat::None ? TimestampParser::toText(row.time, m_timeFormat) : QString();
    update.observed.assign(row.values.begin(),
                           row.values.begin() + std::min<std::ptrdiff_t>(m_targets, row.values.size()));
    update.observed.resize(std::size_t(m_targets), kNaN);
    update.warmingUp = !m_hasNext;
    update.expected.assign(std::size_t(m_targets), kNaN);
    update.lower.assign(std::size_t(m_targets), kNaN);
    update.upper.assign(std::size_t(m_targets), kNaN);
    update.next.assign(std::size_t(m_targets), kNaN);

    // Check this point against the forecast made for it, and choose what enters the window.
    std::vector<double> entered(std::size_t(m_features), kNaN);
    for (int f = 0; f < m_features; ++f)
        entered[std::size_t(f)] = f < int(row.values.size()) ? row.values[std::size_t(f)] : kNaN;
    for (int k = 0; k < m_targets; ++k) {
        const std::size_t i = std::size_t(k);
        const double observed = update.observed[i];
        bool flagged = false;
        if (m_hasNext) {
            const AnomalyDetector &detector = module.detectors[i];
            const double expected = m_next[i];
            update.expected[i] = expected;
            update.lower[i] = detector.lowerBound(expected);
            update.upper[i] = detector.upperBound(expected);
            if (std::optional<AnomalyAlert> alert = detector.check(observed, expected, update.time, update.timeText)) {
                alert->target = module.targets.at(k);
                update.alerts.append(*alert);
                flagged = true;
            }
        }
        m_runs[i] = flagged ? m_runs[i] + 1 : 0;
        const bool substitute = std::isnan(observed) || (flagged && m_runs[i] <= kAcceptAfter);
        if (substitute)
            entered[i] = m_hasNext ? m_next[i] : m_last[i];
    }
    for (int f = m_targets; f < m_features; ++f)
        if (std::isnan(entered[std::size_t(f)]))
            entered[std::size_t(f)] = m_last[std::size_t(f)];

    bool complete = true;
    for (const double v : entered)
        complete = complete && std::isfinite(v);
    if (!complete) {  // a gap before the first value: nothing to put in the window yet
        m_hasNext = false;
        return update;
    }
    push(entered);
    m_hasNext = false;
    if (m_filled < m_capacity)
        return update;
    if (Result<void> forecast = forecastNext(); !forecast)
        return forecast.error();
    update.next = m_next;
    return update;
}

void StreamForecastMonitor::push(const std::vector<double> &row)
{
    std::copy(row.begin(), row.end(), m_ring.begin() + std::ptrdiff_t(m_head) * m_features);
    m_head = (m_head + 1) % m_capacity;
    m_filled = std::min(m_filled + 1, m_capacity);
    m_last = row;
}

Result<void> StreamForecastMonitor::forecastNext()
{
    const ModelSpace &space = module().space;
    const SeriesScaler &scaler = space.scaler();
    const bool scaled = scaler.columnCount() == m_features;
    float *input = m_input.data_ptr<float>();
    // Ring row r (0 = oldest) is at (m_head + r) % capacity once the ring is full.
    auto level = [this](int r, int f) {
        return m_ring[std::size_t((m_head + r) % m_capacity) * std::size_t(m_features) + std::size_t(f)];
    };
    for (int t = 0; t < m_window; ++t) {
        for (int f = 0; f < m_features; ++f) {
            double v = m_differencing > 0 ? level(t + 1, f) - level(t, f) : level(t, f);
            if (scaled)
                v = scaler.transform(f, v);
            input[t * m_features + f] = float(v);
        }
    }
    try {
        torch::Tensor output;
        const float *p = m_output.data();
        if (m_kernel) {
            m_kernel->forward(input, m_output.data());
        } else {
            output = m_forecaster->forwardWindows(m_input).contiguous();  // [1, H, T]
            p = output.data_ptr<float>();
        }
        for (int k = 0; k < m_targets; ++k) {
            double v = double(p[k]);  // the first step of the horizon
            if (scaler.columnCount() > k)
                v = scaler.inverse(k, v);
            if (m_differencing > 0)
                v += level(m_capacity - 1, k);
            m_next[std::size_t(k)] = v;
        }
    } catch (const c10::Error &error) {
        return failure(QStringLiteral("forecasting failed in LibTorch: %1").arg(torchError(error)));
    }
    m_hasNext = true;
    return success();
}

}  // namespace dw::timeseries
