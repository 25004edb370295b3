#pragma once
// The loop of `deepwb watch`: every line a LineSource delivers goes through the module's
// StreamMonitor; alerts (or, with --all, every point) are printed on stdout as JSON lines,
// malformed lines are skipped and counted (the first few named on stderr), per-point
// latency is measured, and the session ends after --max-points points or --idle-timeout
// seconds without a line. The summary goes to stderr.
#include "core/io/line_source.h"
#include "core/task/streaming_task.h"

#include <QElapsedTimer>
#include <QTimer>

#include <vector>

namespace dw::cli {

struct WatchOptions {
    QString moduleId;
    bool all = false;        // every point's StreamUpdate, not only the alerts
    qint64 maxPoints = 0;    // 0: no limit
    double idleTimeout = 0;  // seconds; 0: none
};

// Per-point latency: mean, quantiles and maximum (all samples up to a million, then a
// uniform sample of them).
class LatencyStats {
public:
    void add(double milliseconds);
    qint64 count() const { return m_count; }
    double mean() const { return m_count > 0 ? m_sum / double(m_count) : 0.0; }
    double max() const { return m_max; }
    double quantile(double q) const;

private:
    std::vector<float> m_samples;
    qint64 m_count = 0;
    double m_sum = 0;
    double m_max = 0;
    quint64 m_state = 88172645463325252ull;  // xorshift, for the uniform sample
};

class WatchSession {
public:
    WatchSession(StreamMonitor &monitor, LineSource &source, WatchOptions options);

    // Runs the event loop until a limit is reached or stop() is called (Ctrl-C).
    void run();
    void stop(const QString &reason);

    qint64 points() const { return m_points; }
    QString summary() const;

private:
    void onLine(const QByteArray &line);
    void print(const QJsonObject &json) const;

    StreamMonitor &m_monitor;
    LineSource &m_source;
    WatchOptions m_options;
    QStringList m_targets;
    QTimer m_idle;
    bool m_stopped = false;
    QString m_reason;
    qint64 m_lines = 0;
    qint64 m_points = 0;
    qint64 m_alerts = 0;
    qint64 m_skipped = 0;
    qint64 m_headers = 0;
    LatencyStats m_latency;
};

}  // namespace dw::cli
