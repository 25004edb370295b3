#pragma once
// Splits delimited text into records, reading a QIODevice once, in 1 MiB blocks, so a
// file of any size costs the memory of one block plus the longest record. Handles RFC 4180
// quoting ("a ""b""", delimiters and line breaks inside quotes), CRLF and CR-less files,
// blank lines (skipped), runs of blanks as one delimiter (whitespace mode), and checks
// every byte: NUL or invalid UTF-8 stop the reading with the line number.
#include "core/util/result.h"

#include <QIODevice>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dw {

struct CsvDialect {
    char delimiter = ',';     // ',', ';', '\t', '|' or ' ' (whitespace: runs of blanks)
    bool whitespace = false;  // split on runs of spaces and tabs
    char quote = '"';
    bool header = true;
    char decimal = '.';  // '.' or ','
    int skipLines = 0;   // leading comment lines ('#') before the header

    QString delimiterName() const;
};

class CsvRecordReader {
public:
    static constexpr qint64 kBlockSize = 1 << 20;

    // The device must be open for reading and outlive the reader.
    CsvRecordReader(QIODevice *device, const CsvDialect &dialect);

    // Reads the next non-blank record; false at the end or on an error (see error()).
    bool next();
    // Fields of the current record: unquoted and trimmed of blanks; valid until next().
    const std::vector<std::string_view> &fields() const { return m_fields; }
    // 1-based line of the file where the current record starts.
    qint64 lineNumber() const { return m_recordLine; }
    // Set when next() stopped on bad input; message names the line.
    const std::optional<Error> &error() const { return m_error; }
    qint64 bytesRead() const { return m_bytesRead; }

private:
    bool fill();
    bool validate(size_t from, size_t to);
    // Finds the end of the record starting at m_pos; npos when it needs more input.
    size_t findRecordEnd(size_t &newlines, bool &quoted);
    void split(size_t begin, size_t end, bool quoted);

    QIODevice *m_device;
    CsvDialect m_dialect;
    std::string m_buffer;
    size_t m_pos = 0;
    size_t m_validated = 0;
    bool m_eof = false;
    qint64 m_line = 1;
    qint64 m_recordLine = 0;
    qint64 m_bytesRead = 0;
    std::vector<std::string_view> m_fields;
    std::optional<Error> m_error;
};

}  // namespace dw
