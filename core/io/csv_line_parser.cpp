#include "core/io/csv_line_parser.h"

#include "core/io/cell_parser.h"
#include "core/io/csv_record_reader.h"

#include <QBuffer>

namespace dw {
namespace {

std::optional<char> delimiterFromName(const QString &name)
{
    if (name == QLatin1String("comma"))
        return ',';
    if (name == QLatin1String("semicolon"))
        return ';';
    if (name == QLatin1String("tab"))
        return '\t';
    if (name == QLatin1String("pipe"))
        return '|';
    if (name == QLatin1String("whitespace"))
        return ' ';
    if (name.size() == 1 && name.at(0).unicode() < 128)
        return char(name.at(0).unicode());
    return std::nullopt;
}

// The fields of one line, split the way the file was (quotes included).
std::vector<std::string> fieldsOf(const QByteArray &line, char delimiter, bool whitespace, qsizetype &records)
{
    QByteArray copy = line;
    QBuffer buffer(&copy);
    buffer.open(QIODevice::ReadOnly);
    CsvDialect dialect;
    dialect.delimiter = delimiter;
    dialect.whitespace = whitespace;
    CsvRecordReader reader(&buffer, dialect);
    std::vector<std::string> fields;
    records = 0;
    while (reader.next()) {
        if (records++ == 0)
            for (const auto f : reader.fields())
                fields.emplace_back(f);
    }
    if (reader.error())
        records = -1;
    return fields;
}

}  // namespace

Result<CsvLineParser> CsvLineParser::fromReport(const ImportReport &report, const QStringList &columns)
{
    const auto delimiter = delimiterFromName(report.delimiter);
    if (!delimiter || report.fileColumns.isEmpty())
        return failure(QStringLiteral("The import report does not describe the file's layout (delimiter \"%1\", %2 "
                                      "columns). Import the training table again.")
                           .arg(report.delimiter)
                           .arg(report.fileColumns.size()));
    CsvLineParser p;
    p.m_delimiter = *delimiter;
    p.m_whitespace = *delimiter == ' ';
    p.m_decimal = report.decimal.toLatin1();
    p.m_fileColumns = report.fileColumns;
    p.m_timeFormat = report.timeFormat;
    if (report.timeFormat != TimeFormat::None) {
        p.m_timeIndex = int(report.fileColumns.indexOf(report.timeSourceColumns.value(0)));
        if (report.timeSourceColumns.size() > 1)
            p.m_partIndex = int(report.fileColumns.indexOf(report.timeSourceColumns.value(1)));
        if (p.m_timeIndex < 0 || (report.timeSourceColumns.size() > 1 && p.m_partIndex < 0))
            return failure(
                QStringLiteral("The time column \"%1\" is not among the file's columns.").arg(report.timeColumn));
    }
    for (const QString &name : columns) {
        qsizetype index = report.fileColumns.indexOf(name);
        for (qsizetype c = 0; c < report.fileColumns.size() && index < 0; ++c)
            if (report.fileColumns[c].compare(name.trimmed(), Qt::CaseInsensitive) == 0)
                index = c;
        if (index < 0)
            return failure(QStringLiteral("The stream has no column \"%1\"; its columns are: %2.")
                               .arg(name, report.fileColumns.join(QStringLiteral(", "))));
        p.m_valueIndices.push_back(int(index));
        p.m_names.append(report.fileColumns[index]);
    }
    return p;
}

bool CsvLineParser::isHeader(const QByteArray &line) const
{
    qsizetype records = 0;
    const auto fields = fieldsOf(line, m_delimiter, m_whitespace, records);
    if (records != 1 || qsizetype(fields.size()) != m_fileColumns.size())
        return false;
    for (size_t c = 0; c < fields.size(); ++c) {
        const QString name = QString::fromUtf8(fields[c].data(), qsizetype(fields[c].size())).trimmed();
        if (!name.isEmpty() && name != m_fileColumns[qsizetype(c)])
            return false;
    }
    return true;
}

Result<StreamRow> CsvLineParser::parse(const QByteArray &line) const
{
    qsizetype records = 0;
    const auto fields = fieldsOf(line, m_delimiter, m_whitespace, records);
    if (records < 0)
        return failure(QStringLiteral("not text: a NUL byte, invalid UTF-8 or an unclosed quote"));
    if (records == 0)
        return failure(QStringLiteral("a blank line"));
    if (records > 1)
        return failure(QStringLiteral("%1 lines where one was expected").arg(records));
    if (qsizetype(fields.size()) != m_fileColumns.size())
        return failure(QStringLiteral("%1 fields where the table has %2").arg(fields.size()).arg(m_fileColumns.size()));
    StreamRow row;
    if (m_timeIndex >= 0) {
        const std::string &cell = fields[size_t(m_timeIndex)];
        std::optional<ParsedTime> t;
        if (m_partIndex >= 0) {
            const auto year = CellParser::number(cell, m_decimal);
            const auto part = CellParser::number(fields[size_t(m_partIndex)], m_decimal);
            if (year && part)
                t = TimestampParser::fromYearAndPart(*year, *part, m_timeFormat);
        } else if (const auto v = CellParser::number(cell, m_decimal);
                   v && TimestampParser::isNumberFormat(m_timeFormat)) {
            t = TimestampParser::fromNumber(*v, m_timeFormat);
        } else {
            t = TimestampParser::parse(cell, m_timeFormat);
        }
        if (!t)
            return failure(QStringLiteral("the time \"%1\" is not a %2")
                               .arg(QString::fromUtf8(cell.data(), qsizetype(std::min<size_t>(cell.size(), 40))),
                                    TimestampParser::formatName(m_timeFormat)));
        row.time = t->seconds;
    }
    row.values.reserve(m_valueIndices.size());
    for (size_t k = 0; k < m_valueIndices.size(); ++k) {
        const std::string &cell = fields[size_t(m_valueIndices[k])];
        if (const auto v = CellParser::number(cell, m_decimal)) {
            row.values.push_back(*v);
        } else if (CellParser::isMissing(cell)) {
            row.values.push_back(std::numeric_limits<double>::quiet_NaN());
        } else {
            return failure(QStringLiteral("\"%1\" in column \"%2\" is not a number")
                               .arg(QString::fromUtf8(cell.data(), qsizetype(std::min<size_t>(cell.size(), 40))),
                                    m_names[qsizetype(k)]));
        }
    }
    return row;
}

}  // namespace dw
