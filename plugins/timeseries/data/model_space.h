#pragma once
// The way between a series' levels and the numbers a network reads and writes: optional
// differencing (lag 1: row t holds x[t + 1] − x[t]) and then scaling, fitted on the
// training rows only. Transformed row t stands for level row t + d (d = differencing), so a
// forecast of transformed rows is turned back into levels from the last level known when
// it was made. Plain C++: the trainer, the predictor and the tests share it.
#include "core/io/series_preparation.h"
#include "core/io/series_scaler.h"
#include "core/util/result.h"

#include <QJsonObject>

#include <vector>

namespace dw::timeseries {

class ModelSpace {
public:
    ModelSpace() = default;
    ModelSpace(int differencing, SeriesScaler scaler) : m_differencing(differencing), m_scaler(std::move(scaler)) {}

    // Fits the scaler on the transformed rows that come from level rows [0, trainEnd).
    static Result<ModelSpace> fit(const SeriesSet &levels, int differencing, ScalingKind scaling, qsizetype trainEnd);

    int differencing() const { return m_differencing; }
    const SeriesScaler &scaler() const { return m_scaler; }
    // The level row a transformed row stands for, and back.
    qsizetype levelRow(qsizetype transformedRow) const { return transformedRow + m_differencing; }
    qsizetype transformedRow(qsizetype levelRow) const { return levelRow - m_differencing; }

    // Every feature (targets first, then inputs) as the network reads it: length − d rows.
    std::vector<std::vector<double>> encode(const SeriesSet &levels) const;
    // Levels of one target from the network's outputs for H consecutive steps (scaled,
    // transformed), given the level of the row just before the first step.
    std::vector<double> decode(int target, const std::vector<double> &steps, double lastLevel) const;

    // {"differencing": d, "scaling": SeriesScaler::toJson()}
    QJsonObject toJson() const;
    static Result<ModelSpace> fromJson(const QJsonObject &json);

private:
    int m_differencing = 0;
    SeriesScaler m_scaler;
};

}  // namespace dw::timeseries
