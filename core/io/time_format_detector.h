#pragma once
// Decides whether a column holds time stamps, and in which format, from a sample of its
// cells: text formats by parsing (90 % of the non-empty cells must parse), numbers (years,
// decimal years, Unix time, yyyymmdd) by their range, their regularity and the column's
// name, so that a rising counter or a column of measurements is not taken for time.
#include "core/io/timestamp_parser.h"

#include <QString>

#include <optional>
#include <string_view>
#include <vector>

namespace dw {

class TimeFormatDetector {
public:
    // The text format that at least 90 % of the non-empty samples follow, if any; day and
    // month order of d/m/y dates is settled by the samples (day first when undecidable).
    static std::optional<TimeFormat> detectText(const std::vector<std::string_view> &samples);
    // For a column of numbers: a year, a decimal year, Unix time or yyyymmdd. A name that
    // tells time ("year", "time", "date", "timestamp", "epoch", ...) is a hint; without it
    // only a first column of regularly increasing values counts.
    static std::optional<TimeFormat> detectNumber(const std::vector<double> &values, const QString &name,
                                                  bool firstColumn);
    static bool isTimeName(const QString &name);
    static bool isYearName(const QString &name);
};

}  // namespace dw
