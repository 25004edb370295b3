#pragma once
// Forecast accuracy per target — MAE, RMSE, SMAPE, R² — with the two baselines a forecast
// must beat to be worth anything: naive persistence (the last known value) and seasonal
// naive (the value one season earlier), scored on exactly the same points as the model.
// No LibTorch: plain vectors in the series' original units (after inverse scaling and
// undifferencing).
#include "core/io/timestamp_parser.h"

#include <QJsonObject>
#include <QString>

#include <limits>
#include <vector>

namespace dw {

struct ForecastScores {
    qint64 count = 0;  // points scored
    double mae = std::numeric_limits<double>::quiet_NaN();
    double rmse = std::numeric_limits<double>::quiet_NaN();
    double smape = std::numeric_limits<double>::quiet_NaN();  // percent, 0 … 200
    double r2 = std::numeric_limits<double>::quiet_NaN();
    // {"mae", "rmse", "smape", "r2", "count"}; NaN (no points) as null.
    QJsonObject toJson() const;
};

struct TargetForecastMetrics {
    QString target;
    int step = 1;          // the forecast step scored (1 = one step ahead)
    int seasonLength = 1;  // of the seasonal-naive baseline
    ForecastScores model;
    ForecastScores naive;
    ForecastScores seasonalNaive;

    // 1 − MAE(model) / MAE(naive): 0.1 means 10 % better than persistence; NaN when undefined.
    double maeGainOverNaive() const;
    // The model's scores with "baselines": {"naive": {...}, "seasonal_naive": {..., "season_length"}}
    // plus "step" and "target", as `deepwb evaluate --json` prints them per target.
    QJsonObject toJson() const;
};

class ForecastMetrics {
public:
    // Pairs where either value is NaN are left out. SMAPE terms with |observed| + |predicted|
    // = 0 count as 0 (both zero: a perfect forecast). R² follows scikit-learn when the
    // observed values are constant: 1 for a perfect forecast, else 0. No pairs: all NaN.
    static ForecastScores score(const std::vector<double> &observed, const std::vector<double> &predicted);

    // Baseline forecasts of series[rows[i]] made `step` rows ahead: naive takes the last
    // value known then, series[r − step]; seasonal naive the latest value one or more whole
    // seasons earlier, series[r − s·ceil(step / s)]. NaN where that row is before the start.
    static std::vector<double> naiveForecast(const std::vector<double> &series, const std::vector<qsizetype> &rows,
                                             int step = 1);
    static std::vector<double> seasonalNaiveForecast(const std::vector<double> &series,
                                                     const std::vector<qsizetype> &rows, int seasonLength,
                                                     int step = 1);

    // The lag of the highest autocorrelation peak after the first dip (lag ≥ 2, correlation
    // above 0.1), looked for up to maxLag (0: up to half the series, at most what 2·10⁷
    // products allow); `fallback` when there is none.
    static int estimateSeasonLength(const std::vector<double> &series, int maxLag = 0, int fallback = 1);
    // The usual season of a sampling: 12 for months, 4 for quarters, 7 for days (5 for
    // business days), 24 for hourly data, 1 for years and anything else.
    static int calendarSeasonLength(TimeUnit unit, double medianStepSeconds = 0, bool businessDays = false);

    // Model and baselines on the same points: those rows where the observation, the model's
    // forecast and both baselines all exist. predicted[i] is the model's forecast of
    // series[rows[i]] made `step` rows ahead.
    static TargetForecastMetrics evaluate(const QString &target, const std::vector<double> &series,
                                          const std::vector<qsizetype> &rows, const std::vector<double> &predicted,
                                          int seasonLength, int step = 1);
    // {"<target>": {...}, ...} for several targets.
    static QJsonObject toJson(const std::vector<TargetForecastMetrics> &targets);
};

}  // namespace dw
