#pragma once
// A table of numeric series read from a CSV/TSV file: one optional time column and the
// numeric columns, each a std::vector<double> with NaN where a value is missing. Rows are
// in time order with unique time stamps once TableReader has finished with them.
#include "core/io/timestamp_parser.h"

#include <QDateTime>
#include <QString>
#include <QStringList>

#include <vector>

namespace dw {

struct Table {
    QStringList names;                         // the numeric columns, in file order
    std::vector<std::vector<double>> columns;  // columns[c][row]; NaN = missing
    QString timeName;                          // header of the time column; empty without one
    TimeFormat timeFormat = TimeFormat::None;
    std::vector<double> time;  // seconds since 1970-01-01T00:00:00Z; empty without a time column

    qsizetype rowCount() const { return columns.empty() ? qsizetype(time.size()) : qsizetype(columns.front().size()); }
    qsizetype columnCount() const { return names.size(); }
    bool hasTime() const { return timeFormat != TimeFormat::None && !time.empty(); }
    // -1 when there is no column of that name (exact match first, then case-insensitive).
    qsizetype columnIndex(const QString &name) const;
    const std::vector<double> &column(qsizetype index) const { return columns[size_t(index)]; }
    // UTC date-time of a row; invalid without a time column.
    QDateTime dateTime(qsizetype row) const;
    // The row's time as the file wrote it ("1749-01", "1959Q1", ISO date-time), or the row
    // number (from 1) without a time column.
    QString timeText(qsizetype row) const;
};

}  // namespace dw
