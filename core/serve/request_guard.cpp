#include "core/serve/request_guard.h"

#include "core/serve/http_reply.h"

#include <QTcpSocket>

namespace dw {

using namespace Qt::StringLiterals;

bool UploadBudget::reserve(qint64 bytes)
{
    QMutexLocker lock(&m_mutex);
    if (m_used + bytes > m_limit)
        return false;
    m_used += bytes;
    return true;
}

void UploadBudget::release(qint64 bytes)
{
    QMutexLocker lock(&m_mutex);
    m_used = std::max<qint64>(0, m_used - bytes);
}

RequestGuard::RequestGuard(QTcpSocket *socket, GuardPolicy policy)
    : QObject(socket), m_socket(socket), m_policy(std::move(policy))
{
    connect(socket, &QTcpSocket::readyRead, this, &RequestGuard::inspect);
    connect(socket, &QTcpSocket::bytesWritten, this, &RequestGuard::answered);
    m_headerTimer.setSingleShot(true);
    m_headerTimer.setInterval(m_policy.headerTimeoutMs);
    connect(&m_headerTimer, &QTimer::timeout, this, [this] {
        refuse(408, u"the request's headers did not arrive within %1 s"_s.arg(m_policy.headerTimeoutMs / 1000.0));
    });
    m_idleTimer.setSingleShot(true);
    m_idleTimer.setInterval(m_policy.idleTimeoutMs);
    connect(&m_idleTimer, &QTimer::timeout, this, [this] {
        refuse(408, u"the connection was idle for %1 s: it is closed (open a new one for the next request)"_s.arg(
                        m_policy.idleTimeoutMs / 1000.0));
    });
    m_idleTimer.start();
    m_bodyTimer.setInterval(m_policy.bodyStallMs);
    connect(&m_bodyTimer, &QTimer::timeout, this, &RequestGuard::bodyWindow);
}

RequestGuard::~RequestGuard()
{
    releaseBody();
}

void RequestGuard::releaseBody()
{
    if (m_reserved > 0 && m_policy.budget)
        m_policy.budget->release(m_reserved);
    m_reserved = 0;
}

void RequestGuard::bodyWindow()
{
    // Each window must bring its share, or the rest of the body when that is less.
    const qint64 wanted = std::min<qint64>(m_bodyLeft, m_policy.minBodyBytesPerSecond * m_policy.bodyStallMs / 1000);
    if (m_inBody && m_windowBytes < wanted)
        return refuse(
            408, u"the request's body arrived at %1 bytes in %2 s, slower than the %3 bytes/s this server waits for"_s
                     .arg(m_windowBytes)
                     .arg(m_policy.bodyStallMs / 1000.0)
                     .arg(m_policy.minBodyBytesPerSecond));
    m_windowBytes = 0;
}

void RequestGuard::answered()
{
    // The answer to the last request is out: the connection is idle until the next one.
    if (m_awaitingAnswer && m_socket && m_socket->bytesToWrite() == 0 && !m_inBody && m_header.isEmpty()) {
        m_awaitingAnswer = false;
        m_idleTimer.start();
    }
}

void RequestGuard::inspect()
{
    if (!m_socket || m_refused)
        return;
    // peek: the bytes stay for the HTTP parser, which reads everything on each readyRead,
    // so what is available now is exactly what arrived since the last call.
    const QByteArray fresh = m_socket->peek(m_socket->bytesAvailable());
    qsizetype pos = 0;
    m_idleTimer.stop();
    while (pos < fresh.size()) {
        if (m_inBody) {
            const qint64 take = std::min<qint64>(m_bodyLeft, fresh.size() - pos);
            m_bodyLeft -= take;
            m_windowBytes += take;
            pos += take;
            if (m_bodyLeft == 0) {
                m_inBody = false;
                m_bodyTimer.stop();
                releaseBody();
                m_awaitingAnswer = true;
            }
            continue;
        }
        // Header bytes: up to the blank line that ends them.
        const qsizetype startLen = m_header.size();
        if (startLen == 0)
            m_headerTimer.start();
        m_header += fresh.mid(pos);
        const qsizetype end = m_header.indexOf("\r\n\r\n");
        if (end < 0) {
            if (m_header.size() > kMaxHeaderBytes)
                return refuse(431, u"the request's headers are larger than %1 KiB"_s.arg(kMaxHeaderBytes / 1024));
            return;
        }
        const QByteArray header = m_header.left(end);
        pos += end + 4 - startLen;
        m_header.clear();
        m_headerTimer.stop();

        const QList<QByteArray> lines = header.split('\n');
        const QList<QByteArray> requestLine = lines.value(0).trimmed().split(' ');
        m_method = requestLine.value(0);
        m_path = requestLine.value(1);
        qint64 length = 0;
        bool chunked = false, expectContinue = false;
        QByteArray authorization;
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const QByteArray line = lines[i].trimmed();
            const qsizetype colon = line.indexOf(':');
            if (colon <= 0)
                continue;
            const QByteArray key = line.left(colon).trimmed().toLower();
            const QByteArray value = line.mid(colon + 1).trimmed();
            if (key == "content-length") {
                bool ok = false;
                length = value.toLongLong(&ok);
                if (!ok || length < 0)
                    return refuse(
                        400, u"the Content-Length header \"%1\" is not a number"_s.arg(QString::fromLatin1(value)));
            } else if (key == "transfer-encoding" && value.toLower().contains("chunked")) {
                chunked = true;
            } else if (key == "expect" && value.toLower() == "100-continue") {
                expectContinue = true;
            } else if (key == "authorization") {
                authorization = value;
            }
        }
        if (chunked)
            return refuse(411, u"chunked uploads are not accepted: send the request with a Content-Length"_s);
        // The token is checked on the headers: a body without it is never read.
        if (m_policy.authorised && !m_policy.authorised(authorization))
            return refuse(401,
                          authorization.isEmpty()
                              ? u"this server needs a token: send the header \"Authorization: Bearer <token>\""_s
                              : u"the token is wrong"_s,
                          "WWW-Authenticate: Bearer");
        if (length > m_policy.maxBodyBytes)
            return refuse(
                413, u"the request is %1 MB, more than the %2 MB this server accepts (deepwb serve --max-upload-mb)"_s
                         .arg(double(length) / (1024.0 * 1024.0), 0, 'f', 1)
                         .arg(double(m_policy.maxBodyBytes) / (1024.0 * 1024.0), 0, 'f', 1));
        if (length > 0 && m_policy.budget) {
            if (!m_policy.budget->reserve(length))
                return refuse(
                    503,
                    u"the server is receiving %1 MB of other uploads, its limit: send this again in a moment"_s.arg(
                        double(m_policy.budget->limit()) / (1024.0 * 1024.0), 0, 'f', 0),
                    "Retry-After: 2");
            m_reserved = length;
        }
        if (expectContinue && length > 0 && pos >= fresh.size())
            m_socket->write("HTTP/1.1 100 Continue\r\n\r\n");
        m_bodyLeft = length;
        m_inBody = length > 0;
        m_windowBytes = 0;
        if (m_inBody)
            m_bodyTimer.start();
        else
            m_awaitingAnswer = true;
    }
    if (!m_inBody && !m_awaitingAnswer && m_header.isEmpty())
        m_idleTimer.start();
}

