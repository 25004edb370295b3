// bench_serve: 50 concurrent HTTP clients x 20 predictions each against `deepwb serve`'s
// RestServer on loopback: the echo test plugin (form fields only) and the test-files plugin
// (a 20 KB multipart upload per request, written to and removed from a temporary folder).
// When the image classification plugin is built, it trains a small classifier through the
// API and does the same with a PNG per request. Then again with a training running beside
// the predictions (a long SmallCNN training over REST, or the test-files plugin's without
// the classifier): predictions have their own queue and must not wait for it.
// Prints requests/s and p50/p99 latency, and fails (exit 1) on any failed request.
#include "core/serve/rest_server.h"
#include "core/task/task_plugin.h"
#include "serve_fixture.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QHttpMultiPart>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QThread>
#include <QTimer>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <vector>

using namespace dw;
using namespace Qt::StringLiterals;

namespace {

constexpr int kClients = 50;
constexpr int kRequestsPerClient = 20;

struct Run {
    std::vector<double> latenciesMs;
    int failed = 0;
    QString firstFailure;
    double seconds = 0;
};

// The clients, on a thread of their own so that the server's thread only serves.
class Clients : public QObject {
public:
    Clients(QString url, QByteArray upload, QByteArray uploadName, QList<std::pair<QString, QString>> fields, bool get)
        : m_url(std::move(url)), m_upload(std::move(upload)), m_uploadName(std::move(uploadName)),
          m_fields(std::move(fields)), m_get(get)
    {}

    Run run()
    {
        QEventLoop loop;
        m_loop = &loop;
        QElapsedTimer wall;
        wall.start();
        for (int c = 0; c < kClients; ++c) {
            // One manager per client: each keeps its own connection, as separate clients would.
            m_managers.push_back(std::make_unique<QNetworkAccessManager>());
            m_left.push_back(kRequestsPerClient);
            next(c);
        }
        QTimer::singleShot(600000, &loop, &QEventLoop::quit);
        loop.exec();
        m_run.seconds = wall.elapsed() / 1000.0;
        return m_run;
    }

private:
    void next(int c)
    {
        if (m_left[c]-- == 0) {
            if (++m_done == kClients)
                m_loop->quit();
            return;
        }
        if (m_get) {
            auto timer = std::make_shared<QElapsedTimer>();
            timer->start();
            QNetworkReply *reply = m_managers[c]->get(QNetworkRequest(QUrl(m_url)));
            QObject::connect(reply, &QNetworkReply::finished, this,
                             [this, reply, timer, c] { done(reply, *timer, c); });
            return;
        }
        auto *multi = new QHttpMultiPart(QHttpMultiPart::FormDataType);
        for (const auto &field : m_fields) {
            QHttpPart part;
            part.setHeader(QNetworkRequest::ContentDispositionHeader, u"form-data; name=\"%1\""_s.arg(field.first));
            part.setBody(field.second.toUtf8());
            multi->append(part);
        }
        if (!m_upload.isEmpty()) {
            QHttpPart part;
            part.setHeader(QNetworkRequest::ContentDispositionHeader,
                           "form-data; name=\"data\"; filename=\"" + m_uploadName + "\"");
            part.setBody(m_upload);
            multi->append(part);
        }
        auto timer = std::make_shared<QElapsedTimer>();
        timer->start();
        QNetworkReply *reply = m_managers[c]->post(QNetworkRequest(QUrl(m_url)), multi);
        multi->setParent(reply);
        QObject::connect(reply, &QNetworkReply::finished, this, [this, reply, timer, c] { done(reply, *timer, c); });
    }

    void done(QNetworkReply *reply, const QElapsedTimer &timer, int c)
    {
        const double ms = timer.nsecsElapsed() / 1e6;
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        const QByteArray body = reply->readAll();
        if (status != 200 || (!m_get && !body.contains("\"OK\""))) {
            if (m_run.failed++ == 0)
                m_run.firstFailure =
                    u"HTTP %1 %2: %3"_s.arg(status).arg(reply->errorString(), QString::fromUtf8(body.left(300)));
        }
        m_run.latenciesMs.push_back(ms);
        reply->deleteLater();
        next(c);
    }

