#include "core/io/table_reader.h"

#include "core/io/cell_parser.h"
#include "core/io/csv_dialect_sniffer.h"
#include "core/io/csv_record_reader.h"
#include "core/io/time_format_detector.h"
#include "core/io/time_ordering.h"

#include <QBuffer>
#include <QFile>
#include <QFileInfo>

#include <cmath>
#include <limits>

namespace dw {
namespace {

enum class Role { Skip, Time, TimePart, Numeric };

// Which column is what, decided on the sample.
struct Layout {
    QStringList names;  // every column of the file
    std::vector<Role> roles;
    int timeIndex = -1;
    int partIndex = -1;  // quarter or month column after a year column
    TimeFormat timeFormat = TimeFormat::None;
    bool rowNames = false;  // column 0 holds row numbers under an empty name: skipped
};

QString sizeText(qint64 bytes)
{
    if (bytes >= (qint64(1) << 30))
        return QStringLiteral("%1 GiB").arg(double(bytes) / double(qint64(1) << 30), 0, 'f', 1);
    if (bytes >= (1 << 20))
        return QStringLiteral("%1 MiB").arg(double(bytes) / double(1 << 20), 0, 'f', 1);
    return QStringLiteral("%1 bytes").arg(bytes);
}

QString quoted(std::string_view s)
{
    QString text = QString::fromUtf8(s.data(), qsizetype(std::min<size_t>(s.size(), 40)));
    return QLatin1Char('"') + text + (s.size() > 40 ? QStringLiteral("…\"") : QStringLiteral("\""));
}

bool nameIn(const QString &name, std::initializer_list<const char *> words)
{
    const QString n = name.trimmed().toLower();
    return std::any_of(words.begin(), words.end(), [&](const char *w) { return n == QLatin1String(w); });
}

// Column names from the header row (or "column N"). R's write.table leaves out the name of
// its row-name column, so a header one field short of the data rows gets an empty first name.
QStringList columnNames(const std::vector<std::vector<std::string>> &rows, bool header, bool &unnamedFirst)
{
    QStringList names;
    unnamedFirst = false;
    if (rows.empty())
        return names;
    std::vector<std::string> first = rows.front();
    if (header && rows.size() > 1) {
        size_t oneMore = 0;
        for (size_t r = 1; r < rows.size(); ++r)
            oneMore += rows[r].size() == first.size() + 1;
        if (oneMore * 10 >= (rows.size() - 1) * 9)
            first.insert(first.begin(), std::string());
    }
    unnamedFirst = header && !first.empty() && first.front().empty();
    for (size_t c = 0; c < first.size(); ++c) {
        QString name = header ? QString::fromUtf8(first[c].data(), qsizetype(first[c].size())).trimmed() : QString();
        if (name.isEmpty())
            name = QStringLiteral("column %1").arg(c + 1);
        QString unique = name;
        for (int k = 2; names.contains(unique); ++k)
            unique = QStringLiteral("%1 (%2)").arg(name).arg(k);
        names.append(unique);
    }
    return names;
}

// Row numbers 1, 2, 3, ... (or any run counting up by one) under an empty header: the row
// names R and pandas write, not a series.
bool isRowNumbers(const std::vector<std::vector<std::string>> &rows, size_t firstData, char decimal)
{
    std::optional<double> previous;
    size_t count = 0;
    for (size_t r = firstData; r < rows.size(); ++r) {
        if (rows[r].empty())
            continue;
        const auto v = CellParser::number(rows[r].front(), decimal);
        if (!v || (previous && *v != *previous + 1))
            return false;
        previous = v;
        ++count;
    }
    return count > 0;
}

// The time format of column c on the sample rows, or None.
TimeFormat detectTimeFormat(const std::vector<std::vector<std::string>> &rows, size_t firstData, int c,
                            const QString &name, char decimal, bool forced)
{
    std::vector<std::string_view> cells;
    std::vector<double> numbers;
    for (size_t r = firstData; r < rows.size(); ++r) {
        if (size_t(c) >= rows[r].size())
            continue;
        const std::string_view cell = rows[r][size_t(c)];
        if (CellParser::isMissing(cell))
            continue;
        cells.push_back(cell);
        numbers.push_back(CellParser::number(cell, decimal).value_or(std::numeric_limits<double>::quiet_NaN()));
    }
    if (const auto f = TimeFormatDetector::detectText(cells))
        return *f;
    qsizetype finite = 0;
    for (double v : numbers)
        finite += std::isfinite(v);
    if (finite * 10 < qsizetype(numbers.size()) * 9)
        return TimeFormat::None;
    if (const auto f =
            TimeFormatDetector::detectNumber(numbers, forced ? QStringLiteral("time") : name, c == 0 || forced))
        return *f;
    return TimeFormat::None;
}

Result<Layout> detectLayout(const std::vector<std::vector<std::string>> &rows, const CsvDialect &dialect,
                            const TableReadOptions &options)
{
    Layout layout;
    bool unnamedFirst = false;
    layout.names = columnNames(rows, dialect.header, unnamedFirst);
    const int columns = int(layout.names.size());
    const size_t firstData = dialect.header ? 1 : 0;
    layout.roles.assign(size_t(columns), Role::Skip);
    layout.rowNames = unnamedFirst && isRowNumbers(rows, firstData, dialect.decimal);

    if (!options.noTimeColumn && !options.timeColumn.isEmpty()) {
        int index = -1;
        for (int c = 0; c < columns && index < 0; ++c)
            if (layout.names[c].compare(options.timeColumn.trimmed(), Qt::CaseInsensitive) == 0)
                index = c;
        bool isNumber = false;
        const int number = options.timeColumn.toInt(&isNumber);
        if (index < 0 && isNumber && number >= 1 && number <= columns)
            index = number - 1;
        if (index < 0)
            return failure(QStringLiteral("There is no column \"%1\" to take the time from. The columns are: %2.")
                               .arg(options.timeColumn, layout.names.join(QStringLiteral(", "))));
        layout.timeFormat = detectTimeFormat(rows, firstData, index, layout.names[index], dialect.decimal, true);
        if (layout.timeFormat == TimeFormat::None)
            return failure(QStringLiteral("Column \"%1\" does not hold time stamps in a known format (ISO date or "
                                          "date-time, day.month.year with or without a time, yyyymmdd, year-month, "
                                          "1959Q1, a year, a decimal year "
                                          "or Unix seconds). Choose another time column, or none.")
                               .arg(layout.names[index]));
        layout.timeIndex = index;
    } else if (!options.noTimeColumn) {
        for (int c = layout.rowNames ? 1 : 0; c < columns && layout.timeIndex < 0; ++c) {
            const TimeFormat f = detectTimeFormat(rows, firstData, c, layout.names[c], dialect.decimal, false);
            if (f != TimeFormat::None) {
                layout.timeIndex = c;
                layout.timeFormat = f;
            }
        }
    }
    if (layout.timeIndex >= 0) {
        layout.roles[size_t(layout.timeIndex)] = Role::Time;
        // macrodata.csv style: "year","quarter",... — one time stamp from two columns.
        const int next = layout.timeIndex + 1;
        if (layout.timeFormat == TimeFormat::Year && next < columns) {
            const QString &n = layout.names[next];
            const bool quarter = nameIn(n, {"quarter", "qtr", "q", "quartal", "trimestre"});
            const bool month = nameIn(n, {"month", "mon", "m", "monat", "mois", "mes"});
            if (quarter || month) {
                const int top = quarter ? 4 : 12;
                bool fits = true;
                for (size_t r = firstData; r < rows.size() && fits; ++r) {
                    const auto v = size_t(next) < rows[r].size()
                                       ? CellParser::number(rows[r][size_t(next)], dialect.decimal)
                                       : std::nullopt;
                    fits = v && *v == std::floor(*v) && *v >= 1 && *v <= top;
                }
                if (fits) {
                    layout.partIndex = next;
                    layout.roles[size_t(next)] = Role::TimePart;
                    layout.timeFormat = quarter ? TimeFormat::YearQuarterColumns : TimeFormat::YearMonthColumns;
                }
            }
        }
    }
    for (int c = layout.rowNames ? 1 : 0; c < columns; ++c) {
        if (layout.roles[size_t(c)] != Role::Skip)
            continue;
        qsizetype numbers = 0, text = 0;
        for (size_t r = firstData; r < rows.size(); ++r) {
            if (size_t(c) >= rows[r].size())
                continue;
            const CellKind k = CellParser::kind(rows[r][size_t(c)], dialect.decimal);
            numbers += k == CellKind::Number;
            text += k == CellKind::Text || k == CellKind::Time;
        }
        layout.roles[size_t(c)] = numbers >= text ? Role::Numeric : Role::Skip;
    }
    return layout;
}

}  // namespace

Result<TableImport> TableReader::readFile(const QString &path, const TableReadOptions &options)
{
    const QFileInfo info(path);
    if (!info.exists())
        return Error::at(path, QStringLiteral("The file does not exist. Check the path."));
    if (info.isDir())
        return Error::at(path, QStringLiteral("This is a folder, not a table file. Choose a .csv or .tsv file."));
    if (info.size() > options.maxBytes)
        return Error::at(path, QStringLiteral("The file is %1, more than the %2 limit for tables. Split it, keep the "
                                              "columns you need, or raise the limit.")
                                   .arg(sizeText(info.size()), sizeText(options.maxBytes)));
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error::at(
            path,
            QStringLiteral("The file cannot be opened (%1). Check that you may read it.").arg(file.errorString()));
    return readDevice(&file, path, info.size(), options);
}

Result<TableImport> TableReader::readText(const QByteArray &text, const QString &name, const TableReadOptions &options)
{
    QByteArray copy = text;
    QBuffer buffer(&copy);
    buffer.open(QIODevice::ReadOnly);
    return readDevice(&buffer, name, copy.size(), options);
}

Result<TableImport> TableReader::readDevice(QIODevice *device, const QString &name, qint64 size,
                                            const TableReadOptions &options)
{
    const auto fail = [&](const QString &message) { return Error::at(name, message); };
    if (size > options.maxBytes)
        return fail(QStringLiteral("The data is %1, more than the %2 limit for tables.")
                        .arg(sizeText(size), sizeText(options.maxBytes)));
    const QByteArray sample = device->peek(options.sampleBytes);
    const bool wholeFile = sample.size() < options.sampleBytes || (size >= 0 && sample.size() >= size);
    auto dialect = CsvDialectSniffer::sniff(sample, wholeFile, options);
    if (!dialect)
        return fail(dialect.error().message);
    const auto rows = CsvDialectSniffer::records(sample, wholeFile, *dialect, 1000);
    auto layout = detectLayout(rows, *dialect, options);
    if (!layout)
        return fail(layout.error().message);

    TableImport result;
    Table &table = result.table;
    ImportReport &report = result.report;
    report.source = name;
    report.delimiter = dialect->delimiterName();
    report.header = dialect->header;
    report.decimal = QLatin1Char(dialect->decimal);
    report.commentLines = dialect->skipLines;
    report.fileColumns = layout->names;
    report.timeFormat = layout->timeFormat;
    table.timeFormat = layout->timeFormat;
    if (layout->timeIndex >= 0) {
        report.timeColumn = layout->names[layout->timeIndex];
        report.timeSourceColumns.append(report.timeColumn);
        if (layout->partIndex >= 0) {
            report.timeColumn += QLatin1Char('+') + layout->names[layout->partIndex];
            report.timeSourceColumns.append(layout->names[layout->partIndex]);
        }
        table.timeName = report.timeColumn;
    }
    std::vector<int> numeric;
    for (int c = 0; c < int(layout->names.size()); ++c) {
        if (layout->roles[size_t(c)] == Role::Numeric) {
            numeric.push_back(c);
            table.names.append(layout->names[c]);
            ColumnReport column;
            column.name = layout->names[c];
            column.sourceIndex = c;
            report.columns.push_back(column);
        } else if (layout->roles[size_t(c)] == Role::Skip) {
            report.skippedColumns.append(
                c == 0 && layout->rowNames ? layout->names[c] + QStringLiteral(" (row numbers)") : layout->names[c]);
        }
    }
    table.columns.resize(numeric.size());
    // Reserve from the sample's bytes per row: one allocation instead of ~20 doublings. At
    // most 16 M rows up front, so that a sample of short lines before long ones cannot
    // make it reserve gigabytes; beyond that the vectors grow as usual.
    const qsizetype sampled = wholeFile ? sample.size() : sample.lastIndexOf('\n') + 1;
    if (size > 0 && rows.size() > 1 && sampled > 0) {
        const double estimate = double(size) / double(sampled) * double(rows.size()) * 1.05;
        const auto reserve = size_t(std::min(estimate, 16.0e6));
        for (auto &column : table.columns)
            column.reserve(reserve);
        if (layout->timeIndex >= 0)
            table.time.reserve(reserve);
    }

    const char decimal = dialect->decimal;
    const size_t columns = size_t(layout->names.size());
    const int ti = layout->timeIndex;
    const int pi = layout->partIndex;
    const TimeFormat format = layout->timeFormat;
    const bool numericTime = TimestampParser::isNumberFormat(format);
    std::vector<double> ordinals;
    std::vector<std::pair<qint64, size_t>> raggedLines;
    qint64 ragged = 0;
    bool headerPending = dialect->header;
    CsvRecordReader reader(device, *dialect);
    while (reader.next()) {
        if (reader.lineNumber() <= dialect->skipLines)
            continue;
        const auto &fields = reader.fields();
        if (headerPending) {
            headerPending = false;
            continue;
        }
        if (reader.bytesRead() > options.maxBytes)  // a device of unknown size (a pipe) that keeps going
            return fail(QStringLiteral("The data passed the %1 limit for tables at line %2. Split it, keep the "
                                       "columns you need, or raise the limit.")
                            .arg(sizeText(options.maxBytes))
                            .arg(reader.lineNumber()));
        ++report.dataLines;
        if (fields.size() != columns) {
            bool extrasEmpty = fields.size() > columns;
            for (size_t k = columns; k < fields.size() && extrasEmpty; ++k)
                extrasEmpty = fields[k].empty();
            if (!extrasEmpty) {
                if (++ragged <= 10)
                    raggedLines.emplace_back(reader.lineNumber(), fields.size());
                continue;
            }
        }
        if (ragged > 0)
            continue;  // the import fails: only count the rest
        if (ti >= 0) {
            std::optional<ParsedTime> t;
            if (pi >= 0) {
                const auto year = CellParser::number(fields[size_t(ti)], decimal);
                const auto part = CellParser::number(fields[size_t(pi)], decimal);
                if (year && part)
                    t = TimestampParser::fromYearAndPart(*year, *part, format);
            } else if (numericTime) {
                if (const auto v = CellParser::number(fields[size_t(ti)], decimal))
                    t = TimestampParser::fromNumber(*v, format);
            } else {
                t = TimestampParser::parse(fields[size_t(ti)], format);
            }
            if (!t) {
                if (report.unreadableTimes++ == 0)
                    report.firstUnreadableTimeLine = reader.lineNumber();
                continue;
            }
            table.time.push_back(t->seconds);
            ordinals.push_back(t->ordinal);
        }
        for (size_t k = 0; k < numeric.size(); ++k) {
            const std::string_view cell = fields[size_t(numeric[k])];
            if (const auto v = CellParser::number(cell, decimal)) {
                table.columns[k].push_back(*v);
                continue;
            }
            table.columns[k].push_back(std::numeric_limits<double>::quiet_NaN());
            ColumnReport &cr = report.columns[k];
            ++cr.missing;
            if (!CellParser::isMissing(cell) && cr.nonNumeric++ == 0) {
                cr.firstNonNumericLine = reader.lineNumber();
                cr.firstNonNumericText = quoted(cell);
            }
        }
    }
    report.bytes = reader.bytesRead();
    if (reader.error())
        return fail(reader.error()->message);
    if (ragged > 0) {
        QStringList where;
        for (const auto &[line, count] : raggedLines)
            where.append(QStringLiteral("line %1 (%2 fields)").arg(line).arg(count));
        return fail(QStringLiteral("%1 row(s) do not have the %2 fields of the %3: %4%5. Fix these lines (a "
                                   "missing or extra %6, or one inside a value that is not quoted) or remove them.")
                        .arg(ragged)
                        .arg(columns)
                        .arg(dialect->header ? QStringLiteral("header") : QStringLiteral("first row"))
                        .arg(where.join(QStringLiteral(", ")))
                        .arg(ragged > 10 ? QStringLiteral(", …") : QString())
                        .arg(report.delimiter));
    }
    if (report.dataLines == 0)
        return fail(dialect->header ? QStringLiteral("The file has a header (%1) but no data rows. Add the data "
                                                     "below the header.")
                                          .arg(layout->names.join(QStringLiteral(", ")))
                                    : QStringLiteral("The file has no data rows."));
    if (numeric.empty()) {
        QStringList found;
        if (ti >= 0)
            found.append(QStringLiteral("%1 (time)").arg(report.timeColumn));
        for (const QString &s : report.skippedColumns)
            found.append(QStringLiteral("%1 (text)").arg(s));
        return fail(QStringLiteral("No column of numbers was found (columns: %1). A time series needs at least one "
                                   "numeric column; check the delimiter (detected: %2) and the decimal separator "
                                   "(detected: '%3').")
                        .arg(found.join(QStringLiteral(", ")), report.delimiter, QString(report.decimal)));
    }
    if (ti >= 0 && table.time.empty())
        return fail(QStringLiteral("None of the %1 rows has a readable time stamp in column \"%2\" (first bad one at "
                                   "line %3). Fix the time column or import without one.")
                        .arg(report.dataLines)
                        .arg(report.timeColumn)
                        .arg(report.firstUnreadableTimeLine));

    if (report.unreadableTimes > 0)
        report.warnings.append(
            QStringLiteral("%1 row(s) with an unreadable time stamp were dropped (first at line %2).")
                .arg(report.unreadableTimes)
                .arg(report.firstUnreadableTimeLine));
    for (size_t k = 0; k < numeric.size(); ++k) {
        const ColumnReport &cr = report.columns[k];
        if (cr.nonNumeric > 0)
            report.warnings.append(QStringLiteral("Column \"%1\": %2 cell(s) hold text, not numbers (first at line %3: "
                                                  "%4); they count as missing.")
                                       .arg(cr.name)
                                       .arg(cr.nonNumeric)
                                       .arg(cr.firstNonNumericLine)
                                       .arg(cr.firstNonNumericText));
    }
    if (ti >= 0) {
        TimeOrdering::sortAndMerge(table, ordinals, options.duplicates, report);
        report.sampling = TimeOrdering::analyze(ordinals, table.time, TimestampParser::unitOf(format));
        if (!report.wasSorted)
            report.warnings.append(QStringLiteral("The rows were not in time order (%1 step(s) back in time); they "
                                                  "were sorted.")
                                       .arg(report.outOfOrder));
        if (report.duplicateTimes > 0)
            report.warnings.append(QStringLiteral("%1 row(s) repeated a time stamp and were merged (%2).")
                                       .arg(report.duplicateTimes)
                                       .arg(report.duplicatePolicy));
        if (report.sampling.irregularSteps > 0)
            report.warnings.append(QStringLiteral("Irregular sampling: %1.").arg(report.sampling.describe()));
    } else {
        report.sampling.unit = TimeUnit::Row;
        report.sampling.steps = std::max<qint64>(table.rowCount() - 1, 0);
        report.sampling.medianStep = 1;
        report.warnings.append(QStringLiteral("No time column was found: the rows are taken as equally spaced, in file "
                                              "order."));
    }
    report.rows = table.rowCount();
    for (size_t k = 0; k < numeric.size(); ++k) {
        // Recount after merging: a merged duplicate may have filled a gap.
        ColumnReport &cr = report.columns[k];
        qint64 missing = 0;
        for (double v : table.columns[k])
            missing += std::isnan(v);
        cr.missing = missing;
        if (missing == report.rows)
            report.warnings.append(QStringLiteral("Column \"%1\" has no values at all.").arg(cr.name));
    }
    return result;
}

}  // namespace dw
