#include "core/serve/guarded_tcp_server.h"

#include "core/serve/request_guard.h"

#include <QTcpSocket>

namespace dw {

void GuardedTcpServer::incomingConnection(qintptr handle)
{
    auto *socket = new QTcpSocket(this);
    if (!socket->setSocketDescriptor(handle)) {
        delete socket;
        return;
    }
    // Connected first, so its readyRead slot runs before the HTTP server's (added later).
    auto *guard = new RequestGuard(socket, m_maxBody, m_headerTimeoutMs);
    const QString peer = socket->peerAddress().toString();
    connect(guard, &RequestGuard::refused, this, [this, peer](int status, const QString &method, const QString &path) {
        Q_EMIT requestRefused(status, method, path, peer);
    });
    addPendingConnection(socket);
}

}  // namespace dw
