#include "core/serve/http_reply.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace dw {

HttpReply HttpReply::json(const QJsonObject &object, int status)
{
    HttpReply reply;
    reply.status = status;
    reply.body = QJsonDocument(object).toJson(QJsonDocument::Compact);
    return reply;
}

HttpReply HttpReply::json(const QJsonValue &value, int status)
{
    HttpReply reply;
    reply.status = status;
    reply.body = value.isArray() ? QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact)
                                 : QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact);
    return reply;
}

HttpReply HttpReply::error(int status, const QString &message, const QString &argument)
{
    QJsonObject object{{QStringLiteral("status"), QStringLiteral("error")},
                       {QStringLiteral("code"), status},
                       {QStringLiteral("message"), message}};
    if (!argument.isEmpty())
        object.insert(QStringLiteral("argument"), argument);
    return json(object, status);
}

HttpReply HttpReply::invalid(const QString &message, const QString &argument)
{
    // DEEPaaS (webargs) answers an argument it cannot take with 422 and {"field": ["message"]};
    // our own fields go beside it for the clients of the error shape above.
    const QString field = argument.isEmpty() ? QStringLiteral("_request") : argument;
    QJsonObject object{{field, QJsonArray{message}},
                       {QStringLiteral("status"), QStringLiteral("error")},
                       {QStringLiteral("code"), 422},
                       {QStringLiteral("message"), message}};
    if (!argument.isEmpty())
        object.insert(QStringLiteral("argument"), argument);
    return json(object, 422);
}

HttpReply HttpReply::bytes(QByteArray body, QByteArray contentType, int status)
{
    HttpReply reply;
    reply.status = status;
    reply.body = std::move(body);
    reply.contentType = std::move(contentType);
    return reply;
}

QByteArray HttpReply::reasonPhrase(int status)
{
    switch (status) {
    case 100:
        return "Continue";
    case 200:
        return "OK";
    case 201:
        return "Created";
    case 202:
        return "Accepted";
    case 204:
        return "No Content";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 406:
        return "Not Acceptable";
    case 408:
        return "Request Timeout";
    case 409:
        return "Conflict";
    case 411:
        return "Length Required";
    case 413:
        return "Payload Too Large";
    case 415:
        return "Unsupported Media Type";
    case 422:
        return "Unprocessable Entity";
    case 429:
        return "Too Many Requests";
    case 431:
        return "Request Header Fields Too Large";
    case 500:
        return "Internal Server Error";
    case 502:
        return "Bad Gateway";
    case 503:
        return "Service Unavailable";
    default:
        return status < 400 ? "OK" : "Error";
    }
}

QByteArray HttpReply::serialize(bool closeConnection) const
{
    QByteArray out;
    out.reserve(body.size() + 256);
    out += "HTTP/1.1 " + QByteArray::number(status) + ' ' + reasonPhrase(status) + "\r\n";
    out += "Content-Type: " + contentType + "\r\n";
    out += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
    for (const auto &header : headers)
        out += header.first + ": " + header.second + "\r\n";
    if (closeConnection)
        out += "Connection: close\r\n";
    out += "\r\n";
    out += body;
    return out;
}

}  // namespace dw
