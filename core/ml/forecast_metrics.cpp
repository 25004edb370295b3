#include "core/ml/forecast_metrics.h"

#include <QJsonValue>

#include <cmath>

namespace dw {
namespace {

QJsonValue number(double v)
{
    return std::isfinite(v) ? QJsonValue(v) : QJsonValue(QJsonValue::Null);
}

double valueAt(const std::vector<double> &series, qsizetype row)
{
    return row >= 0 && row < qsizetype(series.size()) ? series[size_t(row)] : std::numeric_limits<double>::quiet_NaN();
}

}  // namespace

QJsonObject ForecastScores::toJson() const
{
    return {{QStringLiteral("mae"), number(mae)},
            {QStringLiteral("rmse"), number(rmse)},
            {QStringLiteral("smape"), number(smape)},
            {QStringLiteral("r2"), number(r2)},
            {QStringLiteral("count"), double(count)}};
}

double TargetForecastMetrics::maeGainOverNaive() const
{
    if (!(naive.mae > 0) || !std::isfinite(model.mae))
        return std::numeric_limits<double>::quiet_NaN();
    return 1.0 - model.mae / naive.mae;
}

QJsonObject TargetForecastMetrics::toJson() const
{
    QJsonObject o = model.toJson();
    QJsonObject seasonal = seasonalNaive.toJson();
    seasonal.insert(QStringLiteral("season_length"), seasonLength);
    o.insert(QStringLiteral("target"), target);
    o.insert(QStringLiteral("step"), step);
    o.insert(QStringLiteral("mae_gain_over_naive"), number(maeGainOverNaive()));
    o.insert(QStringLiteral("baselines"),
             QJsonObject{{QStringLiteral("naive"), naive.toJson()}, {QStringLiteral("seasonal_naive"), seasonal}});
    return o;
}

ForecastScores ForecastMetrics::score(const std::vector<double> &observed, const std::vector<double> &predicted)
{
    ForecastScores s;
    const size_t n = std::min(observed.size(), predicted.size());
    double absSum = 0, sqSum = 0, smapeSum = 0, obsSum = 0;
    for (size_t i = 0; i < n; ++i) {
        const double a = observed[i];
        const double f = predicted[i];
        if (std::isnan(a) || std::isnan(f))
            continue;
        const double e = f - a;
        absSum += std::abs(e);
        sqSum += e * e;
        const double denominator = std::abs(a) + std::abs(f);
        smapeSum += denominator > 0 ? 2.0 * std::abs(e) / denominator : 0.0;
        obsSum += a;
        ++s.count;
    }
    if (s.count == 0)
        return s;
    const double count = double(s.count);
    s.mae = absSum / count;
    s.rmse = std::sqrt(sqSum / count);
    s.smape = 100.0 * smapeSum / count;
    const double mean = obsSum / count;
    double total = 0;
    for (size_t i = 0; i < n; ++i)
        if (!std::isnan(observed[i]) && !std::isnan(predicted[i]))
            total += (observed[i] - mean) * (observed[i] - mean);
    if (total > 0)
        s.r2 = 1.0 - sqSum / total;
    else
        s.r2 = sqSum == 0 ? 1.0 : 0.0;
    return s;
}

std::vector<double> ForecastMetrics::naiveForecast(const std::vector<double> &series,
                                                   const std::vector<qsizetype> &rows, int step)
{
    std::vector<double> out(rows.size());
    for (size_t i = 0; i < rows.size(); ++i)
        out[i] = valueAt(series, rows[i] - std::max(step, 1));
    return out;
}

std::vector<double> ForecastMetrics::seasonalNaiveForecast(const std::vector<double> &series,
                                                           const std::vector<qsizetype> &rows, int seasonLength,
                                                           int step)
{
    const int s = std::max(seasonLength, 1);
    const int h = std::max(step, 1);
    const qsizetype back = qsizetype(s) * ((h + s - 1) / s);
    std::vector<double> out(rows.size());
    for (size_t i = 0; i < rows.size(); ++i)
        out[i] = valueAt(series, rows[i] - back);
    return out;
}

int ForecastMetrics::estimateSeasonLength(const std::vector<double> &series, int maxLag, int fallback)
{
    std::vector<double> x;
    x.reserve(series.size());
    for (double v : series)
        if (std::isfinite(v))
            x.push_back(v);
    const qsizetype n = qsizetype(x.size());
    if (n < 8)
        return fallback;
    qsizetype lagLimit = n / 2;
    lagLimit = std::min<qsizetype>(lagLimit, std::max<qsizetype>(8, qsizetype(2e7 / double(n))));
    if (maxLag > 0)
        lagLimit = std::min<qsizetype>(lagLimit, maxLag);
    double mean = 0;
    for (double v : x)
        mean += v;
    mean /= double(n);
    double variance = 0;
    for (double &v : x) {
        v -= mean;
        variance += v * v;
    }
    if (!(variance > 0))
        return fallback;
    std::vector<double> acf(size_t(lagLimit) + 2, 0.0);
    for (qsizetype k = 0; k <= lagLimit + 1 && k < n; ++k) {
        double sum = 0;
        for (qsizetype t = 0; t + k < n; ++t)
            sum += x[size_t(t)] * x[size_t(t + k)];
        acf[size_t(k)] = sum / variance;
    }
    // Skip the decay from lag 0: a smooth series correlates with itself at small lags.
    qsizetype k = 1;
    while (k <= lagLimit && acf[size_t(k)] < acf[size_t(k - 1)])
        ++k;
    int best = 0;
    double bestValue = 0.1;
    for (; k <= lagLimit; ++k) {
        const double v = acf[size_t(k)];
        if (k >= 2 && v >= acf[size_t(k - 1)] && v >= acf[size_t(k + 1)] && v > bestValue) {
            best = int(k);
            bestValue = v;
        }
    }
    return best >= 2 ? best : fallback;
}

int ForecastMetrics::calendarSeasonLength(TimeUnit unit, double medianStepSeconds, bool businessDays)
{
    switch (unit) {
    case TimeUnit::Month:
        return 12;
    case TimeUnit::Quarter:
        return 4;
    case TimeUnit::Day:
        return businessDays ? 5 : 7;
    case TimeUnit::Second:
        if (std::abs(medianStepSeconds - 3600) < 1)
            return 24;
        if (std::abs(medianStepSeconds - 86400) < 1)
            return 7;
        return 1;
    case TimeUnit::Year:
    case TimeUnit::Row:
        return 1;
    }
    return 1;
}

TargetForecastMetrics ForecastMetrics::evaluate(const QString &target, const std::vector<double> &series,
                                                const std::vector<qsizetype> &rows,
                                                const std::vector<double> &predicted, int seasonLength, int step)
{
    TargetForecastMetrics m;
    m.target = target;
    m.step = std::max(step, 1);
    m.seasonLength = std::max(seasonLength, 1);
    const std::vector<double> naive = naiveForecast(series, rows, m.step);
    const std::vector<double> seasonal = seasonalNaiveForecast(series, rows, m.seasonLength, m.step);
    std::vector<double> observed, model, naiveKept, seasonalKept;
    for (size_t i = 0; i < rows.size() && i < predicted.size(); ++i) {
        const double a = valueAt(series, rows[i]);
        if (std::isnan(a) || std::isnan(predicted[i]) || std::isnan(naive[i]) || std::isnan(seasonal[i]))
            continue;
        observed.push_back(a);
        model.push_back(predicted[i]);
        naiveKept.push_back(naive[i]);
        seasonalKept.push_back(seasonal[i]);
    }
    m.model = score(observed, model);
    m.naive = score(observed, naiveKept);
    m.seasonalNaive = score(observed, seasonalKept);
    return m;
}

QJsonObject ForecastMetrics::toJson(const std::vector<TargetForecastMetrics> &targets)
{
    QJsonObject o;
    for (const auto &t : targets)
        o.insert(t.target, t.toJson());
    return o;
}

}  // namespace dw
