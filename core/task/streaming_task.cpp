#include "core/task/streaming_task.h"

#include <QJsonArray>

#include <cmath>

namespace dw {

namespace {

QJsonValue number(double value)
{
    return std::isfinite(value) ? QJsonValue(value) : QJsonValue(QJsonValue::Null);
}

QJsonObject perTarget(const QStringList &targets, const std::vector<double> &values)
{
    QJsonObject object;
    for (qsizetype i = 0; i < targets.size() && i < qsizetype(values.size()); ++i)
        object.insert(targets[i], number(values[size_t(i)]));
    return object;
}

}  // namespace

QJsonObject StreamUpdate::toJson(const QStringList &targets) const
{
    QJsonObject json{{QStringLiteral("time"), number(time)},
                     {QStringLiteral("observed"), perTarget(targets, observed)},
                     {QStringLiteral("expected"), perTarget(targets, expected)},
                     {QStringLiteral("lower"), perTarget(targets, lower)},
                     {QStringLiteral("upper"), perTarget(targets, upper)},
                     {QStringLiteral("next"), perTarget(targets, next)},
                     {QStringLiteral("alerts"), AnomalyDetector::alertsToJson(alerts)},
                     {QStringLiteral("warming_up"), warmingUp}};
    if (!timeText.isEmpty())
        json.insert(QStringLiteral("time_text"), timeText);
    return json;
}

}  // namespace dw
