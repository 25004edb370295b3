#pragma once
// A QTcpServer whose every connection gets a RequestGuard before the HTTP server sees it.
#include <QTcpServer>

namespace dw {

class GuardedTcpServer : public QTcpServer {
    Q_OBJECT
public:
    GuardedTcpServer(qint64 maxBodyBytes, int headerTimeoutMs, QObject *parent = nullptr)
        : QTcpServer(parent), m_maxBody(maxBodyBytes), m_headerTimeoutMs(headerTimeoutMs) {}

Q_SIGNALS:
    void requestRefused(int status, const QString &method, const QString &path, const QString &peer);

protected:
    void incomingConnection(qintptr handle) override;

private:
    qint64 m_maxBody;
    int m_headerTimeoutMs;
};

}  // namespace dw
