#include "core/io/line_source.h"

namespace dw {

namespace {

// The line without its break; empty for blank lines.
QByteArray trimmedLine(QByteArray line)
{
    if (line.endsWith('\r'))
        line.chop(1);
    return line;
}

bool blank(const QByteArray &line)
{
    for (const char c : line)
        if (c != ' ' && c != '\t')
            return false;
    return true;
}

}  // namespace

int LineSplitter::feed(const QByteArray &bytes, const std::function<void(const QByteArray &)> &line)
{
    int dropped = 0;
    qsizetype begin = 0;
    while (begin < bytes.size()) {
        const qsizetype end = bytes.indexOf('\n', begin);
        if (end < 0) {
            if (!m_discarding)
                m_buffer.append(bytes.constData() + begin, bytes.size() - begin);
            if (m_buffer.size() > m_max) {
                m_buffer.clear();
                m_discarding = true;
                ++dropped;
            }
            break;
        }
        if (m_discarding) {
            m_discarding = false;  // the end of the overlong line: what follows is new
        } else {
            m_buffer.append(bytes.constData() + begin, end - begin);
            const QByteArray complete = trimmedLine(std::move(m_buffer));
            m_buffer = QByteArray();
            if (complete.size() > m_max)
                ++dropped;
            else if (!blank(complete))
                line(complete);
        }
        begin = end + 1;
    }
    return dropped;
}

QByteArray LineSplitter::takeRest()
{
    QByteArray rest = m_discarding ? QByteArray() : trimmedLine(std::move(m_buffer));
    clear();
    return blank(rest) ? QByteArray() : rest;
}

void LineSplitter::clear()
{
    m_buffer = QByteArray();
    m_discarding = false;
}

void LineSource::deliver(const QByteArray &line)
{
    if (!m_active)
        return;  // stopped by a slot of an earlier line of the same read
    ++m_lines;
    Q_EMIT lineReceived(line);
}

void LineSource::deliverFrom(LineSplitter &splitter, const QByteArray &bytes)
{
    m_bytes += bytes.size();
    const int dropped = splitter.feed(bytes, [this](const QByteArray &line) { deliver(line); });
    if (dropped > 0)
        Q_EMIT errorOccurred(
            QStringLiteral("%1: dropped %2 line(s) longer than 1 MiB").arg(description()).arg(dropped));
}

}  // namespace dw
