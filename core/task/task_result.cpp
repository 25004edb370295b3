#include "core/task/task_result.h"

#include <QJsonArray>
#include <QJsonValue>

#include <cmath>
#include <type_traits>

namespace dw {

namespace {

using namespace Qt::StringLiterals;

// JSON has no NaN or infinity; a missing observation is null, not a parse error downstream.
QJsonValue finiteOrNull(double value)
{
    return std::isfinite(value) ? QJsonValue(value) : QJsonValue(QJsonValue::Null);
}

QJsonArray numbers(const QVector<double> &values)
{
    QJsonArray array;
    for (double v : values)
        array.append(finiteOrNull(v));
    return array;
}

// The i-th vector of a per-target list, or an empty array when the list is shorter.
QJsonArray numbersAt(const QList<QVector<double>> &lists, qsizetype i)
{
    return i < lists.size() ? numbers(lists.at(i)) : QJsonArray();
}

QJsonObject toJson(const JsonResult &result)
{
    return result.object;
}

QJsonObject toJson(const ClassificationResult &result)
{
    QJsonArray predictions;
    for (const ClassificationResult::Item &item : result.items) {
        QJsonArray labels;
        QJsonArray probabilities;
        for (const LabelScore &score : item.top) {
            labels.append(score.label);
            probabilities.append(finiteOrNull(score.probability));
        }
        QJsonObject prediction{{u"input"_s, item.input}, {u"labels"_s, labels}, {u"probabilities"_s, probabilities}};
        if (!item.heatMapPath.isEmpty())
            prediction.insert(u"heat_map"_s, item.heatMapPath);
        predictions.append(prediction);
    }
    return QJsonObject{{u"predictions"_s, predictions}};
}

QJsonObject toJson(const RasterResult &result)
{
    return QJsonObject{{u"path"_s, result.path},
                       {u"width"_s, result.width},
                       {u"height"_s, result.height},
                       {u"bands"_s, result.bands},
                       {u"metadata"_s, result.metadata}};
}

QJsonObject toJson(const SeriesResult &result)
{
    QJsonArray series;
    for (qsizetype i = 0; i < result.targets.size(); ++i) {
        QJsonObject one{{u"target"_s, result.targets.at(i)},
                        {u"observed"_s, numbersAt(result.observed, i)},
                        {u"forecast"_s, numbersAt(result.forecast, i)}};
        // The prediction band is optional; an absent band is left out rather than empty.
        if (i < result.lower.size() && i < result.upper.size()) {
            one.insert(u"lower"_s, numbers(result.lower.at(i)));
            one.insert(u"upper"_s, numbers(result.upper.at(i)));
        }
        series.append(one);
    }
    QJsonArray timestamps;
    for (const QString &t : result.timestamps)
        timestamps.append(t);
    QJsonObject json{{u"timestamps"_s, timestamps}, {u"series"_s, series}};
    // Alerts and metrics sit beside the series, as a reader of the JSON looks for them.
    for (auto it = result.extra.constBegin(); it != result.extra.constEnd(); ++it) {
        if (!json.contains(it.key()))
            json.insert(it.key(), it.value());
    }
    return json;
}

QJsonObject toJson(const FilesResult &result)
{
    return QJsonObject{{u"files"_s, QJsonArray::fromStringList(result.paths)}};
}

template <class T>
constexpr const char *kindOf()
{
    if constexpr (std::is_same_v<T, JsonResult>)
        return "json";
    else if constexpr (std::is_same_v<T, ClassificationResult>)
        return "classification";
    else if constexpr (std::is_same_v<T, RasterResult>)
        return "raster";
    else if constexpr (std::is_same_v<T, SeriesResult>)
        return "series";
    else
        return "files";
}

}  // namespace

QString taskResultKind(const TaskResult &result)
{
    return std::visit([](const auto &r) { return QString::fromLatin1(kindOf<std::decay_t<decltype(r)>>()); }, result);
}

QJsonObject taskResultToJson(const TaskResult &result)
{
    return std::visit([](const auto &r) { return toJson(r); }, result);
}

}  // namespace dw
