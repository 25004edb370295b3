#pragma once
// Scores one-step forecasts of a series against its observations and the two baselines,
// and learns each target's anomaly threshold from residuals. Plain C++ over the levels
// (SeriesSet) and the forecasts ([target][row], NaN where there is none).
#include "core/io/import_report.h"
#include "core/io/series_preparation.h"
#include "core/ml/anomaly_detector.h"
#include "core/ml/forecast_metrics.h"
#include "core/util/result.h"

#include <vector>

namespace dw::timeseries {

class ForecastScoring {
public:
    // The calendar season of the sampling (12 for months, 4 for quarters, 5 or 7 for days,
    // 24 for hours); else the autocorrelation peak of the training rows; else 1.
    static int seasonLength(const SamplingReport &sampling, const std::vector<double> &trainingRows);

    // Per target, on level rows [rows.begin, rows.end) where a forecast exists.
    static std::vector<TargetForecastMetrics>
    score(const SeriesSet &levels, const std::vector<std::vector<double>> &oneStep, RowRange rows, int seasonLength);
    // One detector per target from residuals (observed − forecast) on those rows.
    static Result<std::vector<AnomalyDetector>> detectors(const SeriesSet &levels,
                                                          const std::vector<std::vector<double>> &oneStep,
                                                          RowRange rows, const AnomalySettings &settings);
};

}  // namespace dw::timeseries
