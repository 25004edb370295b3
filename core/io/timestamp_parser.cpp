#include "core/io/timestamp_parser.h"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace dw {
namespace {

constexpr double kSecondsPerDay = 86400.0;
// Time stamps are years -9999 to 9999: Unix time beyond them is not a date anyone meant, and
// would overflow the day counts (fuzzing found 3e23 s).
constexpr double kEarliestSeconds = -377705203200.0;  // -9999-01-01T00:00:00Z
constexpr double kLatestSeconds = 253402300800.0;     // 10000-01-01T00:00:00Z
bool inCalendarRange(double seconds)
{
    return seconds >= kEarliestSeconds && seconds < kLatestSeconds;
}

// A cursor over one cell: reads fixed-width digit runs and separators.
struct Cursor {
    std::string_view s;
    size_t i = 0;
    bool done() const { return i >= s.size(); }
    char peek() const { return done() ? '\0' : s[i]; }
    bool eat(char c)
    {
        if (peek() != c)
            return false;
        ++i;
        return true;
    }
    // Between minDigits and maxDigits digits.
    bool digits(int minDigits, int maxDigits, int &out)
    {
        int n = 0;
        int v = 0;
        while (n < maxDigits && !done() && s[i] >= '0' && s[i] <= '9') {
            v = v * 10 + (s[i] - '0');
            ++i;
            ++n;
        }
        out = v;
        return n >= minDigits;
    }
};

std::string_view trimmed(std::string_view s)
{
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
        s.remove_suffix(1);
    return s;
}

bool validDate(int y, int m, int d)
{
    static constexpr int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12 || d < 1 || d > kDays[m - 1])
        return false;
    if (m == 2 && d == 29)
        return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return true;
}

ParsedTime dayTime(int y, int m, int d, double secondsOfDay = 0)
{
    const qint64 days = TimestampParser::daysFromCivil(y, m, d);
    return {double(days) * kSecondsPerDay + secondsOfDay, double(days)};
}

// "T12:30", " 12:30:05.25Z", " 12:30+01:00" after a date: seconds since midnight UTC
// (the offset taken off); the cursor must end with the cell.
std::optional<double> parseTimeOfDay(Cursor &c)
{
    if (!c.eat('T') && !c.eat(' '))
        return std::nullopt;
    while (c.eat(' ')) {
    }
    int hh = 0, mm = 0, ss = 0;
    double fraction = 0;
    if (!c.digits(1, 2, hh) || !c.eat(':') || !c.digits(2, 2, mm) || hh > 24 || mm > 59)
        return std::nullopt;
    if (c.eat(':')) {
        if (!c.digits(2, 2, ss) || ss > 60)
            return std::nullopt;
        if (c.eat('.') || c.eat(',')) {
            double scale = 0.1;
            int n = 0;
            while (!c.done() && c.peek() >= '0' && c.peek() <= '9') {
                fraction += (c.peek() - '0') * scale;
                scale *= 0.1;
                ++c.i;
                ++n;
            }
            if (n == 0)
                return std::nullopt;
        }
    }
    double offset = 0;
    while (c.eat(' ')) {
    }
    if (c.eat('Z') || c.eat('z')) {
    } else if (c.peek() == '+' || c.peek() == '-') {
        const double sign = c.peek() == '-' ? -1 : 1;
        ++c.i;
        int oh = 0, om = 0;
        if (!c.digits(2, 2, oh))
            return std::nullopt;
        c.eat(':');
        c.digits(0, 2, om);
        offset = sign * (oh * 3600.0 + om * 60.0);
    }
    if (!c.done())
        return std::nullopt;
    // local time + offset = UTC + offset ⇒ UTC = local − offset
    return hh * 3600.0 + mm * 60.0 + ss + fraction - offset;
}

