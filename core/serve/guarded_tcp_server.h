#pragma once
// A QTcpServer whose every connection gets a RequestGuard before the HTTP server sees it, and
// that holds at most maxPerClient connections open from one address (more are answered 429
// and closed).
#include "core/serve/request_guard.h"

#include <QHash>
#include <QTcpServer>

namespace dw {

class GuardedTcpServer : public QTcpServer {
    Q_OBJECT
public:
    GuardedTcpServer(GuardPolicy policy, int maxPerClient, QObject *parent = nullptr)
        : QTcpServer(parent), m_policy(std::move(policy)), m_maxPerClient(maxPerClient)
    {}

Q_SIGNALS:
    void requestRefused(int status, const QString &method, const QString &path, const QString &peer);

protected:
    void incomingConnection(qintptr handle) override;

private:
    GuardPolicy m_policy;
    int m_maxPerClient;
    QHash<QString, int> m_open;  // peer address -> open connections
};

}  // namespace dw
