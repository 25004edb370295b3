#include "core/serve/reply_channel.h"

namespace dw {

ReplyChannel::ReplyChannel(QTcpSocket *socket, bool closeAfter, std::function<void(int status)> onSent)
    : m_state(std::make_shared<State>())
{
    m_state->socket = socket;
    m_state->closeAfter = closeAfter;
    m_state->onSent = std::move(onSent);
}

bool ReplyChannel::isConnected() const
{
    return m_state->socket && m_state->socket->state() == QAbstractSocket::ConnectedState;
}

bool ReplyChannel::send(const HttpReply &reply) const
{
    if (m_state->sent)
        return false;
    m_state->sent = true;
    if (m_state->onSent)
        m_state->onSent(reply.status);
    if (!isConnected())
        return false;
    QTcpSocket *socket = m_state->socket;
    socket->write(reply.serialize(m_state->closeAfter));
    if (m_state->closeAfter)
        socket->disconnectFromHost();  // after what was written has gone out
    return true;
}

}  // namespace dw
