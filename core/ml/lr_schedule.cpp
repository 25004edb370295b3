#include "core/ml/lr_schedule.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace dw {

double learningRateAt(const LrScheduleOptions &options, qint64 step)
{
    step = std::max<qint64>(step, 0);
    if (step < options.warmupSteps)
        return options.baseLr * static_cast<double>(step + 1) / static_cast<double>(options.warmupSteps);

    const qint64 t = step - std::max<qint64>(options.warmupSteps, 0);
    if (options.kind == QLatin1String("cosine")) {
        const qint64 span = options.totalSteps - std::max<qint64>(options.warmupSteps, 0);
        if (span <= 0)
            return options.baseLr;
        const double progress = static_cast<double>(std::min(t, span)) / static_cast<double>(span);
        return options.minLr + (options.baseLr - options.minLr) * 0.5 * (1.0 + std::cos(std::numbers::pi * progress));
    }
    if (options.kind == QLatin1String("step")) {
        if (options.stepSize <= 0)
            return options.baseLr;
        return options.baseLr * std::pow(options.gamma, static_cast<double>(t / options.stepSize));
    }
    return options.baseLr;
}

bool isKnownLrSchedule(const QString &kind)
{
    return kind == QLatin1String("cosine") || kind == QLatin1String("step") || kind == QLatin1String("constant");
}

QString lrScheduleProblem(const LrScheduleOptions &options)
{
    if (!isKnownLrSchedule(options.kind))
        return QStringLiteral("unknown learning-rate schedule \"%1\": use cosine, step or constant").arg(options.kind);
    if (!(options.baseLr > 0.0) || !std::isfinite(options.baseLr))
        return QStringLiteral(
                   "the learning rate must be a positive number (got %1): try 1e-3 for Adam/AdamW or 0.1 for SGD")
            .arg(options.baseLr);
    if (options.warmupSteps < 0 || options.totalSteps < 0 || options.stepSize < 0)
        return QStringLiteral("schedule step counts cannot be negative");
    if (options.minLr < 0.0 || options.minLr > options.baseLr)
        return QStringLiteral("the final learning rate (%1) must lie between 0 and the learning rate (%2)")
            .arg(options.minLr)
            .arg(options.baseLr);
    if (options.kind == QLatin1String("step") && !(options.gamma > 0.0 && options.gamma <= 1.0))
        return QStringLiteral("the step schedule's factor gamma must lie in (0, 1] (got %1)").arg(options.gamma);
    return {};
}

}  // namespace dw
