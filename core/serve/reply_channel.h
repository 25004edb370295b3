#pragma once
// Sends the one response of a request, now or later (after a job): the connection may be
// gone by then, which is noticed rather than crashed on. Copies share the same state, so a
// response is sent at most once.
#include "core/serve/http_reply.h"

#include <QPointer>
#include <QTcpSocket>

#include <functional>
#include <memory>

namespace dw {

class ReplyChannel {
public:
    // onSent: called once with the status when the response goes out (the request log).
    ReplyChannel(QTcpSocket *socket, bool closeAfter, std::function<void(int status)> onSent = {});

    // False when the client has gone or a response was already sent.
    bool send(const HttpReply &reply) const;
    void setOnSent(std::function<void(int status)> onSent) const { m_state->onSent = std::move(onSent); }
    bool isSent() const { return m_state->sent; }
    bool isConnected() const;

private:
    struct State {
        QPointer<QTcpSocket> socket;
        bool closeAfter = false;
        bool sent = false;
        std::function<void(int)> onSent;
    };
    std::shared_ptr<State> m_state;
};

}  // namespace dw
