#pragma once
// What one cell of a table holds: nothing (empty, NA, NaN, null, -, ?), a number (with a
// '.' or ',' decimal separator), a time stamp or other text. Used by the dialect sniffer
// to tell a header from data and by the reader for every cell, so it is allocation-free.
#include <optional>
#include <string_view>

namespace dw {

enum class CellKind { Missing, Number, Time, Text };

class CellParser {
public:
    // Empty, or a token spreadsheets and R/pandas write for "no value".
    static bool isMissing(std::string_view cell);
    // A finite number; decimal is '.' or ','. "1e-3", "+2", "-0.5" are numbers; "1,234.5",
    // "inf", "0x10" are not.
    static std::optional<double> number(std::string_view cell, char decimal);
    // Missing, Number, Time (one of the text time formats) or Text.
    static CellKind kind(std::string_view cell, char decimal);
};

}  // namespace dw
