#include "core/io/cell_parser.h"

#include "core/io/timestamp_parser.h"

#include <array>
#include <charconv>
#include <cmath>
#include <cstring>

namespace dw {
namespace {

bool equalsNoCase(std::string_view a, std::string_view b)
{
    if (a.size() != b.size())
        return false;
    for (size_t i = 0; i < a.size(); ++i) {
        const char x = (a[i] >= 'A' && a[i] <= 'Z') ? char(a[i] - 'A' + 'a') : a[i];
        if (x != b[i])
            return false;
    }
    return true;
}

}  // namespace

bool CellParser::isMissing(std::string_view cell)
{
    if (cell.empty())
        return true;
    if (cell.size() > 6)
        return false;
    static constexpr std::array<std::string_view, 12> kTokens = {"na", "nan",  "n/a", "null", "none", "-",
                                                                 "?",  "#n/a", "nil", ".",    "--",   "missing"};
    for (const auto token : kTokens)
        if (equalsNoCase(cell, token))
            return true;
    return cell == "-nan" || equalsNoCase(cell, "#na");
}

std::optional<double> CellParser::number(std::string_view cell, char decimal)
{
    if (cell.empty() || cell.size() > 64)
        return std::nullopt;
    if (cell.front() == '+')
        cell.remove_prefix(1);
    const char c0 = cell.empty() ? '\0' : cell.front();
    // from_chars accepts "inf", "nan" and hex floats: none of them is a measurement.
    if (!((c0 >= '0' && c0 <= '9') || c0 == '-' || c0 == '.' || c0 == ','))
        return std::nullopt;
    double value = 0;
    if (decimal == ',') {
        char buffer[65];
        std::memcpy(buffer, cell.data(), cell.size());
        for (size_t i = 0; i < cell.size(); ++i) {
            if (buffer[i] == '.')
                return std::nullopt;  // a '.' in a decimal-comma file is a thousands separator or a date
            if (buffer[i] == ',')
                buffer[i] = '.';
        }
        const auto [end, ec] = std::from_chars(buffer, buffer + cell.size(), value);
        if (ec != std::errc() || end != buffer + cell.size())
            return std::nullopt;
    } else {
        const auto [end, ec] = std::from_chars(cell.data(), cell.data() + cell.size(), value);
        if (ec != std::errc() || end != cell.data() + cell.size())
            return std::nullopt;
    }
    if (!std::isfinite(value))
        return std::nullopt;
    return value;
}

CellKind CellParser::kind(std::string_view cell, char decimal)
{
    if (isMissing(cell))
        return CellKind::Missing;
    if (number(cell, decimal))
        return CellKind::Number;
    static constexpr TimeFormat kTextFormats[] = {
        TimeFormat::IsoDate,      TimeFormat::IsoDateTime,  TimeFormat::YearMonth,        TimeFormat::YearQuarter,
        TimeFormat::DayMonthYear, TimeFormat::MonthDayYear, TimeFormat::DayMonthYearTime, TimeFormat::MonthDayYearTime};
    for (const TimeFormat f : kTextFormats)
        if (TimestampParser::parse(cell, f))
            return CellKind::Time;
    return CellKind::Text;
}

}  // namespace dw
