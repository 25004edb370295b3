#pragma once
// A small HTTP client for the REST API tests: QNetworkAccessManager requests that wait (with
// the event loop running, so that a server on the same thread keeps serving) for the answer.
#include <QElapsedTimer>
#include <QEventLoop>
#include <QHttpMultiPart>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTimer>
#include <QUrl>

#include <utility>

namespace dw::test {

struct HttpAnswer {
    int status = 0;  // 0: no HTTP answer at all
    QByteArray body;
    QByteArray contentType;
    QNetworkReply::NetworkError error = QNetworkReply::NoError;
    QJsonObject json() const { return QJsonDocument::fromJson(body).object(); }
    QJsonArray array() const { return QJsonDocument::fromJson(body).array(); }
};

class HttpClient {
public:
    explicit HttpClient(QString base) : m_base(std::move(base)) {}
    void setToken(const QByteArray &token) { m_token = token; }

    HttpAnswer get(const QString &path) { return send("GET", path, {}, {}); }
    HttpAnswer del(const QString &path) { return send("DELETE", path, {}, {}); }
    HttpAnswer postJson(const QString &path, const QJsonObject &json)
    {
        return send("POST", path, QJsonDocument(json).toJson(QJsonDocument::Compact), "application/json");
    }
    HttpAnswer postRaw(const QString &path, const QByteArray &body, const QByteArray &type)
    {
        return send("POST", path, body, type);
    }

    // A multipart form: text fields, and files as (field, file name, content).
    HttpAnswer postForm(const QString &path, const QList<std::pair<QString, QString>> &fields,
                        const QList<std::tuple<QString, QString, QByteArray>> &files = {})
    {
        auto *multi = new QHttpMultiPart(QHttpMultiPart::FormDataType);
        for (const auto &field : fields) {
            QHttpPart part;
            part.setHeader(QNetworkRequest::ContentDispositionHeader,
                           QStringLiteral("form-data; name=\"%1\"").arg(field.first));
            part.setBody(field.second.toUtf8());
            multi->append(part);
        }
        for (const auto &[name, fileName, content] : files) {
            QHttpPart part;
            part.setHeader(QNetworkRequest::ContentDispositionHeader,
                           QStringLiteral("form-data; name=\"%1\"; filename=\"%2\"").arg(name, fileName));
            part.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/octet-stream"));
            part.setBody(content);
            multi->append(part);
        }
        QNetworkRequest request = makeRequest(path);
        QNetworkReply *reply = m_manager.post(request, multi);
        multi->setParent(reply);
        return wait(reply);
    }

    HttpAnswer send(const QByteArray &verb, const QString &path, const QByteArray &body, const QByteArray &type)
    {
        QNetworkRequest request = makeRequest(path);
        if (!type.isEmpty())
            request.setHeader(QNetworkRequest::ContentTypeHeader, type);
        return wait(m_manager.sendCustomRequest(request, verb, body));
    }

    int timeoutMs = 20000;

private:
    QNetworkRequest makeRequest(const QString &path) const
    {
        QNetworkRequest request(QUrl(m_base + path));
        if (!m_token.isEmpty())
            request.setRawHeader("Authorization", "Bearer " + m_token);
        return request;
    }

    HttpAnswer wait(QNetworkReply *reply)
    {
        QEventLoop loop;
        QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
        QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
        if (!reply->isFinished())
            loop.exec();
        HttpAnswer answer;
        answer.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        answer.body = reply->readAll();
        answer.contentType = reply->header(QNetworkRequest::ContentTypeHeader).toByteArray();
        answer.error = reply->error();
        if (!reply->isFinished())
            reply->abort();
        reply->deleteLater();
        return answer;
    }

    QString m_base;
    QByteArray m_token;
    QNetworkAccessManager m_manager;
};

// The record of a training started over REST once it is no longer running (or the last one
// read when timeoutMs passed first).
inline QJsonObject finishedTraining(HttpClient &client, const QString &model, const QString &uuid,
                                    int timeoutMs = 120000)
{
    QJsonObject record;
    QElapsedTimer clock;
    clock.start();
    while (clock.elapsed() < timeoutMs) {
        record = client.get(QStringLiteral("/v2/models/%1/train/%2").arg(model, uuid)).json();
        if (record.value(QStringLiteral("status")).toString() != QLatin1String("running"))
            break;
        QEventLoop loop;
        QTimer::singleShot(100, &loop, &QEventLoop::quit);
        loop.exec();
    }
    return record;
}

}  // namespace dw::test
