#pragma once
// Where the lines of a live stream come from: rows appended to a file (FileFollower), UDP
// datagrams (UdpLineSource) or TCP connections (TcpLineSource). A source emits each complete
// line once, without its line break; blank lines are dropped. Problems are messages, never
// fatal to the caller: a rotated file, a client that went away, an overlong line. Used by
// `deepwb watch` and the workbench's live mode; no LibTorch, no widgets.
#include "core/util/result.h"

#include <QByteArray>
#include <QObject>
#include <QString>

#include <functional>

namespace dw {

// Cuts a byte stream into lines. Keeps a partial last line until its break arrives; a line
// longer than maxLineBytes is dropped (reported through feed's return value).
class LineSplitter {
public:
    explicit LineSplitter(qsizetype maxLineBytes = 1 << 20) : m_max(maxLineBytes) {}

    // Calls line() for each complete, non-blank line ("\n" or "\r\n"). Returns the number of
    // overlong lines dropped.
    int feed(const QByteArray &bytes, const std::function<void(const QByteArray &)> &line);
    // The partial line held back (its break has not come), and forgets it.
    QByteArray takeRest();
    qsizetype pending() const { return m_buffer.size(); }
    void clear();

private:
    QByteArray m_buffer;
    qsizetype m_max;
    bool m_discarding = false;  // inside an overlong line: skip up to its break
};

class LineSource : public QObject {
    Q_OBJECT
public:
    using QObject::QObject;

    // Begins reading (binds the socket, opens the file). An error says why it cannot.
    virtual Result<void> start() = 0;
    virtual void stop() = 0;
    // What is read, as a person would name it: "udp://127.0.0.1:9000" (the port bound,
    // also when 0 was asked for), "tcp://0.0.0.0:9000", "/var/log/flows.csv".
    virtual QString description() const = 0;

    qint64 lineCount() const { return m_lines; }
    qint64 byteCount() const { return m_bytes; }

Q_SIGNALS:
    void lineReceived(const QByteArray &line);
    // Worth telling, nothing wrong: a client connected, the file was rotated.
    void message(const QString &text);
    // Something went wrong but the source goes on: a read failed, an overlong line dropped.
    void errorOccurred(const QString &text);

protected:
    // Counts and emits one line.
    void deliver(const QByteArray &line);
    // Splits bytes with the splitter, delivers the lines and reports overlong ones.
    void deliverFrom(LineSplitter &splitter, const QByteArray &bytes);

    qint64 m_bytes = 0;
    bool m_active = false;  // between a successful start() and stop(): deliver() drops lines otherwise

private:
    qint64 m_lines = 0;
};

}  // namespace dw
