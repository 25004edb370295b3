#include "core/io/socket_line_sources.h"

#include <QNetworkDatagram>
#include <QTcpSocket>

namespace dw {

namespace {

constexpr int kReceiveBuffer = 4 << 20;

QString peerName(const QTcpSocket *socket)
{
    return socketUrl(QStringLiteral("tcp"), socket->peerAddress(), socket->peerPort()).mid(6);
}

}  // namespace

QString socketUrl(const QString &scheme, const QHostAddress &address, quint16 port)
{
    QString host = address.toString();
    if (address.protocol() == QAbstractSocket::IPv6Protocol)
        host = QLatin1Char('[') + host + QLatin1Char(']');
    return QStringLiteral("%1://%2:%3").arg(scheme, host).arg(port);
}

UdpLineSource::UdpLineSource(QHostAddress address, quint16 port, QObject *parent)
    : LineSource(parent), m_address(std::move(address)), m_port(port)
{
    connect(&m_socket, &QUdpSocket::readyRead, this, &UdpLineSource::readDatagrams);
}

Result<void> UdpLineSource::start()
{
    if (!m_socket.bind(m_address, m_port))
        return failure(QStringLiteral("cannot listen on %1: %2")
                           .arg(socketUrl(QStringLiteral("udp"), m_address, m_port), m_socket.errorString()));
    m_socket.setSocketOption(QAbstractSocket::ReceiveBufferSizeSocketOption, kReceiveBuffer);
    m_active = true;
    // Linux grants at most net.core.rmem_max (and reports twice what it keeps for data).
    const int granted = m_socket.socketOption(QAbstractSocket::ReceiveBufferSizeSocketOption).toInt();
    if (granted > 0 && granted < kReceiveBuffer / 2)
        Q_EMIT message(QStringLiteral("%1: the system grants a receive buffer of %2 KiB only (net.core.rmem_max): "
                                      "datagrams beyond it that arrive while a point is processed are lost; "
                                      "senders should pace bursts")
                           .arg(description())
                           .arg(granted / 1024));
    return success();
}

void UdpLineSource::stop()
{
    m_active = false;
    m_socket.close();
}

quint16 UdpLineSource::port() const
{
    return m_socket.state() == QAbstractSocket::BoundState ? m_socket.localPort() : m_port;
}

QString UdpLineSource::description() const
{
    return socketUrl(QStringLiteral("udp"), m_address, port());
}

void UdpLineSource::readDatagrams()
{
    while (m_active && m_socket.hasPendingDatagrams()) {
        const QNetworkDatagram datagram = m_socket.receiveDatagram();
        if (!datagram.isValid()) {
            Q_EMIT errorOccurred(QStringLiteral("%1: %2").arg(description(), m_socket.errorString()));
            return;
        }
        ++m_datagrams;
        LineSplitter splitter;  // a datagram is whole: its last line needs no break
        deliverFrom(splitter, datagram.data());
        if (const QByteArray rest = splitter.takeRest(); !rest.isEmpty())
            deliver(rest);
    }
}

TcpLineSource::TcpLineSource(QHostAddress address, quint16 port, QObject *parent)
    : LineSource(parent), m_address(std::move(address)), m_port(port)
{
    connect(&m_server, &QTcpServer::newConnection, this, &TcpLineSource::accept);
}

TcpLineSource::~TcpLineSource()
{
    stop();
}

Result<void> TcpLineSource::start()
{
    if (!m_server.listen(m_address, m_port))
        return failure(QStringLiteral("cannot listen on %1: %2")
                           .arg(socketUrl(QStringLiteral("tcp"), m_address, m_port), m_server.errorString()));
    m_active = true;
    return success();
}

void TcpLineSource::stop()
{
    m_active = false;
    m_server.close();
    const auto clients = std::move(m_clients);
    m_clients.clear();
    for (const auto &[socket, splitter] : clients) {
        socket->disconnect(this);
        socket->abort();
        socket->deleteLater();
    }
}

quint16 TcpLineSource::port() const
{
    return m_server.isListening() ? m_server.serverPort() : m_port;
}

QString TcpLineSource::description() const
{
    return socketUrl(QStringLiteral("tcp"), m_address, port());
}

void TcpLineSource::accept()
{
    while (QTcpSocket *socket = m_server.nextPendingConnection()) {
        m_clients.emplace(socket, std::make_shared<LineSplitter>());
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { read(socket); });
        connect(socket, &QTcpSocket::disconnected, this, [this, socket] { closed(socket); });
        Q_EMIT message(QStringLiteral("%1: %2 connected").arg(description(), peerName(socket)));
    }
}

void TcpLineSource::read(QTcpSocket *socket)
{
    const auto it = m_clients.find(socket);
    if (it == m_clients.end())
        return;
    const std::shared_ptr<LineSplitter> splitter = it->second;  // kept alive if a slot stops the source
    deliverFrom(*splitter, socket->readAll());
}

void TcpLineSource::closed(QTcpSocket *socket)
{
    if (!m_clients.contains(socket))
        return;
    read(socket);
    const auto it = m_clients.find(socket);  // found again: a slot may have stopped the source
    if (it == m_clients.end())
        return;
    const QByteArray rest = it->second->takeRest();  // the client ended its last line by closing
    m_clients.erase(it);
    if (!rest.isEmpty())
        deliver(rest);
    Q_EMIT message(QStringLiteral("%1: %2 disconnected").arg(description(), peerName(socket)));
    socket->deleteLater();
}

}  // namespace dw
