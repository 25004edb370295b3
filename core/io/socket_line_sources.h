#pragma once
// Lines from the network. UdpLineSource: a QUdpSocket bound to HOST:PORT; each datagram
// holds one line or several (a last line without its break ends with the datagram). Its
// receive buffer is made large (4 MiB asked; the system may cap it) so that a burst is not
// lost while a point is being processed. TcpLineSource: a QTcpServer listening on
// HOST:PORT for any number of clients, each connection's bytes cut into lines on their own
// (a partial line is kept until its break, or delivered when the client closes).
#include "core/io/line_source.h"

#include <QHostAddress>
#include <QTcpServer>
#include <QUdpSocket>

#include <map>
#include <memory>

namespace dw {

// "udp://127.0.0.1:9000", "[::1]" for IPv6 hosts.
QString socketUrl(const QString &scheme, const QHostAddress &address, quint16 port);

class UdpLineSource : public LineSource {
    Q_OBJECT
public:
    // port 0: any free port (port() tells which once started).
    UdpLineSource(QHostAddress address, quint16 port, QObject *parent = nullptr);

    // Errors: the address is not this machine's, the port is taken or needs privileges.
    Result<void> start() override;
    void stop() override;
    QString description() const override;
    quint16 port() const;
    qint64 datagramCount() const { return m_datagrams; }

private:
    void readDatagrams();

    QHostAddress m_address;
    quint16 m_port = 0;
    QUdpSocket m_socket;
    qint64 m_datagrams = 0;
};

class TcpLineSource : public LineSource {
    Q_OBJECT
public:
    TcpLineSource(QHostAddress address, quint16 port, QObject *parent = nullptr);
    ~TcpLineSource() override;

    Result<void> start() override;
    void stop() override;  // closes the server and every connection
    QString description() const override;
    quint16 port() const;
    int clientCount() const { return int(m_clients.size()); }

private:
    void accept();
    void read(QTcpSocket *socket);
    void closed(QTcpSocket *socket);

    QHostAddress m_address;
    quint16 m_port = 0;
    QTcpServer m_server;
    std::map<QTcpSocket *, std::shared_ptr<LineSplitter>> m_clients;  // shared: a slot may stop() mid-read
};

}  // namespace dw
