// bench_serve: 50 concurrent HTTP clients x 20 predictions each against `deepwb serve`'s
// RestServer on loopback: the echo test plugin (form fields only) and the test-files plugin
// (a 20 KB multipart upload per request, written to and removed from a temporary folder).
// With --classifier MODULE_DIR (a trained image classifier, and the imageclass plugin
// found on the plugin path) it does the same with a PNG per request.
// Prints requests/s and p50/p99 latency, and fails (exit 1) on any failed request.
#include "core/serve/rest_server.h"
#include "serve_fixture.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QHttpMultiPart>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QThread>
#include <QTimer>

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
        : m_url(std::move(url)), m_upload(std::move(upload)), m_uploadName(std::move(uploadName)), m_fields(std::move(fields)),
          m_get(get) {}

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
            QObject::connect(reply, &QNetworkReply::finished, this, [this, reply, timer, c] { done(reply, *timer, c); });
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
            part.setHeader(QNetworkRequest::ContentDispositionHeader, "form-data; name=\"data\"; filename=\"" + m_uploadName + "\"");
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
                m_run.firstFailure = u"HTTP %1 %2: %3"_s.arg(status).arg(reply->errorString(), QString::fromUtf8(body.left(300)));
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

}  // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QString classifier;
    for (int i = 1; i + 1 < argc; ++i) {
        if (QByteArray(argv[i]) == "--classifier")
            classifier = QString::fromLocal8Bit(argv[i + 1]);
    }
    QTemporaryDir dir;
    const QString catalog = dir.filePath(u"catalog"_s);
    test::writeTestModule(catalog, u"echo"_s, u"test-echo"_s, true);
    test::writeTestModule(catalog, u"files"_s, u"test-files"_s, true);
    PluginManager plugins;
    test::loadServeTestPlugins(plugins);
    if (!classifier.isEmpty())
        plugins.load();  // the default paths, where the imageclass plugin is

    ServeOptions options;
    options.port = 0;
    options.catalogDirectory = catalog;
    options.stateDirectory = dir.filePath(u"state"_s);
    if (!classifier.isEmpty()) {
        // The classifier joins the test modules through a link in the bench's catalog.
        QFile::link(QFileInfo(classifier).absoluteFilePath(), QDir(catalog).filePath(QFileInfo(classifier).fileName()));
    }
    RestServer server(options, nullptr, &plugins);
    if (Result<void> started = server.start(); !started) {
        std::fprintf(stderr, "bench_serve: %s\n", qPrintable(started.error().text()));
        return 1;
    }
    std::printf("bench_serve: %d concurrent clients x %d predictions, server on %s (one thread serving HTTP, "
                "predictions on the GPU-queue job thread)\n", kClients, kRequestsPerClient, qPrintable(server.url()));
    // The reference: the same clients on a route that runs no job (HTTP and JSON only).
    bool ok = report("reference: GET /v2/models/ (no job)", measure(server.url() + u"/v2/models/"_s, {}, {}, {}, true));
    ok &= report("echo (form fields)", measure(server.url() + u"/v2/models/echo/predict/"_s, {}, {}, {{u"text"_s, u"hello"_s}}));
    ok &= report("test-files (20 KB upload)", measure(server.url() + u"/v2/models/files/predict/"_s, QByteArray(20 * 1024, 'u'),
                                                      "in.bin", {{u"scale"_s, u"2"_s}}));
    if (!classifier.isEmpty()) {
        QFile png(QDir(QFileInfo(classifier).absoluteFilePath()).filePath(u"bench.png"_s));
        const QString id = QFileInfo(classifier).fileName();
        if (!server.modules().find(id)) {
            std::fprintf(stderr, "bench_serve: %s is not served (is the imageclass plugin on the plugin path?)\n", qPrintable(id));
            return 1;
        }
        QByteArray image;
        for (const QString &candidate : {u"bench.png"_s}) {
            QFile f(QDir(QFileInfo(classifier).absoluteFilePath()).filePath(candidate));
            if (f.open(QIODevice::ReadOnly))
                image = f.readAll();
        }
        if (image.isEmpty()) {
            std::fprintf(stderr, "bench_serve: put a bench.png into %s\n", qPrintable(classifier));
            return 1;
        }
        ok &= report("image classifier (PNG upload)", measure(server.url() + u"/v2/models/%1/predict/"_s.arg(id), image, "x.png", {}));
    }
    server.stop();
    return ok ? 0 : 1;
}
