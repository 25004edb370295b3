#include "watch_session.h"

#include "cli_output.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>
#include <cstdio>

namespace dw::cli {

using namespace Qt::StringLiterals;

namespace {

constexpr std::size_t kMaxSamples = 1000000;
constexpr qint64 kNamedSkips = 5;

QString ms(double value)
{
    return QString::number(value, 'f', 3);
}

}  // namespace

void LatencyStats::add(double milliseconds)
{
    ++m_count;
    m_sum += milliseconds;
    m_max = std::max(m_max, milliseconds);
    if (m_samples.size() < kMaxSamples) {
        m_samples.push_back(float(milliseconds));
        return;
    }
    m_state ^= m_state << 13;  // reservoir sampling keeps a uniform sample of every point
    m_state ^= m_state >> 7;
    m_state ^= m_state << 17;
    if (const quint64 slot = m_state % quint64(m_count); slot < kMaxSamples)
        m_samples[std::size_t(slot)] = float(milliseconds);
}

double LatencyStats::quantile(double q) const
{
    if (m_samples.empty())
        return 0.0;
    std::vector<float> sorted = m_samples;
    const auto index = std::size_t(std::clamp(q, 0.0, 1.0) * double(sorted.size() - 1) + 0.5);
    std::nth_element(sorted.begin(), sorted.begin() + std::ptrdiff_t(index), sorted.end());
    return double(sorted[index]);
}

WatchSession::WatchSession(StreamMonitor &monitor, LineSource &source, WatchOptions options)
    : m_monitor(monitor), m_source(source), m_options(std::move(options)), m_targets(monitor.targets())
{
    QObject::connect(&m_source, &LineSource::lineReceived, &m_source, [this](const QByteArray &line) { onLine(line); });
    m_idle.setSingleShot(true);
    if (m_options.idleTimeout > 0) {
        m_idle.setInterval(int(std::min(m_options.idleTimeout * 1000.0, 2.0e9)));
        QObject::connect(&m_idle, &QTimer::timeout, &m_source,
                         [this] { stop(u"no line for %1 s (--idle-timeout)"_s.arg(m_options.idleTimeout)); });
    }
}

void WatchSession::run()
{
    if (m_options.idleTimeout > 0)
        m_idle.start();
    if (!m_stopped)
        QCoreApplication::exec();
    m_source.stop();
}

void WatchSession::stop(const QString &reason)
{
    if (m_stopped)
        return;
    m_stopped = true;
    m_reason = reason;
    m_idle.stop();
    m_source.stop();  // lines still queued are not read
    QCoreApplication::exit(0);
}

void WatchSession::print(const QJsonObject &json) const
{
    const QByteArray line = QJsonDocument(json).toJson(QJsonDocument::Compact) + '\n';
    std::fwrite(line.constData(), 1, std::size_t(line.size()), stdout);
    std::fflush(stdout);
}

void WatchSession::onLine(const QByteArray &line)
{
    if (m_stopped)
        return;
    ++m_lines;
    if (m_options.idleTimeout > 0)
        m_idle.start();
    QElapsedTimer clock;
    clock.start();
    const Result<StreamUpdate> update = m_monitor.pushLine(line);
    const double elapsed = double(clock.nsecsElapsed()) / 1.0e6;
    if (!update) {
        ++m_skipped;
        if (m_skipped <= kNamedSkips) {
            QString shown = QString::fromUtf8(line.left(60));
            if (line.size() > 60)
                shown += u"…"_s;
            Output::warning(u"skipped line %1 (\"%2\"): %3%4"_s.arg(m_lines).arg(
                shown, update.error().message,
                m_skipped == kNamedSkips ? u" (further skipped lines are only counted)"_s : QString()));
        }
        return;
    }
    if (update->observed.empty()) {  // a header line
        ++m_headers;
        return;
    }
    ++m_points;
    m_latency.add(elapsed);
    m_alerts += update->alerts.size();
    if (m_options.all) {
        QJsonObject json = update->toJson(m_targets);
        json.insert(u"module"_s, m_options.moduleId);
        json.insert(u"point"_s, m_points);
        print(json);
    } else {
        for (const AnomalyAlert &alert : update->alerts) {
            QJsonObject json = alert.toJson();
            json.insert(u"module"_s, m_options.moduleId);
            json.insert(u"point"_s, m_points);
            print(json);
        }
    }
    if (m_options.maxPoints > 0 && m_points >= m_options.maxPoints)
        stop(u"%1 point(s) read (--max-points)"_s.arg(m_points));
}

QString WatchSession::summary() const
{
    return u"stopped: %1; %2 point(s), %3 alert(s), %4 skipped line(s), %5 header line(s); per point: mean %6 ms, "
           "p50 %7 ms, p99 %8 ms, max %9 ms"_s.arg(m_reason.isEmpty() ? u"interrupted"_s : m_reason)
               .arg(m_points)
               .arg(m_alerts)
               .arg(m_skipped)
               .arg(m_headers)
               .arg(ms(m_latency.mean()), ms(m_latency.quantile(0.5)), ms(m_latency.quantile(0.99)),
                    ms(m_latency.max()));
}

}  // namespace dw::cli