std::optional<ParsedTime> parseIsoDateTime(Cursor c, bool requireTime)
{
    int y = 0, mo = 0, d = 0;
    if (!c.digits(4, 4, y))
        return std::nullopt;
    const char sep = c.peek();
    if (sep != '-' && sep != '/')
        return std::nullopt;
    ++c.i;
    if (!c.digits(1, 2, mo) || !c.eat(sep) || !c.digits(1, 2, d) || !validDate(y, mo, d))
        return std::nullopt;
    if (c.done())
        return requireTime ? std::nullopt : std::optional(dayTime(y, mo, d));
    if (!requireTime)
        return std::nullopt;
    const auto secondsOfDay = parseTimeOfDay(c);
    if (!secondsOfDay)
        return std::nullopt;
    ParsedTime t = dayTime(y, mo, d, *secondsOfDay);
    t.ordinal = t.seconds;
    return t;
}

// d.m.y or d/m/y (dayFirst) or m/d/y, with a time of day when withTime.
std::optional<ParsedTime> parseDmy(Cursor c, bool dayFirst, bool withTime)
{
    int a = 0, b = 0, y = 0;
    if (!c.digits(1, 2, a))
        return std::nullopt;
    const char sep = c.peek();
    if (sep != '.' && sep != '/' && sep != '-')
        return std::nullopt;
    ++c.i;
    if (!c.digits(1, 2, b) || !c.eat(sep) || !c.digits(4, 4, y))
        return std::nullopt;
    const int d = dayFirst ? a : b;
    const int m = dayFirst ? b : a;
    if (!validDate(y, m, d))
        return std::nullopt;
    if (!withTime)
        return c.done() ? std::optional(dayTime(y, m, d)) : std::nullopt;
    const auto secondsOfDay = parseTimeOfDay(c);
    if (!secondsOfDay)
        return std::nullopt;
    ParsedTime t = dayTime(y, m, d, *secondsOfDay);
    t.ordinal = t.seconds;
    return t;
}

std::optional<ParsedTime> parseYearMonth(Cursor c)
{
    int y = 0, m = 0;
    if (!c.digits(4, 4, y))
        return std::nullopt;
    if (!c.eat('-') && !c.eat('/'))
        return std::nullopt;
    if (!c.digits(1, 2, m) || !c.done() || m < 1 || m > 12)
        return std::nullopt;
    ParsedTime t = dayTime(y, m, 1);
    t.ordinal = y * 12.0 + (m - 1);
    return t;
}

std::optional<ParsedTime> parseYearQuarter(Cursor c)
{
    int y = 0, q = 0;
    if (!c.digits(4, 4, y))
        return std::nullopt;
    c.eat('-') || c.eat(' ');
    if (!c.eat('Q') && !c.eat('q'))
        return std::nullopt;
    if (!c.digits(1, 1, q) || !c.done() || q < 1 || q > 4)
        return std::nullopt;
    return TimestampParser::fromYearAndPart(y, q, TimeFormat::YearQuarterColumns);
}

std::optional<double> parseNumber(std::string_view s)
{
    double v = 0;
    if (!s.empty() && s.front() == '+')
        s.remove_prefix(1);
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || end != s.data() + s.size() || !std::isfinite(v))
        return std::nullopt;
    return v;
}

}  // namespace

qint64 TimestampParser::daysFromCivil(int y, int m, int d)
{
    y -= m <= 2;
    const qint64 era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = unsigned(y - era * 400);
    const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + qint64(doe) - 719468;
}

