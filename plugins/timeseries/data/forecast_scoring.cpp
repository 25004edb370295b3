#include "plugins/timeseries/data/forecast_scoring.h"

#include <cmath>

namespace dw::timeseries {

int ForecastScoring::seasonLength(const SamplingReport &sampling, const std::vector<double> &trainingRows)
{
    const int calendar =
        ForecastMetrics::calendarSeasonLength(sampling.unit, sampling.medianStepSeconds, sampling.businessDays);
    if (calendar > 1)
        return calendar;
    return std::max(1, ForecastMetrics::estimateSeasonLength(trainingRows, 0, 1));
}

std::vector<TargetForecastMetrics> ForecastScoring::score(const SeriesSet &levels,
                                                          const std::vector<std::vector<double>> &oneStep,
                                                          RowRange rows, int seasonLength)
{
    std::vector<TargetForecastMetrics> out;
    for (std::size_t k = 0; k < levels.targets.size() && k < oneStep.size(); ++k) {
        std::vector<qsizetype> scored;
        std::vector<double> predicted;
        for (qsizetype r = rows.begin; r < rows.end; ++r) {
            if (std::isfinite(oneStep[k][size_t(r)])) {
                scored.push_back(r);
                predicted.push_back(oneStep[k][size_t(r)]);
            }
        }
        out.push_back(ForecastMetrics::evaluate(levels.targetNames.at(qsizetype(k)), levels.targets[k], scored,
                                                predicted, seasonLength, 1));
    }
    return out;
}

Result<std::vector<AnomalyDetector>> ForecastScoring::detectors(const SeriesSet &levels,
                                                                const std::vector<std::vector<double>> &oneStep,
                                                                RowRange rows, const AnomalySettings &settings)
{
    std::vector<AnomalyDetector> out;
    for (std::size_t k = 0; k < levels.targets.size() && k < oneStep.size(); ++k) {
        std::vector<double> residuals;
        for (qsizetype r = rows.begin; r < rows.end; ++r) {
            const double forecast = oneStep[k][size_t(r)];
            if (std::isfinite(forecast))
                residuals.push_back(levels.targets[k][size_t(r)] - forecast);
        }
        const QString target = levels.targetNames.at(qsizetype(k));
        Result<AnomalyDetector> detector = AnomalyDetector::fromResiduals(residuals, settings, target);
        if (!detector)
            return failure(QStringLiteral("cannot learn the alert threshold of %1: %2 (give more validation rows: a "
                                          "longer series or a larger --val-fraction)")
                               .arg(target, detector.error().message),
                           QStringLiteral("val-fraction"));
        out.push_back(detector.value());
    }
    return out;
}

}  // namespace dw::timeseries
