#include "core/io/csv_dialect_sniffer.h"

#include "core/io/cell_parser.h"

#include <QBuffer>

#include <algorithm>
#include <map>
#include <string_view>

namespace dw {
namespace {

struct Candidate {
    char delimiter;
    bool whitespace;
};

// Fields in one line under a delimiter; delimiters inside quotes do not count.
int countFields(std::string_view line, const Candidate &c, char quote)
{
    int n = 0;
    bool inQuote = false;
    bool inField = false;
    bool fieldStart = true;
    for (const char ch : line) {
        if (inQuote) {
            if (ch == quote)
                inQuote = false;  // an escaped "" reopens at once: harmless for counting
            continue;
        }
        if (c.whitespace) {
            if (ch == ' ' || ch == '\t' || ch == '\r') {
                inField = false;
                continue;
            }
            if (!inField) {
                ++n;
                inField = true;
            }
            if (ch == quote)
                inQuote = true;
            continue;
        }
        if (ch == c.delimiter) {
            ++n;
            fieldStart = true;
        } else if (ch == quote && fieldStart) {
            inQuote = true;
            fieldStart = false;
        } else if (ch != ' ' && ch != '\t') {
            fieldStart = false;
        }
    }
    return c.whitespace ? n : n + 1;
}

bool isCommaDecimal(std::string_view s)
{
    // -?digits,digits and nothing else
    size_t i = (!s.empty() && (s[0] == '-' || s[0] == '+')) ? 1 : 0;
    size_t digitsBefore = 0, digitsAfter = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
        ++i;
        ++digitsBefore;
    }
    if (i >= s.size() || s[i] != ',')
        return false;
    ++i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
        ++i;
        ++digitsAfter;
    }
    return i == s.size() && digitsBefore > 0 && digitsAfter > 0;
}

bool isDotDecimal(std::string_view s)
{
    size_t i = (!s.empty() && (s[0] == '-' || s[0] == '+')) ? 1 : 0;
    size_t digits = 0;
    bool dot = false;
    for (; i < s.size(); ++i) {
        if (s[i] >= '0' && s[i] <= '9')
            ++digits;
        else if (s[i] == '.' && !dot)
            dot = true;
        else
            return false;
    }
    return dot && digits > 0;
}

}  // namespace

std::vector<std::vector<std::string>> CsvDialectSniffer::records(const QByteArray &sample, bool wholeFile,
                                                                 const CsvDialect &dialect, int maxRows)
{
    QByteArray text = sample;
    if (!wholeFile) {
        const qsizetype lastNewline = text.lastIndexOf('\n');
        if (lastNewline >= 0)
            text.truncate(lastNewline + 1);
    }
    QBuffer buffer(&text);
    buffer.open(QIODevice::ReadOnly);
    CsvRecordReader reader(&buffer, dialect);
    std::vector<std::vector<std::string>> rows;
    while (int(rows.size()) < maxRows && reader.next()) {
        if (reader.lineNumber() <= dialect.skipLines)
            continue;
        std::vector<std::string> row;
        row.reserve(reader.fields().size());
        for (const auto f : reader.fields())
            row.emplace_back(f);
        rows.push_back(std::move(row));
    }
    return rows;
}