void RequestGuard::refuse(int status, const QString &message, const QByteArray &extraHeader)
{
    m_refused = true;
    m_headerTimer.stop();
    m_idleTimer.stop();
    m_bodyTimer.stop();
    releaseBody();
    Q_EMIT refused(status, QString::fromLatin1(m_method), QString::fromLatin1(m_path));
    QTcpSocket *socket = m_socket;
    if (!socket)
        return;
    // Take the connection away from the HTTP server: it must not parse what follows.
    QObject::disconnect(socket, &QTcpSocket::readyRead, nullptr, nullptr);
    if (socket->isTransactionStarted())
        socket->commitTransaction();
    socket->readAll();
    connect(socket, &QTcpSocket::readyRead, this, &RequestGuard::drain);
    HttpReply reply = HttpReply::error(status, message);
    if (const qsizetype colon = extraHeader.indexOf(':'); colon > 0)
        reply.headers.append(qMakePair(extraHeader.left(colon), extraHeader.mid(colon + 1).trimmed()));
    socket->write(reply.serialize(true));
    // Close once the answer is out; keep reading meanwhile, so that the client, still
    // sending its body, gets the answer rather than a reset connection.
    connect(socket, &QTcpSocket::bytesWritten, this, [this] {
        if (m_socket && m_socket->bytesToWrite() == 0)
            QTimer::singleShot(200, m_socket, [s = m_socket] {
                if (s)
                    s->disconnectFromHost();
            });
    });
    QTimer::singleShot(10000, socket, [socket] { socket->abort(); });
}

void RequestGuard::drain()
{
    if (m_socket)
        m_socket->readAll();
}

}  // namespace dw
