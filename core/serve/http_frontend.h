#pragma once
// The HTTP layer on Qt HttpServer (6.4's QAbstractHttpServer): takes each parsed request,
// copies it into an HttpRequest and hands it, with a ReplyChannel, to one handler. Replies
// may come later (from jobs); the handler decides.
#include "core/serve/http_request.h"
#include "core/serve/reply_channel.h"

#include <QAbstractHttpServer>

#include <functional>

namespace dw {

class HttpFrontend : public QAbstractHttpServer {
    Q_OBJECT
public:
    using Handler = std::function<void(const HttpRequest &request, const ReplyChannel &reply)>;
    explicit HttpFrontend(Handler handler, QObject *parent = nullptr);

protected:
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override;
    void missingHandler(const QHttpServerRequest &request, QTcpSocket *socket) override;

private:
    Handler m_handler;
};

}  // namespace dw
