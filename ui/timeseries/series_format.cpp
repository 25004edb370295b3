#include "ui/timeseries/series_format.h"

#include <algorithm>
#include <cmath>

namespace dw {

namespace {

// Whether v written with d decimals is v (up to the rounding of the parse).
bool writesExactly(double v, int d)
{
    const double scaled = v * std::pow(10.0, d);
    return std::abs(scaled - std::round(scaled)) <= 1e-9 * std::max(1.0, std::abs(scaled));
}

}  // namespace

int SeriesFormat::dataDecimals(const double *values, qsizetype count)
{
    // A long series is sampled: its decimals do not change along it.
    const qsizetype stride = std::max<qsizetype>(1, count / 200000);
    int most = 0;
    for (qsizetype i = 0; i < count && most < kMaxDecimals; i += stride) {
        const double v = values[i];
        if (!std::isfinite(v))
            continue;
        int d = most;
        while (d < kMaxDecimals && !writesExactly(v, d))
            ++d;
        most = d;
    }
    return most;
}

int SeriesFormat::decimals(const double *values, qsizetype count)
{
    double low = qInf(), high = -qInf(), largest = 0;
    for (qsizetype i = 0; i < count; ++i) {
        const double v = values[i];
        if (!std::isfinite(v))
            continue;
        low = std::min(low, v);
        high = std::max(high, v);
        largest = std::max(largest, std::abs(v));
    }
    if (!(high >= low))
        return 2;
    const double spread = high > low ? high - low : (largest > 0 ? largest : 1.0);
    return std::min(significantDecimals(spread, 4), std::max(dataDecimals(values, count), 1));
}

int SeriesFormat::significantDecimals(double magnitude, int digits)
{
    magnitude = std::abs(magnitude);
    if (!std::isfinite(magnitude) || magnitude == 0)
        return std::clamp(digits - 1, 0, kMaxDecimals);
    const int d = digits - 1 - int(std::floor(std::log10(magnitude)));
    return std::clamp(d, 0, kMaxDecimals);
}

QString SeriesFormat::number(double value, int decimals)
{
    if (!std::isfinite(value))
        return {};
    decimals = std::clamp(decimals, 0, 15);
    // -0.04 with one decimal is 0.0, not -0.0.
    if (std::abs(value) < 0.5 * std::pow(10.0, -decimals))
        value = 0.0;
    return QString::number(value, 'f', decimals);
}

int EvenDecimalsTicker::decimalsFor(double step)
{
    step = std::abs(step);
    if (!std::isfinite(step) || step == 0)
        return 0;
    int d = 0;
    while (d < 12 && std::abs(step * std::pow(10.0, d) - std::round(step * std::pow(10.0, d))) >
                         1e-6 * std::max(1.0, step * std::pow(10.0, d)))
        ++d;
    return d;
}

QVector<QString> EvenDecimalsTicker::createLabelVector(const QVector<double> &ticks, const QLocale &locale,
                                                       QChar formatChar, int precision)
{
    if (ticks.size() < 2)
        return QCPAxisTicker::createLabelVector(ticks, locale, formatChar, precision);
    const double step = ticks.at(1) - ticks.at(0);
    const int d = decimalsFor(step);
    QVector<QString> labels;
    labels.reserve(ticks.size());
    for (double tick : ticks)
        labels << locale.toString(std::abs(tick) < std::abs(step) * 1e-6 ? 0.0 : tick, 'f', d);
    return labels;
}

}  // namespace dw
