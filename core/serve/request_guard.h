#pragma once
// Watches one connection's bytes before the HTTP parser reads them, so that a request is
// refused from its headers alone, before its body is read into memory: too large (413),
// chunked (411, length unknown), oversized headers (431), headers too slow (408), no or a
// wrong token (401), more bodies in flight than the server's upload budget (503). It also
// closes connections that hold the server without use: idle ones (no request in progress,
// also between kept-alive requests: 408) and bodies that trickle in (408). It answers
// "Expect: 100-continue", so that clients such as curl send an accepted body at once.
// Runs on the socket's thread, in a readyRead slot connected before the HTTP server's.
#include <QByteArray>
#include <QMutex>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <functional>
#include <memory>

class QTcpSocket;

namespace dw {

// The bytes of request bodies being received, all connections together.
class UploadBudget {
public:
    explicit UploadBudget(qint64 limit) : m_limit(limit) {}
    bool reserve(qint64 bytes);
    void release(qint64 bytes);
    qint64 limit() const { return m_limit; }

private:
    QMutex m_mutex;
    qint64 m_limit;
    qint64 m_used = 0;
};

struct GuardPolicy {
    qint64 maxBodyBytes = 50ll * 1024 * 1024;
    int headerTimeoutMs = 30000;  // from a request's first byte to the end of its headers
    int idleTimeoutMs = 60000;    // no request in progress (before the first, between kept-alive ones)
    int bodyStallMs = 10000;      // each such window of a body must bring minBodyBytesPerSecond
    qint64 minBodyBytesPerSecond = 1024;
    // The Authorization header is acceptable; empty: the server takes no token.
    std::function<bool(const QByteArray &authorization)> authorised;
    std::shared_ptr<UploadBudget> budget;  // null: no budget
};

class RequestGuard : public QObject {
    Q_OBJECT
public:
    RequestGuard(QTcpSocket *socket, GuardPolicy policy);
    ~RequestGuard() override;

    static constexpr qint64 kMaxHeaderBytes = 64 * 1024;

Q_SIGNALS:
    // A request was refused here; the HTTP server never sees it.
    void refused(int status, const QString &method, const QString &path);

private:
    void inspect();
    void refuse(int status, const QString &message, const QByteArray &extraHeader = {});
    void drain();
    void bodyWindow();
    void answered();
    void releaseBody();

    QPointer<QTcpSocket> m_socket;
    GuardPolicy m_policy;
    QByteArray m_header;       // the current request's header bytes so far
    qint64 m_bodyLeft = 0;     // body bytes of the current request still to come
    qint64 m_reserved = 0;     // of the upload budget, for the current body
    qint64 m_windowBytes = 0;  // body bytes in the current stall window
    bool m_inBody = false;
    bool m_awaitingAnswer = false;  // a whole request went to the HTTP server; its answer is not out yet
    bool m_refused = false;
    QByteArray m_method, m_path;
    QTimer m_headerTimer;
    QTimer m_idleTimer;
    QTimer m_bodyTimer;
};

}  // namespace dw