void TimestampParser::civilFromDays(qint64 z, int &year, int &month, int &day)
{
    z += 719468;
    const qint64 era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = unsigned(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    day = int(doy - (153 * mp + 2) / 5 + 1);
    month = int(mp < 10 ? mp + 3 : mp - 9);
    year = int(qint64(yoe) + era * 400 + (month <= 2));
}

double TimestampParser::yearStartSeconds(int year)
{
    return double(daysFromCivil(year, 1, 1)) * kSecondsPerDay;
}

double TimestampParser::advance(double seconds, TimeUnit unit, qint64 steps)
{
    if (unit == TimeUnit::Row)
        return seconds;
    if (unit == TimeUnit::Second)
        return seconds + double(steps);
    if (unit == TimeUnit::Day)
        return seconds + double(steps) * kSecondsPerDay;
    const qint64 days = qint64(std::floor(seconds / kSecondsPerDay));
    const double timeOfDay = seconds - double(days) * kSecondsPerDay;
    int year = 0, month = 0, day = 0;
    civilFromDays(days, year, month, day);
    const qint64 months = steps * (unit == TimeUnit::Year ? 12 : unit == TimeUnit::Quarter ? 3 : 1);
    const qint64 index = qint64(year) * 12 + (month - 1) + months;
    const int newYear = int(index >= 0 ? index / 12 : (index - 11) / 12);
    const int newMonth = int(index - qint64(newYear) * 12) + 1;
    const int monthLength =
        int(daysFromCivil(newMonth == 12 ? newYear + 1 : newYear, newMonth == 12 ? 1 : newMonth + 1, 1) -
            daysFromCivil(newYear, newMonth, 1));
    return double(daysFromCivil(newYear, newMonth, std::min(day, monthLength))) * kSecondsPerDay + timeOfDay;
}

QString TimestampParser::formatId(TimeFormat f)
{
    switch (f) {
    case TimeFormat::None:
        return QStringLiteral("none");
    case TimeFormat::IsoDateTime:
        return QStringLiteral("iso-datetime");
    case TimeFormat::IsoDate:
        return QStringLiteral("date");
    case TimeFormat::DayMonthYear:
        return QStringLiteral("day-month-year");
    case TimeFormat::MonthDayYear:
        return QStringLiteral("month-day-year");
    case TimeFormat::DayMonthYearTime:
        return QStringLiteral("day-month-year-time");
    case TimeFormat::MonthDayYearTime:
        return QStringLiteral("month-day-year-time");
    case TimeFormat::CompactDate:
        return QStringLiteral("compact-date");
    case TimeFormat::YearMonth:
        return QStringLiteral("year-month");
    case TimeFormat::YearQuarter:
        return QStringLiteral("year-quarter");
    case TimeFormat::Year:
        return QStringLiteral("year");
    case TimeFormat::DecimalYear:
        return QStringLiteral("decimal-year");
    case TimeFormat::UnixSeconds:
        return QStringLiteral("unix-seconds");
    case TimeFormat::UnixMilliseconds:
        return QStringLiteral("unix-milliseconds");
    case TimeFormat::YearQuarterColumns:
        return QStringLiteral("year+quarter-columns");
    case TimeFormat::YearMonthColumns:
        return QStringLiteral("year+month-columns");
    }
    return {};
}

QString TimestampParser::formatName(TimeFormat f)
{
    switch (f) {
    case TimeFormat::None:
        return QStringLiteral("none (rows numbered)");
    case TimeFormat::IsoDateTime:
        return QStringLiteral("ISO date-time");
    case TimeFormat::IsoDate:
        return QStringLiteral("date (year-month-day)");
    case TimeFormat::DayMonthYear:
        return QStringLiteral("date (day.month.year)");
    case TimeFormat::MonthDayYear:
        return QStringLiteral("date (month/day/year)");
    case TimeFormat::DayMonthYearTime:
        return QStringLiteral("date and time (day.month.year hh:mm)");
    case TimeFormat::MonthDayYearTime:
        return QStringLiteral("date and time (month/day/year hh:mm)");
    case TimeFormat::CompactDate:
        return QStringLiteral("date (yyyymmdd)");
    case TimeFormat::YearMonth:
        return QStringLiteral("year-month");
    case TimeFormat::YearQuarter:
        return QStringLiteral("year and quarter (1959Q1)");
    case TimeFormat::Year:
        return QStringLiteral("year");
    case TimeFormat::DecimalYear:
        return QStringLiteral("decimal year");
    case TimeFormat::UnixSeconds:
        return QStringLiteral("Unix time (seconds)");
    case TimeFormat::UnixMilliseconds:
        return QStringLiteral("Unix time (milliseconds)");
    case TimeFormat::YearQuarterColumns:
        return QStringLiteral("year and quarter columns");
    case TimeFormat::YearMonthColumns:
        return QStringLiteral("year and month columns");
    }
    return {};
}

TimeUnit TimestampParser::unitOf(TimeFormat f)
{
    switch (f) {
    case TimeFormat::None:
        return TimeUnit::Row;
    case TimeFormat::IsoDateTime:
    case TimeFormat::DayMonthYearTime:
    case TimeFormat::MonthDayYearTime:
    case TimeFormat::UnixSeconds:
    case TimeFormat::UnixMilliseconds:
        return TimeUnit::Second;
    case TimeFormat::CompactDate:
    case TimeFormat::IsoDate:
    case TimeFormat::DayMonthYear:
    case TimeFormat::MonthDayYear:
        return TimeUnit::Day;
    case TimeFormat::YearMonth:
    case TimeFormat::YearMonthColumns:
        return TimeUnit::Month;
    case TimeFormat::YearQuarter:
    case TimeFormat::YearQuarterColumns:
        return TimeUnit::Quarter;
    case TimeFormat::Year:
    case TimeFormat::DecimalYear:
        return TimeUnit::Year;
    }
    return TimeUnit::Row;
}

QString TimestampParser::unitName(TimeUnit u)
{
    switch (u) {
    case TimeUnit::Row:
        return QStringLiteral("row");
    case TimeUnit::Second:
        return QStringLiteral("second");
    case TimeUnit::Day:
        return QStringLiteral("day");
    case TimeUnit::Month:
        return QStringLiteral("month");
    case TimeUnit::Quarter:
        return QStringLiteral("quarter");
    case TimeUnit::Year:
        return QStringLiteral("year");
    }
    return {};
}

std::optional<ParsedTime> TimestampParser::parse(std::string_view text, TimeFormat format)
{
    text = trimmed(text);
    if (text.empty())
        return std::nullopt;
    const Cursor c{text, 0};
    switch (format) {
    case TimeFormat::IsoDateTime: {
        // A date-time column may hold bare dates at midnight.
        if (auto t = parseIsoDateTime(c, true))
            return t;
        if (auto t = parseIsoDateTime(c, false)) {
            t->ordinal = t->seconds;
            return t;
        }
        return std::nullopt;
    }
    case TimeFormat::IsoDate:
        return parseIsoDateTime(c, false);
    case TimeFormat::DayMonthYear:
        return parseDmy(c, true, false);
    case TimeFormat::MonthDayYear:
        return parseDmy(c, false, false);
    case TimeFormat::DayMonthYearTime:
        return parseDmy(c, true, true);
    case TimeFormat::MonthDayYearTime:
        return parseDmy(c, false, true);
    case TimeFormat::YearMonth:
        return parseYearMonth(c);
    case TimeFormat::YearQuarter:
        return parseYearQuarter(c);
    case TimeFormat::Year:
    case TimeFormat::DecimalYear:
    case TimeFormat::UnixSeconds:
    case TimeFormat::UnixMilliseconds:
    case TimeFormat::CompactDate:
        if (const auto v = parseNumber(text))
            return fromNumber(*v, format);
        return std::nullopt;
    case TimeFormat::None:
    case TimeFormat::YearQuarterColumns:
    case TimeFormat::YearMonthColumns:
        return std::nullopt;
    }
    return std::nullopt;
}

std::optional<ParsedTime> TimestampParser::fromNumber(double v, TimeFormat format)
{
    if (!std::isfinite(v))
        return std::nullopt;
    switch (format) {
    case TimeFormat::Year: {
        if (v != std::floor(v) || v < -9999 || v > 9999)
            return std::nullopt;
        return ParsedTime{yearStartSeconds(int(v)), v};
    }
    case TimeFormat::DecimalYear: {
        if (v < -9999 || v > 9999)
            return std::nullopt;
        const int y = int(std::floor(v));
        const double start = yearStartSeconds(y);
        return ParsedTime{start + (v - y) * (yearStartSeconds(y + 1) - start), v};
    }
    case TimeFormat::UnixSeconds:
        if (!inCalendarRange(v))
            return std::nullopt;
        return ParsedTime{v, v};
    case TimeFormat::CompactDate: {
        if (v != std::floor(v) || v < 10000101 || v > 99991231)
            return std::nullopt;
        const auto n = qint64(v);
        const int y = int(n / 10000), m = int(n / 100 % 100), d = int(n % 100);
        if (!validDate(y, m, d))
            return std::nullopt;
        return dayTime(y, m, d);
    }
    case TimeFormat::UnixMilliseconds:
        if (!inCalendarRange(v / 1000.0))
            return std::nullopt;
        return ParsedTime{v / 1000.0, v / 1000.0};
    default:
        return std::nullopt;
    }
}

std::optional<ParsedTime> TimestampParser::fromYearAndPart(double year, double part, TimeFormat format)
{
    if (year != std::floor(year) || part != std::floor(part) || std::abs(year) > 9999)
        return std::nullopt;
    const int y = int(year);
    const int p = int(part);
    if (format == TimeFormat::YearQuarterColumns || format == TimeFormat::YearQuarter) {
        if (p < 1 || p > 4)
            return std::nullopt;
        ParsedTime t = dayTime(y, 3 * (p - 1) + 1, 1);
        t.ordinal = y * 4.0 + (p - 1);
        return t;
    }
    if (format == TimeFormat::YearMonthColumns || format == TimeFormat::YearMonth) {
        if (p < 1 || p > 12)
            return std::nullopt;
        ParsedTime t = dayTime(y, p, 1);
        t.ordinal = y * 12.0 + (p - 1);
        return t;
    }
    return std::nullopt;
}

bool TimestampParser::isNumberFormat(TimeFormat format)
{
    return format == TimeFormat::Year || format == TimeFormat::DecimalYear || format == TimeFormat::UnixSeconds ||
           format == TimeFormat::UnixMilliseconds || format == TimeFormat::CompactDate;
}

QString TimestampParser::toText(double seconds, TimeFormat format)
{
    if (!inCalendarRange(seconds))
        return {};
    const qint64 days = qint64(std::floor(seconds / kSecondsPerDay));
    int y = 0, m = 0, d = 0;
    civilFromDays(days, y, m, d);
    const auto pad = [](int v, int w) { return QString::number(v).rightJustified(w, QLatin1Char('0')); };
    switch (format) {
    case TimeFormat::Year:
        return QString::number(y);
    case TimeFormat::YearMonth:
    case TimeFormat::YearMonthColumns:
        return QString::number(y) + QLatin1Char('-') + pad(m, 2);
    case TimeFormat::YearQuarter:
    case TimeFormat::YearQuarterColumns:
        return QString::number(y) + QLatin1Char('Q') + QString::number((m - 1) / 3 + 1);
    case TimeFormat::DecimalYear: {
        const double start = yearStartSeconds(y);
        return QString::number(y + (seconds - start) / (yearStartSeconds(y + 1) - start), 'f', 3);
    }
    case TimeFormat::IsoDate:
    case TimeFormat::DayMonthYear:
    case TimeFormat::MonthDayYear:
    case TimeFormat::CompactDate:
        return QString::number(y) + QLatin1Char('-') + pad(m, 2) + QLatin1Char('-') + pad(d, 2);
    case TimeFormat::None:
        return QString::number(seconds, 'g', 15);
    case TimeFormat::IsoDateTime:
    case TimeFormat::DayMonthYearTime:
    case TimeFormat::MonthDayYearTime:
    case TimeFormat::UnixSeconds:
    case TimeFormat::UnixMilliseconds:
        break;
    }
    const double secOfDay = seconds - double(days) * kSecondsPerDay;
    const int whole = int(std::floor(secOfDay));
    const int ms = int(std::lround((secOfDay - whole) * 1000.0));
    QString text = QString::number(y) + QLatin1Char('-') + pad(m, 2) + QLatin1Char('-') + pad(d, 2) + QLatin1Char('T') +
                   pad(whole / 3600, 2) + QLatin1Char(':') + pad(whole / 60 % 60, 2) + QLatin1Char(':') +
                   pad(whole % 60, 2);
    if (ms > 0 && ms < 1000)
        text += QLatin1Char('.') + pad(ms, 3);
    return text + QLatin1Char('Z');
}

}  // namespace dw
