#pragma once
// Choices a user can impose on TableReader instead of letting it detect them.
#include <QString>

#include <optional>

namespace dw {

// What happens to rows that share a time stamp.
enum class DuplicatePolicy {
    Average,    // one row whose values are the means of the duplicates' values (missing ones ignored)
    KeepFirst,  // the first row in file order
    KeepLast,   // the last row in file order (a corrected reading appended later)
};

struct TableReadOptions {
    std::optional<char> delimiter;  // ',', ';', '\t', '|' or ' ' (runs of blanks)
    std::optional<bool> header;     // whether the first row holds the column names
    std::optional<char> decimal;    // '.' or ','
    QString timeColumn;             // a header name or a 1-based column number; empty: detect
    bool noTimeColumn = false;      // rows are numbered, no column is taken as time
    DuplicatePolicy duplicates = DuplicatePolicy::Average;
    qint64 maxBytes = qint64(2) << 30;  // larger files are refused before anything is read
    qint64 sampleBytes = 64 * 1024;     // how much of the file the detection looks at
};

}  // namespace dw
