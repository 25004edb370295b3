#include "core/ml/reduce_on_plateau.h"

#include <algorithm>
#include <cmath>

namespace dw {

ReduceOnPlateau::ReduceOnPlateau(double initialLr, const ReduceOnPlateauOptions &options)
    : m_options(options), m_lr(initialLr), m_best(0.0)
{}

QString ReduceOnPlateau::problem(const ReduceOnPlateauOptions &options)
{
    if (!(options.factor > 0.0 && options.factor < 1.0))
        return QStringLiteral("the plateau factor must lie strictly between 0 and 1 (got %1); 0.5 is common")
            .arg(options.factor);
    if (options.patience < 0)
        return QStringLiteral("the plateau patience must be 0 or more epochs (got %1)").arg(options.patience);
    if (!(options.threshold >= 0.0) || !(options.minLr >= 0.0))
        return QStringLiteral("the plateau threshold and minimum rate must be 0 or positive");
    return {};
}

double ReduceOnPlateau::update(double value)
{
    const bool improved = std::isfinite(value) && (!m_hasBest || value < m_best * (1.0 - m_options.threshold) ||
                                                   (m_best <= 0.0 && value < m_best));
    if (improved) {
        m_best = value;
        m_hasBest = true;
        m_badEpochs = 0;
        return m_lr;
    }
    if (++m_badEpochs > m_options.patience) {
        const double lowered = std::max(m_options.minLr, m_lr * m_options.factor);
        if (lowered < m_lr) {
            m_lr = lowered;
            ++m_reductions;
        }
        m_badEpochs = 0;
    }
    return m_lr;
}

QJsonObject ReduceOnPlateau::toJson() const
{
    return {{QStringLiteral("factor"), m_options.factor},
            {QStringLiteral("patience"), m_options.patience},
            {QStringLiteral("threshold"), m_options.threshold},
            {QStringLiteral("min_lr"), m_options.minLr},
            {QStringLiteral("lr"), m_lr},
            {QStringLiteral("best"), m_hasBest ? QJsonValue(m_best) : QJsonValue()},
            {QStringLiteral("bad_epochs"), m_badEpochs},
            {QStringLiteral("reductions"), m_reductions}};
}

ReduceOnPlateau ReduceOnPlateau::fromJson(const QJsonObject &json)
{
    ReduceOnPlateauOptions options;
    options.factor = json.value(QStringLiteral("factor")).toDouble(options.factor);
    options.patience = json.value(QStringLiteral("patience")).toInt(options.patience);
    options.threshold = json.value(QStringLiteral("threshold")).toDouble(options.threshold);
    options.minLr = json.value(QStringLiteral("min_lr")).toDouble(options.minLr);
    ReduceOnPlateau plateau(json.value(QStringLiteral("lr")).toDouble(1e-3), options);
    const QJsonValue best = json.value(QStringLiteral("best"));
    plateau.m_hasBest = best.isDouble();
    plateau.m_best = best.toDouble();
    plateau.m_badEpochs = json.value(QStringLiteral("bad_epochs")).toInt();
    plateau.m_reductions = json.value(QStringLiteral("reductions")).toInt();
    return plateau;
}

}  // namespace dw