Result<CsvDialect> CsvDialectSniffer::sniff(const QByteArray &sample, bool wholeFile, const TableReadOptions &options)
{
    if (sample.isEmpty())
        return failure(QStringLiteral("The file is empty: there is no table to read. Choose the CSV or TSV file "
                                      "that holds the data."));
    if (sample.startsWith("\xFF\xFE") || sample.startsWith("\xFE\xFF"))
        return failure(QStringLiteral("The file is UTF-16 text. Save it as UTF-8 (in a spreadsheet: \"CSV UTF-8\") "
                                      "and import it again."));
    qsizetype nul = 0, control = 0;
    for (const char ch : sample) {
        const auto c = static_cast<unsigned char>(ch);
        nul += c == 0;
        control += c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f';
    }
    if (nul > 0 || control * 100 > sample.size())
        return failure(QStringLiteral("The file holds binary data (%1 control bytes in its first %2 KiB), not a "
                                      "text table: is it a spreadsheet (.xlsx, .ods) or an archive? Export the "
                                      "data as CSV or TSV text.")
                           .arg(control)
                           .arg((sample.size() + 1023) / 1024));

    // Lines of the sample, without a last line the sample may have cut.
    std::vector<std::string_view> lines;
    std::string_view all(sample.constData(), size_t(sample.size()));
    if (all.substr(0, 3) == "\xEF\xBB\xBF")
        all.remove_prefix(3);
    if (!wholeFile) {
        const size_t last = all.rfind('\n');
        if (last != std::string_view::npos)
            all = all.substr(0, last + 1);
    }
    CsvDialect dialect;
    int physical = 0;
    bool inPreamble = true;
    while (!all.empty() && lines.size() < 200) {
        // A line break inside quotes belongs to the field, not to the table.
        size_t nl = std::string_view::npos;
        bool inQuote = false;
        for (size_t i = 0; i < all.size(); ++i) {
            if (all[i] == dialect.quote)
                inQuote = !inQuote;
            else if (all[i] == '\n' && !inQuote) {
                nl = i;
                break;
            }
        }
        std::string_view line = all.substr(0, nl);
        all = nl == std::string_view::npos ? std::string_view() : all.substr(nl + 1);
        ++physical;
        physical += int(std::count(line.begin(), line.end(), '\n'));
        while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t'))
            line.remove_suffix(1);
        const size_t first = line.find_first_not_of(" \t\r\n");
        if (first == std::string_view::npos)
            continue;
        if (inPreamble && line[first] == '#') {
            dialect.skipLines = physical;
            continue;
        }
        inPreamble = false;
        lines.push_back(line);
    }
    if (lines.empty())
        return failure(QStringLiteral("The file has no table: it holds only blank lines or '#' comments."));

    if (options.delimiter) {
        dialect.delimiter = *options.delimiter;
        dialect.whitespace = *options.delimiter == ' ';
    } else {
        static constexpr Candidate kCandidates[] = {
            {'\t', false}, {';', false}, {'|', false}, {',', false}, {' ', true}};
        // The first candidate (in order of preference) that splits 90 % of the lines alike;
        // failing that, the most consistent one, so that a few ragged rows are reported as
        // such rather than as a table of one column.
        int bestShare = 0;
        const Candidate *best = nullptr;
        for (const Candidate &c : kCandidates) {
            std::map<int, int> counts;
            for (const auto line : lines)
                ++counts[countFields(line, c, dialect.quote)];
            const auto mode = std::max_element(counts.begin(), counts.end(),
                                               [](const auto &a, const auto &b) { return a.second < b.second; });
            if (mode->first < 2)
                continue;
            if (mode->second * 10 >= int(lines.size()) * 9) {
                best = &c;
                break;
            }
            if (mode->second * 2 >= int(lines.size()) && mode->second > bestShare) {
                bestShare = mode->second;
                best = &c;
            }
        }
        dialect.delimiter = best ? best->delimiter : ',';  // no candidate: one column, any delimiter reads it
        dialect.whitespace = best && best->whitespace;
    }

    // Decimal separator: only a file not delimited by commas can use decimal commas.
    dialect.header = false;
    auto rows = records(sample, wholeFile, dialect, 200);
    if (options.decimal) {
        dialect.decimal = *options.decimal;
    } else if (dialect.delimiter != ',' || dialect.whitespace) {
        qsizetype comma = 0, dot = 0;
        for (const auto &row : rows)
            for (const auto &cell : row) {
                comma += isCommaDecimal(cell);
                dot += isDotDecimal(cell);
            }
        dialect.decimal = comma > dot ? ',' : '.';
    }

    if (options.header) {
        dialect.header = *options.header;
    } else if (!rows.empty()) {
        // A header: some cell of the first row is text where its column below is not.
        const auto &first = rows.front();
        bool header = false;
        for (size_t c = 0; c < first.size() && !header; ++c) {
            if (CellParser::kind(first[c], dialect.decimal) != CellKind::Text)
                continue;
            qsizetype text = 0, other = 0;
            for (size_t r = 1; r < rows.size(); ++r) {
                if (c >= rows[r].size())
                    continue;
                const CellKind k = CellParser::kind(rows[r][c], dialect.decimal);
                if (k == CellKind::Text)
                    ++text;
                else if (k != CellKind::Missing)
                    ++other;
            }
            header = other > text || (rows.size() == 1);
        }
        // All cells text in a first row over rows that are all text too: still names.
        if (!header && rows.size() > 1) {
            header = std::all_of(first.begin(), first.end(), [&](const std::string &cell) {
                return CellParser::kind(cell, dialect.decimal) == CellKind::Text;
            });
        }
        dialect.header = header;
    }
    return dialect;
}

}  // namespace dw
