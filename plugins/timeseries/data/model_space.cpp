#include "plugins/timeseries/data/model_space.h"

namespace dw::timeseries {

Result<ModelSpace> ModelSpace::fit(const SeriesSet &levels, int differencing, ScalingKind scaling, qsizetype trainEnd)
{
    if (differencing < 0 || differencing > 1)
        return failure(QStringLiteral("differencing is 0 (levels) or 1 (changes from one step to the next), got %1")
                           .arg(differencing),
                       QStringLiteral("differencing"));
    ModelSpace space(differencing, {});
    std::vector<std::vector<double>> columns = space.encode(levels);
    const qsizetype end = trainEnd - differencing;
    if (end < 2)
        return failure(QStringLiteral("too few training rows to fit the scaling (%1)").arg(trainEnd),
                       QStringLiteral("csv"));
    Result<SeriesScaler> scaler = SeriesScaler::fit(scaling, columns, levels.featureNames(), 0, end);
    if (!scaler)
        return Error::at(QStringLiteral("scaling"), scaler.error().message);
    space.m_scaler = std::move(scaler).value();
    return space;
}

std::vector<std::vector<double>> ModelSpace::encode(const SeriesSet &levels) const
{
    std::vector<std::vector<double>> columns = levels.features();
    if (m_differencing > 0) {
        for (std::vector<double> &column : columns)
            column = SeriesPreparation::difference(column, m_differencing);
    }
    if (m_scaler.columnCount() == qsizetype(columns.size()))
        m_scaler.transform(columns);
    return columns;
}

std::vector<double> ModelSpace::decode(int target, const std::vector<double> &steps, double lastLevel) const
{
    std::vector<double> out(steps.size());
    double level = lastLevel;
    for (std::size_t h = 0; h < steps.size(); ++h) {
        const double value = m_scaler.columnCount() > target ? m_scaler.inverse(target, steps[h]) : steps[h];
        if (m_differencing > 0) {
            level += value;  // each step adds its change to the level before it
            out[h] = level;
        } else {
            out[h] = value;
        }
    }
    return out;
}

QJsonObject ModelSpace::toJson() const
{
    return {{QStringLiteral("differencing"), m_differencing}, {QStringLiteral("scaling"), m_scaler.toJson()}};
}

Result<ModelSpace> ModelSpace::fromJson(const QJsonObject &json)
{
    const int differencing = json.value(QStringLiteral("differencing")).toInt(0);
    if (differencing < 0 || differencing > 1)
        return failure(QStringLiteral("must be 0 or 1, got %1").arg(differencing),
                       QStringLiteral("inputs.differencing"));
    Result<SeriesScaler> scaler = SeriesScaler::fromJson(json.value(QStringLiteral("scaling")).toObject());
    if (!scaler)
        return Error::at(QStringLiteral("inputs.scaling"), scaler.error().message);
    return ModelSpace(differencing, std::move(scaler).value());
}

}  // namespace dw::timeseries