    QString m_url;
    QByteArray m_upload, m_uploadName;
    QList<std::pair<QString, QString>> m_fields;
    bool m_get = false;
    std::vector<std::unique_ptr<QNetworkAccessManager>> m_managers;
    std::vector<int> m_left;
    int m_done = 0;
    QEventLoop *m_loop = nullptr;
    Run m_run;
};

double percentile(std::vector<double> values, double p)
{
    if (values.empty())
        return 0;
    std::sort(values.begin(), values.end());
    const size_t index = std::min(values.size() - 1, size_t(p * double(values.size() - 1) + 0.5));
    return values[index];
}

// Runs the clients on another thread while this one keeps serving.
Run measure(const QString &url, const QByteArray &upload, const QByteArray &uploadName,
            const QList<std::pair<QString, QString>> &fields, bool get = false)
{
    Run result;
    bool finished = false;
    QThread *thread = QThread::create([&] {
        Clients clients(url, upload, uploadName, fields, get);
        result = clients.run();
        finished = true;
    });
    QEventLoop loop;
    QObject::connect(thread, &QThread::finished, &loop, &QEventLoop::quit);
    thread->start();
    loop.exec();
    thread->wait();
    delete thread;
    Q_UNUSED(finished);
    return result;
}

bool report(const char *name, const Run &run)
{
    const int total = kClients * kRequestsPerClient;
    std::printf("%-34s %5d requests  %7.1f requests/s  p50 %7.2f ms  p99 %7.2f ms  failed %d\n", name, total,
                double(total) / std::max(run.seconds, 1e-9), percentile(run.latenciesMs, 0.50),
                percentile(run.latenciesMs, 0.99), run.failed);
    if (run.failed)
        std::printf("  first failure: %s\n", qPrintable(run.firstFailure));
    std::fflush(stdout);
    return run.failed == 0 && int(run.latenciesMs.size()) == total;
}

QJsonObject postJson(QNetworkAccessManager &manager, const QUrl &url, const QJsonObject &json)
{
    QNetworkRequest request(url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, "application/json");
    QNetworkReply *reply = manager.post(request, QJsonDocument(json).toJson());
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    loop.exec();
    const QJsonObject answer = QJsonDocument::fromJson(reply->readAll()).object();
    reply->deleteLater();
    return answer;
}

QJsonObject getJson(QNetworkAccessManager &manager, const QUrl &url, const QByteArray &verb = "GET")
{
    QNetworkReply *reply = manager.sendCustomRequest(QNetworkRequest(url), verb);
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    loop.exec();
    const QJsonObject answer = QJsonDocument::fromJson(reply->readAll()).object();
    reply->deleteLater();
    return answer;
}

// Two classes of generated 28 px images in dataRoot/shapes.
void writeShapes(const QString &dataRoot)
{
    for (const QString &label : {u"square"_s, u"disc"_s}) {
        const QString folder = QDir(dataRoot).filePath(u"shapes/"_s + label);
        QDir().mkpath(folder);
        for (int i = 0; i < 16; ++i) {
            cv::Mat image(28, 28, CV_8UC3, cv::Scalar(20 + i, 20, 20));
            if (label == u"square"_s)
                cv::rectangle(image, cv::Rect(6 + i % 3, 6, 14, 14), cv::Scalar(240, 240, 240), cv::FILLED);
            else
                cv::circle(image, cv::Point(14, 14 + i % 3), 6, cv::Scalar(90, 30, 200), cv::FILLED);
            cv::imwrite(QDir(folder).filePath(u"%1.png"_s.arg(i)).toStdString(), image);
        }
    }
}

// Starts a SmallCNN training on the shapes through POST .../train/ on the built-in
// image-classifier template, as a user of the API would; returns its uuid (empty: refused).
QString startClassifierTraining(RestServer &server, QNetworkAccessManager &manager, const QString &dataRoot,
                                const QString &name, int epochs)
{
    const QJsonObject args{{u"data"_s, QDir(dataRoot).filePath(u"shapes"_s)},
                           {u"name"_s, name},
                           {u"arch"_s, u"smallcnn"_s},
                           {u"epochs"_s, epochs},
                           {u"batch"_s, 8},
                           {u"augment"_s, false},
                           {u"workers"_s, 1},
                           {u"lr"_s, 0.01}};
    const QJsonObject started = postJson(manager, QUrl(server.url() + u"/v2/models/image-classifier/train/"_s), args);
    const QString uuid = started.value(u"uuid"_s).toString();
    if (uuid.isEmpty())
        std::fprintf(stderr, "bench_serve: the training did not start: %s\n",
                     QJsonDocument(started).toJson().constData());
    return uuid;
}

// Trains the classifier to the end; returns the module's id.
QString trainClassifier(RestServer &server, const QString &dataRoot)
{
    writeShapes(dataRoot);
    QNetworkAccessManager manager;
    const QString uuid = startClassifierTraining(server, manager, dataRoot, u"bench-shapes"_s, 8);
    if (uuid.isEmpty())
        return {};
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < 300000) {
        const QJsonObject record =
            getJson(manager, QUrl(server.url() + u"/v2/models/image-classifier/train/"_s + uuid));
        const QString status = record.value(u"status"_s).toString();
        if (status == u"done"_s)
            return server.modules().find(u"bench-shapes"_s) ? u"bench-shapes"_s : QString();
        if (status != u"running"_s) {
            std::fprintf(stderr, "bench_serve: the training failed: %s\n",
                         qPrintable(record.value(u"message"_s).toString()));
            return {};
        }
        QThread::msleep(100);
    }
    return {};
}

}  // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QTemporaryDir dir;
    const QString catalog = dir.filePath(u"catalog"_s);
    test::writeTestModule(catalog, u"echo"_s, u"test-echo"_s, true);
    test::writeTestModule(catalog, u"files"_s, u"test-files"_s, true);
    PluginManager plugins;
    test::loadServeTestPlugins(plugins);
    plugins.load({QStringLiteral(DW_BIN_DIR "/plugins")});  // the image classification plugin, when built

    ServeOptions options;
    options.port = 0;
    options.catalogDirectory = catalog;
    options.stateDirectory = dir.filePath(u"state"_s);
    options.dataRoots = {dir.filePath(u"data"_s)};
    QDir().mkpath(dir.filePath(u"data"_s));
    RestServer server(options, nullptr, &plugins);
    if (Result<void> started = server.start(); !started) {
        std::fprintf(stderr, "bench_serve: %s\n", qPrintable(started.error().text()));
        return 1;
    }
    std::printf("bench_serve: %d concurrent clients x %d predictions, server on %s (one thread serving HTTP, "
                "predictions on a job thread of their own, trainings on the GPU queue, device %s)\n",
                kClients, kRequestsPerClient, qPrintable(server.url()), qPrintable(options.device));
    // The reference: the same clients on a route that runs no job (HTTP and JSON only).
    bool ok = report("reference: GET /v2/models/ (no job)", measure(server.url() + u"/v2/models/"_s, {}, {}, {}, true));
    ok &= report("echo (form fields)",
                 measure(server.url() + u"/v2/models/echo/predict/"_s, {}, {}, {{u"text"_s, u"hello"_s}}));
    ok &= report("test-files (20 KB upload)", measure(server.url() + u"/v2/models/files/predict/"_s,
                                                      QByteArray(20 * 1024, 'u'), "in.bin", {{u"scale"_s, u"2"_s}}));
    if (plugins.plugin(u"image-classification"_s)) {
        QElapsedTimer training;
        training.start();
        const QString id = trainClassifier(server, dir.filePath(u"data"_s));
        if (id.isEmpty())
            return 1;
        std::printf("trained the SmallCNN classifier over REST in %.1f s\n", training.elapsed() / 1000.0);
        std::vector<uchar> png;
        cv::Mat query(28, 28, CV_8UC3, cv::Scalar(20, 20, 20));
        cv::rectangle(query, cv::Rect(7, 6, 14, 14), cv::Scalar(240, 240, 240), cv::FILLED);
        cv::imencode(".png", query, png);
        // The reference: the same prediction called directly, one at a time, without HTTP or jobs.
        {
            const QString png_path = dir.filePath(u"query.png"_s);
            QFile out(png_path);
            out.open(QIODevice::WriteOnly);
            out.write(reinterpret_cast<const char *>(png.data()), qsizetype(png.size()));
            out.close();
            TaskPlugin *plugin = plugins.plugin(u"image-classification"_s);
            const ServedModule *module = server.modules().find(id);
            Result<QVariantMap> args = plugin->predictArguments().validate(
                {{u"module"_s, module->directory}, {u"inputs"_s, QStringList{png_path}}, {u"top"_s, 2}});
            std::vector<double> direct;
            JobContext context;
            for (int i = 0; i < 20 && args; ++i) {
                QElapsedTimer one;
                one.start();
                const bool fine = plugin->predict(*args, context).ok();
                direct.push_back(one.nsecsElapsed() / 1e6);
                ok &= fine;
            }
            std::printf("%-34s %5d calls     direct, in process      p50 %7.2f ms  p99 %7.2f ms\n",
                        "reference: SmallCNN predict()", 20, percentile(direct, 0.5), percentile(direct, 0.99));
        }
        ok &= report("SmallCNN classifier (28 px PNG)",
                     measure(server.url() + u"/v2/models/%1/predict/"_s.arg(id),
                             QByteArray(reinterpret_cast<const char *>(png.data()), qsizetype(png.size())), "query.png",
                             {{u"top"_s, u"2"_s}}));
        // The same with a long SmallCNN training running on the same CPU cores.
        QNetworkAccessManager manager;
        const QString busy = startClassifierTraining(server, manager, dir.filePath(u"data"_s), u"bench-long"_s, 10000);
        if (busy.isEmpty())
            return 1;
        QThread::msleep(2000);  // well into its first epochs
        const QJsonObject before =
            getJson(manager, QUrl(server.url() + u"/v2/models/image-classifier/train/"_s + busy));
        ok &= report("SmallCNN, a training running",
                     measure(server.url() + u"/v2/models/%1/predict/"_s.arg(id),
                             QByteArray(reinterpret_cast<const char *>(png.data()), qsizetype(png.size())), "query.png",
                             {{u"top"_s, u"2"_s}}));
        const QJsonObject after = getJson(manager, QUrl(server.url() + u"/v2/models/image-classifier/train/"_s + busy));
        std::printf("%-34s training %s before and %s after the predictions, progress %.4f -> %.4f\n", "",
                    qPrintable(before.value(u"status"_s).toString()), qPrintable(after.value(u"status"_s).toString()),
                    before.value(u"progress"_s).toDouble(), after.value(u"progress"_s).toDouble());
        ok &= after.value(u"status"_s).toString() == u"running"_s;
        getJson(manager, QUrl(server.url() + u"/v2/models/image-classifier/train/"_s + busy), "DELETE");
    } else {
        std::printf("image classification plugin not built: no classifier run (build the 'imageclass' target)\n");
        // A training of the test-files plugin (it sleeps in steps) instead.
        QNetworkAccessManager manager;
        const QJsonObject started = postJson(manager, QUrl(server.url() + u"/v2/models/files/train/"_s),
                                             {{u"name"_s, u"bench-long"_s}, {u"steps"_s, 100000}, {u"step-ms"_s, 10}});
        const QString busy = started.value(u"uuid"_s).toString();
        ok &= !busy.isEmpty();
        ok &= report("echo, a training running",
                     measure(server.url() + u"/v2/models/echo/predict/"_s, {}, {}, {{u"text"_s, u"hello"_s}}));
        getJson(manager, QUrl(server.url() + u"/v2/models/files/train/"_s + busy), "DELETE");
    }
    server.stop();
    return ok ? 0 : 1;
}
