#pragma once
// A small HTTP/1.1 file server on 127.0.0.1 for the weight download suites: it runs in the
// test's main thread, records every request (path and Range start) and can misbehave on
// purpose: ignore ranges, cut a connection halfway, stall, corrupt the bytes, redirect or
// answer 404. Every response closes its connection.
#include <QByteArray>
#include <QCryptographicHash>
#include <QHash>
#include <QList>
#include <QMap>
#include <QObject>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QString>
#include <QTcpServer>
#include <QTcpSocket>

namespace dw::test {

// Bytes that stand for a weight file, and the names torchvision would give them.
struct FakeWeights {
    QByteArray bytes;
    QString sha256;  // full, lower-case hex
    QString fileName(const QString &stem) const
    {
        return stem + QLatin1Char('-') + sha256.left(8) + QStringLiteral(".pth");
    }

    static FakeWeights make(qsizetype size, quint32 seed)
    {
        FakeWeights w;
        w.bytes.resize(size);
        QRandomGenerator random(seed);
        for (qsizetype i = 0; i < size; ++i)
            w.bytes[i] = char(random.bounded(256));
        w.sha256 = QString::fromLatin1(QCryptographicHash::hash(w.bytes, QCryptographicHash::Sha256).toHex());
        return w;
    }
};

class WeightsHttpServer : public QObject {
public:
    enum class Mode {
        Whole,     // 200 with the whole file, Range ignored
        Ranges,    // 206 + Content-Range when asked for a range, else 200
        CutFirst,  // the first request gets half the file, then the connection closes; later ones: Ranges
        Stall,     // half of what was asked for, then nothing (the connection stays open)
        Corrupt,   // 200 with one byte changed
        Redirect,  // 302 to /mirror/<file>, which is served as Ranges
        NotFound,  // 404
    };
    struct Request {
        QString path;
        qint64 rangeStart = -1;  // -1: no Range header
    };

    explicit WeightsHttpServer(QObject *parent = nullptr) : QObject(parent)
    {
        QObject::connect(&m_server, &QTcpServer::newConnection, this, [this] { accept(); });
    }

    bool listen() { return m_server.listen(QHostAddress::LocalHost, 0); }
    quint16 port() const { return m_server.serverPort(); }
    QString baseUrl() const { return QStringLiteral("http://127.0.0.1:%1/models").arg(port()); }

    void addFile(const QString &name, const QByteArray &bytes) { m_files.insert(name, bytes); }
    void setMode(Mode mode) { m_mode = mode; }
    const QList<Request> &requests() const { return m_requests; }
    int requestCount() const { return int(m_requests.size()); }
    // Bytes of file bodies written so far.
    qint64 bytesServed() const { return m_served; }

private:
    void accept()
    {
        while (QTcpSocket *socket = m_server.nextPendingConnection()) {
            QObject::connect(socket, &QTcpSocket::readyRead, this, [this, socket] { read(socket); });
            QObject::connect(socket, &QTcpSocket::disconnected, this, [this, socket] {
                m_buffers.remove(socket);
                socket->deleteLater();
            });
        }
    }

    void read(QTcpSocket *socket)
    {
        QByteArray &buffer = m_buffers[socket];
        buffer += socket->readAll();
        const qsizetype end = buffer.indexOf("\r\n\r\n");
        if (end < 0)
            return;
        const QList<QByteArray> lines = buffer.left(end).split('\n');
        m_buffers.remove(socket);
        const QList<QByteArray> requestLine = lines.value(0).trimmed().split(' ');
        Request request;
        request.path = QString::fromLatin1(requestLine.value(1));
        static const QRegularExpression range(QStringLiteral("^range:\\s*bytes=(\\d+)-\\s*$"),
                                              QRegularExpression::CaseInsensitiveOption);
        for (const QByteArray &line : lines) {
            const QRegularExpressionMatch match = range.match(QString::fromLatin1(line.trimmed()));
            if (match.hasMatch())
                request.rangeStart = match.captured(1).toLongLong();
        }
        m_requests << request;
        respond(socket, request);
    }

    void send(QTcpSocket *socket, int status, const QByteArray &reason, const QList<QByteArray> &headers,
              const QByteArray &body, qint64 contentLength, bool close)
    {
        QByteArray head = "HTTP/1.1 " + QByteArray::number(status) + ' ' + reason + "\r\n";
        for (const QByteArray &h : headers)
            head += h + "\r\n";
        head += "Content-Length: " + QByteArray::number(contentLength) + "\r\nConnection: close\r\n\r\n";
        socket->write(head);
        socket->write(body);
        m_served += body.size();
        if (close)
            socket->disconnectFromHost();  // after the bytes are written
    }

    void respond(QTcpSocket *socket, const Request &request)
    {
        const QString prefix = m_mode == Mode::Redirect && request.path.startsWith(QLatin1String("/mirror/"))
                                   ? QStringLiteral("/mirror/")
                                   : QStringLiteral("/models/");
        const QString name = request.path.startsWith(prefix) ? request.path.mid(prefix.size()) : QString();
        if (m_mode == Mode::NotFound || !m_files.contains(name)) {
            send(socket, 404, "Not Found", {"Content-Type: text/plain"}, "no such file\n", 13, true);
            return;
        }
        const QByteArray file = m_files.value(name);
        if (m_mode == Mode::Redirect && prefix == QLatin1String("/models/")) {
            send(socket, 302, "Found", {"Location: /mirror/" + name.toLatin1()}, {}, 0, true);
            return;
        }
        const bool firstOfCut = m_mode == Mode::CutFirst && !m_cutDone;
        if (firstOfCut) {
            m_cutDone = true;
            send(socket, 200, "OK", {}, file.left(file.size() / 2), file.size(), true);
            return;
        }
        if (m_mode == Mode::Corrupt) {
            QByteArray bad = file;
            bad[bad.size() / 3] = char(bad.at(bad.size() / 3) ^ 0x5a);
            send(socket, 200, "OK", {}, bad, bad.size(), true);
            return;
        }
        const bool ranged = m_mode != Mode::Whole && request.rangeStart >= 0 && request.rangeStart < file.size();
        const qint64 start = ranged ? request.rangeStart : 0;
        const QByteArray body = file.mid(start);
        const QList<QByteArray> headers =
            ranged ? QList<QByteArray>{"Content-Range: bytes " + QByteArray::number(start) + '-' +
                                       QByteArray::number(file.size() - 1) + '/' + QByteArray::number(file.size())}
                   : QList<QByteArray>{};
        if (m_mode == Mode::Stall) {
            send(socket, ranged ? 206 : 200, ranged ? "Partial Content" : "OK", headers, body.left(body.size() / 2),
                 body.size(), false);
            return;
        }
        send(socket, ranged ? 206 : 200, ranged ? "Partial Content" : "OK", headers, body, body.size(), true);
    }

    QTcpServer m_server;
    QMap<QString, QByteArray> m_files;
    QHash<QTcpSocket *, QByteArray> m_buffers;
    QList<Request> m_requests;
    Mode m_mode = Mode::Ranges;
    bool m_cutDone = false;
    qint64 m_served = 0;
};

}  // namespace dw::test
