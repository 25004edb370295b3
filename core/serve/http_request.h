#pragma once
// One HTTP request as the REST server handles it: plain values, copied out of Qt HttpServer's
// request (which the next request on the same connection overwrites).
#include <QByteArray>
#include <QMap>
#include <QString>
#include <QUrlQuery>

namespace dw {

struct HttpRequest {
    QString method;  // "GET", "POST", "DELETE", ...
    QString path;    // decoded, e.g. "/v2/models/x/predict/"
    QUrlQuery query;
    QMap<QByteArray, QByteArray> headers;  // names in lower case
    QByteArray body;
    QString peer;  // the client's address

    QByteArray header(const QByteArray &lowerCaseName) const { return headers.value(lowerCaseName); }
};

}  // namespace dw
