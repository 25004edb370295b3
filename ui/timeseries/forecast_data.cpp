#include "ui/timeseries/forecast_data.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonObject>

namespace dw {

AnomalyAlert ForecastData::alertFromJson(const QJsonObject &json)
{
    AnomalyAlert alert;
    const QJsonValue time = json.value(QStringLiteral("time"));
    if (time.isString())
        alert.timeText = time.toString();
    else
        alert.time = time.toDouble();
    alert.target = json.value(QStringLiteral("target")).toString();
    alert.observed = json.value(QStringLiteral("observed")).toDouble();
    alert.expected = json.value(QStringLiteral("expected")).toDouble();
    alert.residual = json.value(QStringLiteral("residual")).toDouble(alert.observed - alert.expected);
    alert.score = json.value(QStringLiteral("score")).toDouble();
    alert.severity =
        json.value(QStringLiteral("severity")).toString() == AnomalyDetector::severityId(AlertSeverity::Critical)
            ? AlertSeverity::Critical
            : AlertSeverity::Warning;
    return alert;
}

ForecastData ForecastData::build(SeriesResult result, const Table &table, double stepSeconds)
{
    ForecastData data;
    data.timeFormat = table.timeFormat;
    data.hasTime = table.hasTime();
    const qsizetype total = result.timestamps.size();
    const qsizetype tableRows = table.rowCount();
    // The plugin reads the same file: its rows are the table's rows, then the future.
    const bool sameRows = tableRows > 0 && tableRows <= total;
    data.observedRows = sameRows ? tableRows : total;
    data.x.reserve(total);
    for (qsizetype r = 0; r < total; ++r) {
        if (!sameRows || !data.hasTime)
            data.x << double(r + 1);
        else if (r < tableRows)
            data.x << table.time[size_t(r)];
        else
            data.x << table.time.back() + (stepSeconds > 0 ? stepSeconds : 1.0) * double(r - tableRows + 1);
    }
    if (!sameRows)
        data.hasTime = false;
    QHash<QString, double> xOfText;
    for (qsizetype r = 0; r < total; ++r)
        xOfText.insert(result.timestamps.at(r), data.x.at(r));
    const QJsonArray alerts = result.extra.value(QStringLiteral("alerts")).toArray();
    for (const QJsonValue &value : alerts) {
        AnomalyAlert alert = alertFromJson(value.toObject());
        if (!alert.timeText.isEmpty())
            alert.time = xOfText.value(alert.timeText, alert.time);
        data.alerts << alert;
    }
    data.result = std::move(result);
    return data;
}

}  // namespace dw
