#include "core/ml/anomaly_detector.h"

#include "core/util/file_commit.h"

#include <QJsonDocument>
#include <QSaveFile>

#include <algorithm>
#include <cmath>
#include <limits>

namespace dw {
namespace {

// Consistency constant: 1.4826 × MAD estimates σ for normally distributed residuals.
constexpr double kMadToSigma = 1.4826;

double median(std::vector<double> v)
{
    const size_t mid = v.size() / 2;
    std::nth_element(v.begin(), v.begin() + qsizetype(mid), v.end());
    double m = v[mid];
    if (v.size() % 2 == 0)
        m = (m + *std::max_element(v.begin(), v.begin() + qsizetype(mid))) / 2;
    return m;
}

// Linear interpolation between order statistics (type 7, as numpy's default).
double quantileOf(std::vector<double> v, double q)
{
    std::sort(v.begin(), v.end());
    const double position = q * double(v.size() - 1);
    const auto below = size_t(std::floor(position));
    const size_t above = std::min(below + 1, v.size() - 1);
    return v[below] + (v[above] - v[below]) * (position - double(below));
}

QString csvField(const QString &s)
{
    if (!s.contains(QLatin1Char(',')) && !s.contains(QLatin1Char('"')) && !s.contains(QLatin1Char('\n')))
        return s;
    QString escaped = s;
    escaped.replace(QLatin1Char('"'), QStringLiteral("\"\""));
    return QLatin1Char('"') + escaped + QLatin1Char('"');
}

QString numberText(double v)
{
    return QString::number(v, 'g', 10);
}

Result<void> save(const QByteArray &bytes, const QString &path)
{
    return writeFileAtomically(path, bytes, QStringLiteral("the alerts"), path);
}

}  // namespace

QJsonObject AnomalyAlert::toJson() const
{
    return {{QStringLiteral("time"), timeText.isEmpty() ? QJsonValue(time) : QJsonValue(timeText)},
            {QStringLiteral("target"), target},
            {QStringLiteral("observed"), observed},
            {QStringLiteral("expected"), expected},
            {QStringLiteral("residual"), residual},
            {QStringLiteral("score"), score},
            {QStringLiteral("severity"), AnomalyDetector::severityId(severity)}};
}

QString AnomalyDetector::methodId(ThresholdMethod method)
{
    return method == ThresholdMethod::Mad ? QStringLiteral("mad") : QStringLiteral("quantile");
}

QString AnomalyDetector::severityId(AlertSeverity severity)
{
    return severity == AlertSeverity::Critical ? QStringLiteral("critical") : QStringLiteral("warning");
}

Result<AnomalyDetector> AnomalyDetector::fromResiduals(const std::vector<double> &residuals,
                                                       const AnomalySettings &settings, const QString &target)
{
    if (settings.method == ThresholdMethod::Mad && !(settings.k > 0))
        return failure(QStringLiteral("k must be above 0 (it is %1); 3 to 5 are usual.").arg(settings.k),
                       QStringLiteral("k"));
    if (settings.method == ThresholdMethod::Quantile && !(settings.quantile > 0 && settings.quantile < 1))
        return failure(
            QStringLiteral("The quantile must lie between 0 and 1 (it is %1); 0.99 is usual.").arg(settings.quantile),
            QStringLiteral("quantile"));
    if (!(settings.criticalFactor >= 1))
        return failure(
            QStringLiteral("The critical factor must be at least 1 (it is %1).").arg(settings.criticalFactor),
            QStringLiteral("critical_factor"));
    std::vector<double> r;
    for (double v : residuals)
        if (std::isfinite(v))
            r.push_back(v);
    if (r.size() < 3)
        return failure(QStringLiteral("A threshold needs at least 3 validation residuals; there are %1. Use a "
                                      "longer validation part.")
                           .arg(r.size()),
                       QStringLiteral("validation"));
    AnomalyDetector d;
    d.m_settings = settings;
    d.m_target = target;
    d.m_count = qint64(r.size());
    d.m_center = median(r);
    std::vector<double> deviation(r.size());
    for (size_t i = 0; i < r.size(); ++i)
        deviation[i] = std::abs(r[i] - d.m_center);
    d.m_mad = median(deviation);
    double spread = 0;
    if (settings.method == ThresholdMethod::Mad) {
        spread = kMadToSigma * d.m_mad;
        if (!(spread > 0)) {
            // More than half the forecasts exact: the mean absolute deviation still sees the rest.
            double sum = 0;
            for (double v : deviation)
                sum += v;
            spread = 1.2533 * sum / double(deviation.size());  // √(π/2): mean abs. dev. → σ
            d.m_warnings.append(QStringLiteral("The median absolute deviation of the residuals is 0; the mean "
                                               "absolute deviation was used instead."));
        }
        d.m_threshold = settings.k * spread;
    } else {
        d.m_threshold = quantileOf(deviation, settings.quantile);
    }
    if (!(d.m_threshold > 0)) {
        d.m_threshold = std::max(std::abs(d.m_center), 1.0) * 1e-9;
        d.m_warnings.append(QStringLiteral("All validation residuals are equal: any departure from the forecast "
                                           "raises an alert."));
    }
    return d;
}

double AnomalyDetector::score(double observed, double expected) const
{
    return std::abs((observed - expected) - m_center) / m_threshold;
}

std::optional<AnomalyAlert> AnomalyDetector::check(double observed, double expected, double time,
                                                   const QString &timeText) const
{
    if (std::isnan(observed) || std::isnan(expected) || !(m_threshold > 0))
        return std::nullopt;
    const double s = score(observed, expected);
    if (!(s >= 1.0))
        return std::nullopt;
    AnomalyAlert a;
    a.time = time;
    a.timeText = timeText;
    a.target = m_target;
    a.observed = observed;
    a.expected = expected;
    a.residual = observed - expected;
    a.score = s;
    a.severity = s >= m_settings.criticalFactor ? AlertSeverity::Critical : AlertSeverity::Warning;
    return a;
}

QList<AnomalyAlert> AnomalyDetector::scan(const std::vector<double> &times, const std::vector<double> &observed,
                                          const std::vector<double> &expected,
                                          const std::function<QString(qsizetype)> &timeText) const
{
    QList<AnomalyAlert> alerts;
    const size_t n = std::min(observed.size(), expected.size());
    for (size_t i = 0; i < n; ++i) {
        const double t = i < times.size() ? times[i] : double(i);
        if (auto a = check(observed[i], expected[i], t, timeText ? timeText(qsizetype(i)) : QString()))
            alerts.append(*a);
    }
    return alerts;
}

QJsonObject AnomalyDetector::toJson() const
{
    return {{QStringLiteral("method"), methodId(m_settings.method)},
            {QStringLiteral("k"), m_settings.k},
            {QStringLiteral("quantile"), m_settings.quantile},
            {QStringLiteral("critical_factor"), m_settings.criticalFactor},
            {QStringLiteral("center"), m_center},
            {QStringLiteral("mad"), m_mad},
            {QStringLiteral("threshold"), m_threshold},
            {QStringLiteral("residuals"), double(m_count)},
            {QStringLiteral("target"), m_target}};
}

Result<AnomalyDetector> AnomalyDetector::fromJson(const QJsonObject &json)
{
    const QString method = json.value(QStringLiteral("method")).toString();
    if (method != QLatin1String("mad") && method != QLatin1String("quantile"))
        return failure(QStringLiteral("Unknown threshold method \"%1\" (expected mad or quantile).").arg(method),
                       QStringLiteral("anomaly.method"));
    const double threshold = json.value(QStringLiteral("threshold")).toDouble(-1);
    if (!(threshold > 0))
        return failure(QStringLiteral("The anomaly threshold must be a positive number. The module's alert settings "
                                      "are damaged: train it again."),
                       QStringLiteral("anomaly.threshold"));
    AnomalyDetector d;
    d.m_settings.method = method == QLatin1String("mad") ? ThresholdMethod::Mad : ThresholdMethod::Quantile;
    d.m_settings.k = json.value(QStringLiteral("k")).toDouble(3.5);
    d.m_settings.quantile = json.value(QStringLiteral("quantile")).toDouble(0.99);
    d.m_settings.criticalFactor = std::max(1.0, json.value(QStringLiteral("critical_factor")).toDouble(2.0));
    d.m_center = json.value(QStringLiteral("center")).toDouble(0);
    d.m_mad = json.value(QStringLiteral("mad")).toDouble(0);
    d.m_threshold = threshold;
    d.m_count = qint64(json.value(QStringLiteral("residuals")).toDouble(0));
    d.m_target = json.value(QStringLiteral("target")).toString();
    return d;
}

QByteArray AnomalyDetector::alertsToCsv(const QList<AnomalyAlert> &alerts)
{
    QString text = QStringLiteral("time,target,observed,expected,residual,score,severity\n");
    for (const AnomalyAlert &a : alerts) {
        text += csvField(a.timeText.isEmpty() ? numberText(a.time) : a.timeText) + QLatin1Char(',') +
                csvField(a.target) + QLatin1Char(',') + numberText(a.observed) + QLatin1Char(',') +
                numberText(a.expected) + QLatin1Char(',') + numberText(a.residual) + QLatin1Char(',') +
                numberText(a.score) + QLatin1Char(',') + severityId(a.severity) + QLatin1Char('\n');
    }
    return text.toUtf8();
}

QJsonArray AnomalyDetector::alertsToJson(const QList<AnomalyAlert> &alerts)
{
    QJsonArray array;
    for (const AnomalyAlert &a : alerts)
        array.append(a.toJson());
    return array;
}

Result<void> AnomalyDetector::writeAlertsCsv(const QList<AnomalyAlert> &alerts, const QString &path)
{
    return save(alertsToCsv(alerts), path);
}

Result<void> AnomalyDetector::writeAlertsJson(const QList<AnomalyAlert> &alerts, const QString &path)
{
    return save(QJsonDocument(alertsToJson(alerts)).toJson(QJsonDocument::Indented), path);
}

}  // namespace dw
