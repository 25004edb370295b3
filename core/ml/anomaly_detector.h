#pragma once
// Raises an alert when an observation departs from its forecast by more than the model
// usually errs. The threshold is learnt from the residuals (observed − forecast) on the
// validation part, robustly: k times the median absolute deviation around the median
// residual (MAD scaled by 1.4826, so that k reads as "standard deviations" for Gaussian
// errors and a few outliers in the validation data do not inflate it), or a quantile of
// the absolute deviations. score = |residual − median| / threshold: an alert from 1 on,
// "warning" below criticalFactor, "critical" from it. Parameters serialise to JSON, to be
// stored with a module. No LibTorch.
#include "core/util/result.h"

#include <QByteArray>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <functional>
#include <optional>
#include <vector>

namespace dw {

enum class ThresholdMethod {
    Mad,       // k × 1.4826 × MAD
    Quantile,  // the q-quantile of |residual − median|
};

enum class AlertSeverity { Warning, Critical };

struct AnomalySettings {
    ThresholdMethod method = ThresholdMethod::Mad;
    double k = 3.5;               // Iglewicz & Hoaglin's cut-off for robust z-scores
    double quantile = 0.99;       // for ThresholdMethod::Quantile
    double criticalFactor = 2.0;  // score from which an alert is critical
};

struct AnomalyAlert {
    double time = 0;   // seconds since 1970 (or the row number without a time column)
    QString timeText;  // the time as the data wrote it; may be empty
    QString target;
    double observed = 0;
    double expected = 0;  // the forecast
    double residual = 0;  // observed − expected
    double score = 0;     // ≥ 1
    AlertSeverity severity = AlertSeverity::Warning;

    QJsonObject toJson() const;
};

class AnomalyDetector {
public:
    AnomalyDetector() = default;

    static QString methodId(ThresholdMethod method);    // "mad", "quantile"
    static QString severityId(AlertSeverity severity);  // "warning", "critical"

    // Learns the threshold from validation residuals (NaNs ignored). Fewer than 3 values,
    // k ≤ 0, a quantile outside (0, 1) or criticalFactor < 1 are errors. Residuals with a
    // MAD of 0 (mostly exact forecasts) fall back to the mean absolute deviation, and to
    // the smallest representable spread when all are equal (reported in warnings()).
    static Result<AnomalyDetector> fromResiduals(const std::vector<double> &residuals,
                                                 const AnomalySettings &settings = {}, const QString &target = {});

    const AnomalySettings &settings() const { return m_settings; }
    const QString &target() const { return m_target; }
    double center() const { return m_center; }        // median residual
    double mad() const { return m_mad; }              // raw median absolute deviation
    double threshold() const { return m_threshold; }  // distance from center that alerts
    qint64 residualCount() const { return m_count; }
    const QStringList &warnings() const { return m_warnings; }

    // The band around a forecast inside which an observation raises no alert (the plot's
    // prediction band): expected + center ± threshold.
    double lowerBound(double expected) const { return expected + m_center - m_threshold; }
    double upperBound(double expected) const { return expected + m_center + m_threshold; }

    double score(double observed, double expected) const;
    // An alert when the point departs by at least the threshold; nothing for NaNs.
    std::optional<AnomalyAlert> check(double observed, double expected, double time = 0,
                                      const QString &timeText = {}) const;
    // Every point of a series; timeText(i) may be empty (then no texts).
    QList<AnomalyAlert> scan(const std::vector<double> &times, const std::vector<double> &observed,
                             const std::vector<double> &expected,
                             const std::function<QString(qsizetype)> &timeText = {}) const;

    // {"method", "k", "quantile", "critical_factor", "center", "mad", "threshold", "residuals", "target"}
    QJsonObject toJson() const;
    static Result<AnomalyDetector> fromJson(const QJsonObject &json);

    // time,target,observed,expected,residual,score,severity — RFC 4180, header first; the
    // time column holds timeText when there is one, else the number.
    static QByteArray alertsToCsv(const QList<AnomalyAlert> &alerts);
    static QJsonArray alertsToJson(const QList<AnomalyAlert> &alerts);
    // Written through QSaveFile: a crash leaves the old file, never half a new one.
    static Result<void> writeAlertsCsv(const QList<AnomalyAlert> &alerts, const QString &path);
    static Result<void> writeAlertsJson(const QList<AnomalyAlert> &alerts, const QString &path);

private:
    AnomalySettings m_settings;
    QString m_target;
    double m_center = 0;
    double m_mad = 0;
    double m_threshold = 0;
    qint64 m_count = 0;
    QStringList m_warnings;
};

}  // namespace dw
