#pragma once
// The arguments of a request: multipart/form-data (DEEPaaS's way: files and fields),
// application/x-www-form-urlencoded, a JSON object, plus the URL's query. Files stay bytes
// here; the REST server writes them to a temporary folder under names it makes itself.
#include "core/util/result.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QUrlQuery>
#include <QVariantMap>

namespace dw {

struct UploadedFile {
    QString field;     // the form field ("data")
    QString fileName;  // as the client named it: never used as a path
    QByteArray contentType;
    QByteArray content;
};

struct FormData {
    QVariantMap fields;  // name -> QString, or QVariantList when a name repeats
    QList<UploadedFile> files;

    // contentType: the request's Content-Type header. Query items are added as fields (the
    // body wins when both name one). Errors say what is malformed.
    static Result<FormData> parse(const QByteArray &contentType, const QByteArray &body, const QUrlQuery &query = {});
    // The multipart boundary of a Content-Type header; empty when there is none.
    static QByteArray boundaryOf(const QByteArray &contentType);
    // A name made only of [A-Za-z0-9._-] and no leading dot: safe inside a folder of ours.
    static QString safeFileName(const QString &clientName, int index);
};

}  // namespace dw
