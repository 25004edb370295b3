#pragma once
// Reads single CSV lines as they arrive — rows appended to a file, lines sent over a socket
// — with the layout of the table a model learnt from (delimiter, decimal separator, column
// order, time column and format, all from its ImportReport). A line that cannot be read is
// an Error saying why, so that a stream can skip it, count it and go on.
#include "core/io/import_report.h"
#include "core/util/result.h"

#include <QByteArray>
#include <QStringList>

#include <limits>
#include <vector>

namespace dw {

struct StreamRow {
    double time = std::numeric_limits<double>::quiet_NaN();  // seconds since 1970; NaN without a time column
    std::vector<double> values;  // in the order of CsvLineParser::names(); NaN = a missing value (empty, NA, ...)
};

class CsvLineParser {
public:
    CsvLineParser() = default;

    // The layout of an imported file; `columns` are the numeric columns to return, by
    // name (the model's targets, then its inputs). Unknown names are an error.
    static Result<CsvLineParser> fromReport(const ImportReport &report, const QStringList &columns);

    const QStringList &names() const { return m_names; }
    bool hasTime() const { return m_timeIndex >= 0; }
    int fieldCount() const { return int(m_fileColumns.size()); }

    // Whether the line repeats the header (a sender that restarts may send it again).
    bool isHeader(const QByteArray &line) const;
    // One line, with or without its line break. Errors: a blank line, a different number of
    // fields, an unreadable time stamp, text where a number belongs.
    Result<StreamRow> parse(const QByteArray &line) const;

private:
    char m_delimiter = ',';
    bool m_whitespace = false;
    char m_decimal = '.';
    QStringList m_fileColumns;
    int m_timeIndex = -1;
    int m_partIndex = -1;
    TimeFormat m_timeFormat = TimeFormat::None;
    std::vector<int> m_valueIndices;
    QStringList m_names;
};

}  // namespace dw
