#pragma once
// Guesses how a delimited text file is written from its first bytes: the delimiter (the
// candidate that splits the lines into the same number (≥ 2) of fields, quote-aware,
// preferring tab, semicolon, pipe, comma, then runs of blanks), the decimal separator
// (',' only when the delimiter is not a comma and comma decimals outnumber dot ones),
// leading '#' comment lines, and whether the first row is a header (one of its cells is
// text where the rest of its column holds numbers or dates). Refuses binary files, UTF-16
// and files with no content, with a message saying what to do.
#include "core/io/csv_record_reader.h"
#include "core/io/table_read_options.h"
#include "core/util/result.h"

#include <QByteArray>

#include <string>
#include <vector>

namespace dw {

class CsvDialectSniffer {
public:
    // sample: the start of the file; wholeFile: whether it is all of it (else its last,
    // possibly cut line is ignored). Choices set in options are kept as given.
    static Result<CsvDialect> sniff(const QByteArray &sample, bool wholeFile, const TableReadOptions &options = {});

    // The records of the sample under a dialect, comment lines left out (at most maxRows).
    static std::vector<std::vector<std::string>> records(const QByteArray &sample, bool wholeFile,
                                                         const CsvDialect &dialect, int maxRows = 1000);
};

}  // namespace dw
