#pragma once
// Recognises and parses the time stamps of a table column. Every format becomes seconds
// since 1970-01-01T00:00:00 UTC (negative before 1970, so 1749-01 works), plus an
// "ordinal" in the format's own calendar unit (years, quarters, months, days or seconds)
// that the sampling analysis uses: months differ in length, so monthly data is only
// regular when counted in months. Hand-written parsers, no QDateTime, because a million
// rows must parse in well under a second. Time stamps without an offset are taken as UTC.
#include <QString>

#include <optional>
#include <string_view>
#include <vector>

namespace dw {

enum class TimeFormat {
    None,                // no time column: rows are numbered
    IsoDateTime,         // 2024-03-01T12:30:00, 2024-03-01 12:30, optional .fff and Z/±hh:mm
    IsoDate,             // 2024-03-01 (also 2024/03/01)
    DayMonthYear,        // 01.03.2024, 01/03/2024 (day first: a first field above 12 was seen)
    MonthDayYear,        // 03/01/2024 (month first: a second field above 12 was seen)
    YearMonth,           // 1749-01 (also 1749/01)
    YearQuarter,         // 1959Q1, 1959-Q1, 1959 Q1
    Year,                // 1700 (a number column named like a year, or a regular run of years)
    DecimalYear,         // 1749.042 (a year plus the fraction of it elapsed)
    UnixSeconds,         // 1700000000
    UnixMilliseconds,    // 1700000000000
    YearQuarterColumns,  // a year column followed by a quarter column (1..4), merged
    YearMonthColumns,    // a year column followed by a month column (1..12), merged
    DayMonthYearTime,    // 01.03.2024 12:30 (spreadsheet exports), optional :ss and offset
    MonthDayYearTime,    // 03/01/2024 12:30
    CompactDate,         // 20240301 (a number column named like a date)
};

// The calendar unit in which steps between time stamps are counted.
enum class TimeUnit { Row, Second, Day, Month, Quarter, Year };

struct ParsedTime {
    double seconds = 0;  // since 1970-01-01T00:00:00Z
    double ordinal = 0;  // in the format's unit (see unitOf)
};

class TimestampParser {
public:
    // "iso-datetime", "date", "year-month", ... : stable names for JSON.
    static QString formatId(TimeFormat format);
    // "ISO date-time", "date (day.month.year)", ... : for people.
    static QString formatName(TimeFormat format);
    static TimeUnit unitOf(TimeFormat format);
    static QString unitName(TimeUnit unit);

    // Parses one cell of a text format (IsoDateTime … YearQuarter) or of a number format
    // (Year, DecimalYear, UnixSeconds, UnixMilliseconds). Leading/trailing blanks allowed.
    static std::optional<ParsedTime> parse(std::string_view text, TimeFormat format);
    // Year and quarter (1..4) or month (1..12) from two columns.
    static std::optional<ParsedTime> fromYearAndPart(double year, double part, TimeFormat format);
    static std::optional<ParsedTime> fromNumber(double value, TimeFormat format);

    // Formats read from a number cell (Year, DecimalYear, Unix time, CompactDate).
    static bool isNumberFormat(TimeFormat format);

    // The time as text in the format's own style ("1749-01", "1959Q1", ISO for date-times).
    static QString toText(double seconds, TimeFormat format);

    // Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    static qint64 daysFromCivil(int year, int month, int day);
    static void civilFromDays(qint64 days, int &year, int &month, int &day);
    static double yearStartSeconds(int year);
    // seconds moved by `steps` units of the calendar: months and quarters keep the day of the
    // month (the last day when the month is shorter), years the month and day, whatever the
    // leap years in between; days and seconds are fixed lengths; Row adds nothing.
    static double advance(double seconds, TimeUnit unit, qint64 steps);
};

}  // namespace dw
