#include "core/io/time_format_detector.h"

#include <algorithm>
#include <cmath>

namespace dw {
namespace {

std::string_view trimmed(std::string_view s)
{
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
        s.remove_suffix(1);
    return s;
}

bool contains(const QString &name, std::initializer_list<const char *> words)
{
    const QString n = name.trimmed().toLower();
    return std::any_of(words.begin(), words.end(), [&](const char *w) { return n == QLatin1String(w); });
}

}  // namespace

std::optional<TimeFormat> TimeFormatDetector::detectText(const std::vector<std::string_view> &samples)
{
    static constexpr TimeFormat kCandidates[] = {
        TimeFormat::IsoDate,      TimeFormat::IsoDateTime,  TimeFormat::YearMonth,        TimeFormat::YearQuarter,
        TimeFormat::DayMonthYear, TimeFormat::MonthDayYear, TimeFormat::DayMonthYearTime, TimeFormat::MonthDayYearTime};
    qsizetype nonEmpty = 0;
    for (auto s : samples)
        nonEmpty += !trimmed(s).empty();
    if (nonEmpty == 0)
        return std::nullopt;
    for (const TimeFormat f : kCandidates) {
        qsizetype hits = 0;
        for (auto s : samples)
            hits += TimestampParser::parse(s, f).has_value();
        if (hits * 10 >= nonEmpty * 9 && hits > 0) {
            // d/m/y vs m/d/y: day first unless a sample only parses month first.
            if (f == TimeFormat::DayMonthYear || f == TimeFormat::DayMonthYearTime) {
                const TimeFormat other =
                    f == TimeFormat::DayMonthYear ? TimeFormat::MonthDayYear : TimeFormat::MonthDayYearTime;
                qsizetype monthFirst = 0;
                for (auto s : samples)
                    monthFirst += TimestampParser::parse(s, other).has_value();
                if (monthFirst > hits)
                    return other;
            }
            return f;
        }
    }
    return std::nullopt;
}

bool TimeFormatDetector::isYearName(const QString &name)
{
    return contains(name, {"year", "years", "yr", "jahr", "annee", "année", "ano", "año", "anno"});
}

bool TimeFormatDetector::isTimeName(const QString &name)
{
    return isYearName(name) ||
           contains(name, {"time", "timestamp", "date", "datetime", "date_time", "epoch", "unix", "unixtime", "ts", "t",
                           "time_s", "seconds", "datum", "zeit", "fecha", "month", "period"});
}

std::optional<TimeFormat> TimeFormatDetector::detectNumber(const std::vector<double> &values, const QString &name,
                                                           bool firstColumn)
{
    std::vector<double> v;
    for (double x : values)
        if (std::isfinite(x))
            v.push_back(x);
    if (v.size() < 2)
        return std::nullopt;
    const bool hint = isTimeName(name);
    const bool allInteger = std::all_of(v.begin(), v.end(), [](double x) { return x == std::floor(x); });
    const auto [lo, hi] = std::minmax_element(v.begin(), v.end());
    qsizetype increasing = 0;
    std::vector<double> steps;
    for (size_t i = 1; i < v.size(); ++i) {
        increasing += v[i] > v[i - 1];
        steps.push_back(v[i] - v[i - 1]);
    }
    std::nth_element(steps.begin(), steps.begin() + steps.size() / 2, steps.end());
    const double medianStep = steps[steps.size() / 2];
    const bool mostlyIncreasing = increasing * 10 >= qsizetype(steps.size()) * 9;
    // Without a telling name, only a first column that counts up regularly is time.
    const bool plausible = hint || (firstColumn && mostlyIncreasing);
    if (!plausible)
        return std::nullopt;
    // 20240301: a date written as one number, only under a time-like name.
    if (hint && allInteger && *lo >= 10000101 && *hi <= 99991231 && std::all_of(v.begin(), v.end(), [](double x) {
            return TimestampParser::fromNumber(x, TimeFormat::CompactDate).has_value();
        }))
        return TimeFormat::CompactDate;
    if (*lo >= 1000 && *hi <= 2300) {
        if (allInteger && (isYearName(name) || hint || medianStep == 1))
            return TimeFormat::Year;
        if (!allInteger && medianStep > 0 && medianStep < 1 && mostlyIncreasing)
            return TimeFormat::DecimalYear;
    }
    if (!mostlyIncreasing || isYearName(name))
        return std::nullopt;
    // Without a telling name, a rising counter (bytes sent, say) could pass for Unix time:
    // clocks tick regularly, counters do not, so half the steps must be within 10 % of the median.
    if (!hint) {
        qsizetype regular = 0;
        for (double step : steps)
            regular += std::abs(step - medianStep) <= 0.1 * std::abs(medianStep);
        if (regular * 2 < qsizetype(steps.size()))
            return std::nullopt;
    }
    if (*lo >= 3.0e8 && *hi <= 4.2e9)
        return TimeFormat::UnixSeconds;
    if (*lo >= 3.0e11 && *hi <= 4.2e12)
        return TimeFormat::UnixMilliseconds;
    if (hint && *lo >= 0 && *hi <= 4.2e9 && *hi > 1e6)
        return TimeFormat::UnixSeconds;
    return std::nullopt;
}

}  // namespace dw
