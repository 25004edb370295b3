#pragma once
// One HTTP response as the REST server builds it: status, content type, extra headers and
// body. Errors are JSON in one shape: {"status": "error", "code": ..., "message": ..., "argument"?: ...};
// an argument in error (422) also carries DEEPaaS's {"<argument>": ["message"]}.
#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QString>

namespace dw {

struct HttpReply {
    int status = 200;
    QByteArray contentType = "application/json";
    QByteArray body;
    QList<QPair<QByteArray, QByteArray>> headers;

    static HttpReply json(const QJsonObject &object, int status = 200);
    static HttpReply json(const QJsonValue &value, int status = 200);
    static HttpReply error(int status, const QString &message, const QString &argument = {});
    // 422: an argument that cannot be taken, in DEEPaaS's shape {"<argument>": ["message"]}
    // plus the fields of error() (status, code, message, argument).
    static HttpReply invalid(const QString &message, const QString &argument = {});
    static HttpReply bytes(QByteArray body, QByteArray contentType, int status = 200);

    // The whole response on the wire (HTTP/1.1), Content-Length included.
    QByteArray serialize(bool closeConnection) const;
    static QByteArray reasonPhrase(int status);
};

}  // namespace dw
