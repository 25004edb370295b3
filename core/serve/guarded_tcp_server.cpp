#include "core/serve/guarded_tcp_server.h"

#include "core/serve/http_reply.h"

#include <QTcpSocket>
#include <QTimer>

namespace dw {

using namespace Qt::StringLiterals;

void GuardedTcpServer::incomingConnection(qintptr handle)
{
    auto *socket = new QTcpSocket(this);
    if (!socket->setSocketDescriptor(handle)) {
        delete socket;
        return;
    }
    const QString peer = socket->peerAddress().toString();
    if (m_maxPerClient > 0 && m_open.value(peer) >= m_maxPerClient) {
        Q_EMIT requestRefused(429, {}, {}, peer);
        HttpReply reply =
            HttpReply::error(429, u"%1 connections from %2 are open already, this server's limit: close some, or "
                                  "send the requests on fewer kept-alive connections"_s.arg(m_maxPerClient)
                                      .arg(peer));
        reply.headers.append(qMakePair(QByteArray("Retry-After"), QByteArray("2")));
        socket->write(reply.serialize(true));
        connect(socket, &QTcpSocket::bytesWritten, socket, [socket] {
            if (socket->bytesToWrite() == 0)
                socket->disconnectFromHost();
        });
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        QTimer::singleShot(5000, socket, [socket] { socket->abort(); });
        return;
    }
    ++m_open[peer];
    connect(socket, &QObject::destroyed, this, [this, peer] {
        if (--m_open[peer] <= 0)
            m_open.remove(peer);
    });
    // Connected first, so its readyRead slot runs before the HTTP server's (added later).
    auto *guard = new RequestGuard(socket, m_policy);
    connect(guard, &RequestGuard::refused, this, [this, peer](int status, const QString &method, const QString &path) {
        Q_EMIT requestRefused(status, method, path, peer);
    });
    addPendingConnection(socket);
}

}  // namespace dw
