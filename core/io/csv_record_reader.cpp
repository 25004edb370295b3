#include "core/io/csv_record_reader.h"

#include <algorithm>
#include <cstring>

namespace dw {
namespace {

bool isBlank(char c)
{
    return c == ' ' || c == '\t';
}

std::string_view trim(const char *b, const char *e)
{
    while (b < e && (isBlank(*b) || *b == '\r'))
        ++b;
    while (e > b && (isBlank(e[-1]) || e[-1] == '\r'))
        --e;
    return {b, size_t(e - b)};
}

// Index of the first byte that is not valid UTF-8 (or is NUL) in [from, to), or `to`.
// When `partialOk`, a sequence cut by the end of the block is not an error: `complete`
// then tells where the checked part ends.
size_t firstInvalidUtf8(const unsigned char *s, size_t from, size_t to, bool partialOk, size_t &complete)
{
    size_t i = from;
    while (i < to) {
        // Eight ASCII bytes at a time: the common case of a table of numbers.
        if (i + 8 <= to) {
            quint64 word;
            std::memcpy(&word, s + i, 8);
            const quint64 high = word & 0x8080808080808080ULL;
            const quint64 zero = (word - 0x0101010101010101ULL) & ~word & 0x8080808080808080ULL;
            if (high == 0 && zero == 0) {
                i += 8;
                continue;
            }
        }
        const unsigned char c = s[i];
        if (c == 0) {
            complete = i;
            return i;
        }
        if (c < 0x80) {
            ++i;
            continue;
        }
        int n = 0;
        unsigned cp = 0;
        if ((c & 0xE0) == 0xC0) {
            n = 1;
            cp = c & 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            n = 2;
            cp = c & 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            n = 3;
            cp = c & 0x07;
        } else {
            complete = i;
            return i;
        }
        if (i + size_t(n) >= to) {
            if (partialOk) {
                complete = i;
                return to;
            }
            complete = i;
            return i;
        }
        for (int k = 1; k <= n; ++k) {
            if ((s[i + k] & 0xC0) != 0x80) {
                complete = i;
                return i;
            }
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        // Overlong forms, surrogates and code points beyond Unicode are invalid too.
        if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) || cp > 0x10FFFF ||
            (cp >= 0xD800 && cp <= 0xDFFF)) {
            complete = i;
            return i;
        }
        i += size_t(n) + 1;
    }
    complete = to;
    return to;
}

}  // namespace

QString CsvDialect::delimiterName() const
{
    if (whitespace)
        return QStringLiteral("whitespace");
    switch (delimiter) {
    case ',':
        return QStringLiteral("comma");
    case ';':
        return QStringLiteral("semicolon");
    case '\t':
        return QStringLiteral("tab");
    case '|':
        return QStringLiteral("pipe");
    default:
        return QString(QLatin1Char(delimiter));
    }
}

CsvRecordReader::CsvRecordReader(QIODevice *device, const CsvDialect &dialect) : m_device(device), m_dialect(dialect)
{}

bool CsvRecordReader::validate(size_t from, size_t to)
{
    size_t complete = from;
    const auto *bytes = reinterpret_cast<const unsigned char *>(m_buffer.data());
    const size_t bad = firstInvalidUtf8(bytes, from, to, !m_eof, complete);
    m_validated = complete;
    if (bad >= to)
        return true;
    const qint64 line =
        m_line + std::count(m_buffer.begin() + qsizetype(m_pos), m_buffer.begin() + qsizetype(bad), '\n');
    if (m_buffer[bad] == '\0')
        m_error = failure(QStringLiteral("Line %1 holds binary data (a NUL byte): this is not a text table. "
                                         "Export the data as CSV or TSV text.")
                              .arg(line));
    else
        m_error = failure(QStringLiteral("Line %1 is not valid UTF-8 text (byte 0x%2). Save the file as UTF-8 "
                                         "(in a spreadsheet: \"CSV UTF-8\").")
                              .arg(line)
                              .arg(uint(static_cast<unsigned char>(m_buffer[bad])), 2, 16, QLatin1Char('0')));
    return false;
}

bool CsvRecordReader::fill()
{
    if (m_pos > 0) {
        m_buffer.erase(0, m_pos);
        m_validated -= std::min(m_validated, m_pos);
        m_pos = 0;
    }
    // A small table needs no 1 MiB block (the sniffer reads many small samples).
    const qint64 available = m_device->bytesAvailable();
    const qint64 want = available > 0 ? std::min(available + 1, kBlockSize) : kBlockSize;
    const size_t old = m_buffer.size();
    m_buffer.resize(old + size_t(want));
    const qint64 n = m_device->read(m_buffer.data() + old, want);
    m_buffer.resize(old + size_t(std::max<qint64>(n, 0)));
    if (n <= 0)
        m_eof = true;
    if (m_bytesRead == 0 && n >= 3 && std::memcmp(m_buffer.data(), "\xEF\xBB\xBF", 3) == 0)
        m_pos = m_validated = 3;  // the UTF-8 byte-order mark of Windows tools
    m_bytesRead += std::max<qint64>(n, 0);
    return validate(m_validated, m_buffer.size());
}

