#pragma once
// Watches one connection's bytes before the HTTP parser reads them, so that a request that
// is too large is refused (413) from its headers alone, before its body is read into memory;
// chunked bodies (length unknown) get 411, oversized headers 431, headers that take too
// long to arrive 408. It also answers
// "Expect: 100-continue", so that clients such as curl send an accepted body at once.
// Runs on the socket's thread, in a readyRead slot connected before the HTTP server's.
#include <QByteArray>
#include <QObject>
#include <QPointer>
#include <QTimer>

class QTcpSocket;

namespace dw {

class RequestGuard : public QObject {
    Q_OBJECT
public:
    // headerTimeoutMs: from a request's first byte to the end of its headers (else 408).
    RequestGuard(QTcpSocket *socket, qint64 maxBodyBytes, int headerTimeoutMs = 30000);

    static constexpr qint64 kMaxHeaderBytes = 64 * 1024;

Q_SIGNALS:
    // A request was refused here; the HTTP server never sees it.
    void refused(int status, const QString &method, const QString &path);

private:
    void inspect();
    void refuse(int status, const QString &message);
    void drain();

    QPointer<QTcpSocket> m_socket;
    qint64 m_maxBody = 0;
    QByteArray m_header;     // the current request's header bytes so far
    qint64 m_bodyLeft = 0;   // body bytes of the current request still to come
    bool m_inBody = false;
    bool m_refused = false;
    QByteArray m_method, m_path;
    QTimer m_headerTimer;
};

}  // namespace dw
