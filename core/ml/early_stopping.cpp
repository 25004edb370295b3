#include "core/ml/early_stopping.h"

#include <algorithm>
#include <cmath>

namespace dw {

EarlyStopping::EarlyStopping(int patience, double minDelta)
    : m_patience(std::max(patience, 0)), m_minDelta(std::max(minDelta, 0.0))
{}

bool EarlyStopping::update(int epoch, double value)
{
    const bool improved = std::isfinite(value) && (!hasBest() || value > m_bestValue + m_minDelta);
    if (improved) {
        m_bestEpoch = epoch;
        m_bestValue = value;
        m_badEpochs = 0;
    } else {
        ++m_badEpochs;
    }
    return improved;
}

bool EarlyStopping::shouldStop() const
{
    return m_patience > 0 && m_badEpochs >= m_patience;
}

QJsonObject EarlyStopping::toJson() const
{
    return {{QStringLiteral("patience"), m_patience},
            {QStringLiteral("min_delta"), m_minDelta},
            {QStringLiteral("best_epoch"), m_bestEpoch},
            {QStringLiteral("best_value"), m_bestValue},
            {QStringLiteral("epochs_without_improvement"), m_badEpochs}};
}

EarlyStopping EarlyStopping::fromJson(const QJsonObject &json)
{
    EarlyStopping stopping(json.value(QStringLiteral("patience")).toInt(),
                           json.value(QStringLiteral("min_delta")).toDouble());
    stopping.m_bestEpoch = std::max(json.value(QStringLiteral("best_epoch")).toInt(), 0);
    stopping.m_bestValue = json.value(QStringLiteral("best_value")).toDouble();
    stopping.m_badEpochs = std::max(json.value(QStringLiteral("epochs_without_improvement")).toInt(), 0);
    return stopping;
}

}  // namespace dw