size_t CsvRecordReader::findRecordEnd(size_t &newlines, bool &quoted)
{
    newlines = 0;
    quoted = false;
    const char *data = m_buffer.data();
    const size_t size = m_validated;
    const char q = m_dialect.quote;
    const void *nl = std::memchr(data + m_pos, '\n', size - m_pos);
    const size_t lineEnd = nl ? size_t(static_cast<const char *>(nl) - data) : size;
    if (!std::memchr(data + m_pos, q, lineEnd - m_pos))
        return nl ? lineEnd : std::string::npos;
    quoted = true;
    bool inQuote = false;
    bool fieldStart = true;
    for (size_t i = m_pos; i < size; ++i) {
        const char c = data[i];
        if (inQuote) {
            if (c == q) {
                if (i + 1 >= size && !m_eof)
                    return std::string::npos;
                if (i + 1 < size && data[i + 1] == q)
                    ++i;
                else
                    inQuote = false;
            } else if (c == '\n') {
                ++newlines;
            }
            continue;
        }
        if (c == '\n')
            return i;
        if (c == q && fieldStart) {
            inQuote = true;
            fieldStart = false;
        } else if (m_dialect.whitespace ? isBlank(c) : c == m_dialect.delimiter) {
            fieldStart = true;
        } else if (!isBlank(c)) {
            fieldStart = false;
        }
    }
    if (inQuote && m_eof) {
        m_error = failure(QStringLiteral("Line %1 opens a quoted field (%2) that is never closed. Close the quote "
                                         "or remove it.")
                              .arg(m_line)
                              .arg(QLatin1Char(q)));
    }
    return std::string::npos;
}

void CsvRecordReader::split(size_t begin, size_t end, bool quoted)
{
    char *data = m_buffer.data();
    const char d = m_dialect.delimiter;
    if (!quoted) {
        const char *p = data + begin;
        const char *e = data + end;
        if (m_dialect.whitespace) {
            while (p < e) {
                while (p < e && (isBlank(*p) || *p == '\r'))
                    ++p;
                if (p >= e)
                    break;
                const char *s = p;
                while (p < e && !isBlank(*p) && *p != '\r')
                    ++p;
                m_fields.emplace_back(s, size_t(p - s));
            }
            return;
        }
        while (true) {
            const void *hit = std::memchr(p, d, size_t(e - p));
            const char *fe = hit ? static_cast<const char *>(hit) : e;
            m_fields.push_back(trim(p, fe));
            if (!hit)
                return;
            p = fe + 1;
        }
    }
    // Quoted fields are unescaped in place: the text only ever gets shorter.
    const char q = m_dialect.quote;
    size_t r = begin;
    while (true) {
        while (r < end && isBlank(data[r]))
            ++r;
        if (m_dialect.whitespace && r >= end)
            return;
        size_t w = r;
        const size_t start = r;
        bool wasQuoted = false;
        if (r < end && data[r] == q) {
            wasQuoted = true;
            ++r;
            while (r < end) {
                if (data[r] == q) {
                    if (r + 1 < end && data[r + 1] == q) {
                        data[w++] = q;
                        r += 2;
                        continue;
                    }
                    ++r;
                    break;
                }
                data[w++] = data[r++];
            }
        }
        const size_t quotedEnd = w;
        // Text after a closing quote (lenient) or an unquoted field.
        while (r < end && !(m_dialect.whitespace ? isBlank(data[r]) : data[r] == d))
            data[w++] = data[r++];
        std::string_view field(data + start, w - start);
        if (wasQuoted && w == quotedEnd)
            m_fields.push_back(field);  // blanks inside quotes are kept
        else
            m_fields.push_back(trim(field.data(), field.data() + field.size()));
        if (r >= end)
            return;
        ++r;  // the delimiter
        if (m_dialect.whitespace) {
            while (r < end && isBlank(data[r]))
                ++r;
            if (r >= end)
                return;
        } else if (r >= end) {
            m_fields.emplace_back();
            return;
        }
    }
}

bool CsvRecordReader::next()
{
    m_fields.clear();
    while (!m_error) {
        size_t newlines = 0;
        bool quoted = false;
        size_t end = findRecordEnd(newlines, quoted);
        if (m_error)
            return false;
        bool terminated = end != std::string::npos;
        if (!terminated) {
            if (!m_eof) {
                if (!fill())
                    return false;
                continue;
            }
            if (m_pos >= m_buffer.size())
                return false;
            end = m_buffer.size();
        }
        const size_t begin = m_pos;
        m_recordLine = m_line;
        m_line += qint64(newlines) + (terminated ? 1 : 0);
        m_pos = terminated ? end + 1 : end;
        // Blank lines separate nothing in a table: skip them.
        bool blank = true;
        for (size_t i = begin; i < end && blank; ++i)
            blank = isBlank(m_buffer[i]) || m_buffer[i] == '\r';
        if (blank)
            continue;
        split(begin, end, quoted);
        return true;
    }
    return false;
}

}  // namespace dw
