#include "core/serve/request_guard.h"

#include "core/serve/http_reply.h"

#include <QTcpSocket>

namespace dw {

using namespace Qt::StringLiterals;

RequestGuard::RequestGuard(QTcpSocket *socket, qint64 maxBodyBytes, int headerTimeoutMs)
    : QObject(socket), m_socket(socket), m_maxBody(maxBodyBytes)
{
    connect(socket, &QTcpSocket::readyRead, this, &RequestGuard::inspect);
    m_headerTimer.setSingleShot(true);
    m_headerTimer.setInterval(headerTimeoutMs);
    connect(&m_headerTimer, &QTimer::timeout, this, [this, headerTimeoutMs] {
        refuse(408, u"the request's headers did not arrive within %1 s"_s.arg(headerTimeoutMs / 1000.0));
    });
}

void RequestGuard::inspect()
{
    if (!m_socket || m_refused)
        return;
    // peek: the bytes stay for the HTTP parser, which reads everything on each readyRead,
    // so what is available now is exactly what arrived since the last call.
    const QByteArray fresh = m_socket->peek(m_socket->bytesAvailable());
    qsizetype pos = 0;
    while (pos < fresh.size()) {
        if (m_inBody) {
            const qint64 take = std::min<qint64>(m_bodyLeft, fresh.size() - pos);
            m_bodyLeft -= take;
            pos += take;
            if (m_bodyLeft == 0)
                m_inBody = false;
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
                    return refuse(400, u"the Content-Length header \"%1\" is not a number"_s.arg(QString::fromLatin1(value)));
            } else if (key == "transfer-encoding" && value.toLower().contains("chunked")) {
                chunked = true;
            } else if (key == "expect" && value.toLower() == "100-continue") {
                expectContinue = true;
            }
        }
        if (chunked)
            return refuse(411, u"chunked uploads are not accepted: send the request with a Content-Length"_s);
        if (length > m_maxBody)
            return refuse(413, u"the request is %1 MB, more than the %2 MB this server accepts (deepwb serve --max-upload-mb)"_s
                                   .arg(double(length) / (1024.0 * 1024.0), 0, 'f', 1)
                                   .arg(double(m_maxBody) / (1024.0 * 1024.0), 0, 'f', 1));
        if (expectContinue && length > 0 && pos >= fresh.size())
            m_socket->write("HTTP/1.1 100 Continue\r\n\r\n");
        m_bodyLeft = length;
        m_inBody = length > 0;
    }
}

void RequestGuard::refuse(int status, const QString &message)
{
    m_refused = true;
    m_headerTimer.stop();
    Q_EMIT refused(status, QString::fromLatin1(m_method), QString::fromLatin1(m_path));
    QTcpSocket *socket = m_socket;
    // Take the connection away from the HTTP server: it must not parse what follows.
    QObject::disconnect(socket, &QTcpSocket::readyRead, nullptr, nullptr);
    if (socket->isTransactionStarted())
        socket->commitTransaction();
    socket->readAll();
    connect(socket, &QTcpSocket::readyRead, this, &RequestGuard::drain);
    socket->write(HttpReply::error(status, message).serialize(true));
    // Close once the answer is out; keep reading meanwhile, so that the client, still
    // sending its body, gets the answer rather than a reset connection.
    connect(socket, &QTcpSocket::bytesWritten, this, [this] {
        if (m_socket && m_socket->bytesToWrite() == 0)
            QTimer::singleShot(200, m_socket, [s = m_socket] { if (s) s->disconnectFromHost(); });
    });
    QTimer::singleShot(10000, socket, [socket] { socket->abort(); });
}

void RequestGuard::drain()
{
    if (m_socket)
        m_socket->readAll();
}

}  // namespace dw
