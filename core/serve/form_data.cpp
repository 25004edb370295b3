#include "core/serve/form_data.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

namespace dw {

using namespace Qt::StringLiterals;

namespace {

void addField(QVariantMap &fields, const QString &name, const QVariant &value)
{
    const auto it = fields.find(name);
    if (it == fields.end()) {
        fields.insert(name, value);
        return;
    }
    QVariantList list = it->typeId() == QMetaType::QVariantList ? it->toList() : QVariantList{*it};
    list.append(value);
    *it = list;
}

// A header parameter such as name="data" or filename=x.png of a Content-Disposition line.
QByteArray headerParameter(const QByteArray &header, const QByteArray &key)
{
    const QList<QByteArray> parts = header.split(';');
    for (const QByteArray &raw : parts) {
        const QByteArray part = raw.trimmed();
        const qsizetype eq = part.indexOf('=');
        if (eq <= 0 || part.left(eq).trimmed().toLower() != key)
            continue;
        QByteArray value = part.mid(eq + 1).trimmed();
        if (value.size() >= 2 && value.startsWith('"') && value.endsWith('"'))
            value = value.mid(1, value.size() - 2).replace("\\\"", "\"");
        return value;
    }
    return {};
}

Result<void> parseMultipart(const QByteArray &boundary, const QByteArray &body, FormData &out)
{
    const QByteArray delimiter = "--" + boundary;
    qsizetype pos = body.indexOf(delimiter);
    if (pos < 0)
        return failure(
            u"the multipart body has no part: its boundary \"%1\" never appears"_s.arg(QString::fromLatin1(boundary)));
    while (true) {
        pos += delimiter.size();
        if (body.mid(pos, 2) == "--")
            return success();  // the closing delimiter
        if (body.mid(pos, 2) == "\r\n")
            pos += 2;
        const qsizetype headerEnd = body.indexOf("\r\n\r\n", pos);
        if (headerEnd < 0)
            return failure(u"a part of the multipart body has no end of headers"_s);
        const QList<QByteArray> headerLines = body.mid(pos, headerEnd - pos).split('\n');
        const qsizetype contentStart = headerEnd + 4;
        const qsizetype next = body.indexOf("\r\n" + delimiter, contentStart);
        if (next < 0)
            return failure(u"the multipart body is truncated: its closing boundary is missing"_s);
        QByteArray disposition, partType = "application/octet-stream";
        for (QByteArray line : headerLines) {
            line = line.trimmed();
            const qsizetype colon = line.indexOf(':');
            if (colon <= 0)
                continue;
            const QByteArray key = line.left(colon).trimmed().toLower();
            if (key == "content-disposition")
                disposition = line.mid(colon + 1).trimmed();
            else if (key == "content-type")
                partType = line.mid(colon + 1).trimmed();
        }
        const QString name = QString::fromUtf8(headerParameter(disposition, "name"));
        if (name.isEmpty())
            return failure(
                u"a part of the multipart body has no field name (Content-Disposition: form-data; name=...)"_s);
        const QByteArray content = body.mid(contentStart, next - contentStart);
        if (disposition.toLower().contains("filename=")) {
            out.files.append({name, QString::fromUtf8(headerParameter(disposition, "filename")), partType, content});
        } else {
            addField(out.fields, name, QString::fromUtf8(content));
        }
        pos = next + 2;  // at the delimiter
    }
}

}  // namespace

QByteArray FormData::boundaryOf(const QByteArray &contentType)
{
    return headerParameter(contentType, "boundary");
}

Result<FormData> FormData::parse(const QByteArray &contentType, const QByteArray &body, const QUrlQuery &query)
{
    FormData out;
    const QByteArray type = contentType.split(';').value(0).trimmed().toLower();
    if (type == "multipart/form-data") {
        const QByteArray boundary = boundaryOf(contentType);
        if (boundary.isEmpty())
            return failure(u"the Content-Type multipart/form-data has no boundary"_s);
        Result<void> parsed = parseMultipart(boundary, body, out);
        if (!parsed)
            return parsed.error();
    } else if (type == "application/x-www-form-urlencoded") {
        const QUrlQuery form(QString::fromUtf8(body).replace(u'+', u' '));
        for (const auto &item : form.queryItems(QUrl::FullyDecoded))
            addField(out.fields, item.first, item.second);
    } else if (type == "application/json") {
        if (!body.trimmed().isEmpty()) {
            QJsonParseError error{};
            const QJsonDocument doc = QJsonDocument::fromJson(body, &error);
            if (error.error != QJsonParseError::NoError)
                return failure(
                    u"the JSON body cannot be read: %1 at byte %2"_s.arg(error.errorString()).arg(error.offset));
            if (!doc.isObject())
                return failure(
                    u"the JSON body is %1, not an object: send the arguments as {\"name\": value, ...}"_s.arg(
                        doc.isArray() ? u"an array"_s : u"a single value"_s));
            out.fields = doc.object().toVariantMap();
        }
    } else if (!body.isEmpty() && !type.isEmpty()) {
        return failure(u"the body's Content-Type %1 is not understood: send multipart/form-data, "
                       "application/x-www-form-urlencoded or application/json"_s.arg(QString::fromLatin1(type)));
    }
    for (const auto &item : query.queryItems(QUrl::FullyDecoded)) {
        if (!out.fields.contains(item.first))
            addField(out.fields, item.first, item.second);
    }
    return out;
}

QString FormData::safeFileName(const QString &clientName, int index)
{
    // Only the suffix survives: readers pick formats by it; the rest could be anything.
    static const QRegularExpression suffixPattern(u"^[A-Za-z0-9]{1,10}$"_s);
    const QString suffix = QFileInfo(QString(clientName).replace(u'\\', u'/')).suffix();
    QString name = u"upload-%1"_s.arg(index);
    if (suffixPattern.match(suffix).hasMatch())
        name += u'.' + suffix.toLower();
    return name;
}

}  // namespace dw
