#include "ui/timeseries/forecast_data.h"

#include "ui/timeseries/series_format.h"

#include <QFileInfo>
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
    // The decimals of the file's column, as the data preview writes it; the result's
    // observations when the file has no such column.
    for (qsizetype k = 0; k < result.targets.size(); ++k) {
        const qsizetype column = table.columnIndex(result.targets.at(k));
        data.decimals << (column >= 0 ? SeriesFormat::decimals(table.column(column))
                                      : SeriesFormat::decimals(result.observed.value(k)));
    }
    data.result = std::move(result);
    return data;
}

double ForecastData::rowEdge(qsizetype row) const
{
    const qsizetype rows = std::min(observedRows, x.size());
    if (rows == 0)
        return 0;
    if (rows == 1)
        return x.at(0) + (row <= 0 ? -0.5 : 0.5);
    if (row <= 0)
        return x.at(0) - (x.at(1) - x.at(0)) / 2;
    if (row >= rows)
        return x.at(rows - 1) + (x.at(rows - 1) - x.at(rows - 2)) / 2;
    return (x.at(row - 1) + x.at(row)) / 2;
}

QList<ForecastPeriod> ForecastData::periodsOf(const QJsonObject &trainingData, const QString &csvPath, qsizetype rows)
{
    const QString file = trainingData.value(QStringLiteral("file")).toString();
    if (file.isEmpty() || file != QFileInfo(csvPath).fileName() ||
        trainingData.value(QStringLiteral("rows")).toInteger(-1) != rows)
        return {};
    const QJsonObject split = trainingData.value(QStringLiteral("split")).toObject();
    QList<ForecastPeriod> periods;
    for (const QString &name : {QStringLiteral("train"), QStringLiteral("validation"), QStringLiteral("test")}) {
        const QJsonObject range = split.value(name).toObject();
        ForecastPeriod period{name, range.value(QStringLiteral("begin")).toInteger(-1),
                              range.value(QStringLiteral("end")).toInteger(-1)};
        if (period.begin < 0 || period.end > rows || period.begin > period.end)
            return {};  // not a split of these rows
        if (period.end > period.begin)
            periods << period;
    }
    return periods;
}

}  // namespace dw
