#pragma once
// Imports a CSV/TSV file of time series into a Table and says what it found in an
// ImportReport. Detects the dialect (CsvDialectSniffer), the time column and its format
// (TimestampParser: ISO date-time, date, d.m.y and m/d/y with or without a time, yyyymmdd,
// year-month, year-quarter, year,
// decimal year, Unix seconds or milliseconds, or a year column followed by a quarter or
// month column), the numeric columns (text columns are skipped and named in the report),
// then reads the file once, in 1 MiB blocks. Missing cells (empty, NA, NaN, null, text
// that is not a number) become NaN and are counted per column. Rows come out in time order;
// rows sharing a time stamp are merged (averaged by default, see DuplicatePolicy); rows
// whose time stamp cannot be read are dropped and counted. Errors name the line and say
// what to do: an empty file, a header without data, no numeric column, rows with a
// different number of fields (their line numbers), a file over the size limit, binary
// data, invalid UTF-8, an unclosed quote.
#include "core/io/import_report.h"
#include "core/io/table.h"
#include "core/io/table_read_options.h"
#include "core/util/result.h"

#include <QByteArray>
#include <QIODevice>
#include <QString>

namespace dw {

struct TableImport {
    Table table;
    ImportReport report;
};

class TableReader {
public:
    static Result<TableImport> readFile(const QString &path, const TableReadOptions &options = {});
    // Text held in memory; name is used in the report and in messages.
    static Result<TableImport> readText(const QByteArray &text, const QString &name = QStringLiteral("text"),
                                        const TableReadOptions &options = {});
    // An open, readable device positioned at the start of the table (peek must work).
    static Result<TableImport> readDevice(QIODevice *device, const QString &name, qint64 size,
                                          const TableReadOptions &options = {});
};

}  // namespace dw
