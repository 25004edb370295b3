// fetchWeights against a local HTTP server: download, verification, reuse, resume after a
// cut or a cancel, and the messages for a damaged file, no server and a missing file.
#include "weights_http_server.h"

#include "core/jobs/job_context.h"
#include "core/weights/weight_cache.h"
#include "core/weights/weight_download.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QMutex>
#include <QTemporaryDir>
#include <QtTest>

#include <atomic>
#include <cmath>
#include <memory>
#include <optional>
#include <thread>

using namespace dw;
using namespace dw::weights;
using dw::test::FakeWeights;
using dw::test::WeightsHttpServer;

namespace {

// One fetchWeights on a worker thread (it blocks its thread), while the server answers
// from the test's event loop.
class FetchRun {
public:
    explicit FetchRun(PretrainedWeights weights)
    {
        JobContext::Callbacks callbacks;
        callbacks.progress = [this](double fraction, const QString &message) {
            if (!std::isnan(fraction))
                m_fraction.store(fraction);
            QMutexLocker lock(&m_mutex);
            m_messages << message;
        };
        callbacks.log = [this](const QString &line) {
            QMutexLocker lock(&m_mutex);
            m_messages << line;
        };
        m_thread = std::thread([this, weights, callbacks] {
            JobContext context(QStringLiteral("test"), &m_cancel, callbacks);
            Result<QString> result = fetchWeights(weights, context);
            {
                QMutexLocker lock(&m_mutex);
                m_result.emplace(std::move(result));
            }
            m_finished.store(true);
        });
    }
    ~FetchRun()
    {
        m_cancel.store(true);
        if (m_thread.joinable())
            m_thread.join();
    }

    bool wait(int timeoutMs = 20000)
    {
        if (!QTest::qWaitFor([this] { return m_finished.load(); }, timeoutMs))
            return false;
        m_thread.join();
        return true;
    }
    void cancel() { m_cancel.store(true); }
    double fraction() const { return m_fraction.load(); }
    const Result<QString> &result() const { return *m_result; }
    QStringList messages()
    {
        QMutexLocker lock(&m_mutex);
        return m_messages;
    }

private:
    std::atomic_bool m_cancel{false};
    std::atomic_bool m_finished{false};
    std::atomic<double> m_fraction{0.0};
    QMutex m_mutex;
    QStringList m_messages;
    std::optional<Result<QString>> m_result;
    std::thread m_thread;
};

QByteArray contents(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

}  // namespace

class TestWeightDownload : public QObject {
    Q_OBJECT

    QTemporaryDir m_root;
    std::unique_ptr<QTemporaryDir> m_cacheDir;
    std::unique_ptr<WeightsHttpServer> m_server;
    FakeWeights m_file;

    QString cacheFolder() const { return m_cacheDir->path(); }
    PretrainedWeights entry(bool fullDigest) const
    {
        PretrainedWeights w;
        w.architecture = QStringLiteral("tinynet");
        w.torchvisionName = QStringLiteral("tinynet");
        w.variant = QStringLiteral("TEST_V1");
        w.isDefault = true;
        w.fileName = m_file.fileName(QStringLiteral("tinynet"));
        w.officialUrl = QStringLiteral("https://download.pytorch.org/models/") + w.fileName;
        w.sizeBytes = m_file.bytes.size();
        w.sha256 = fullDigest ? m_file.sha256 : QString();
        return w;
    }
    QStringList folderFiles() const
    {
        return QDir(cacheFolder()).entryList(QDir::Files | QDir::Hidden | QDir::NoDotAndDotDot);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_root.isValid());
        // Nothing of the user's: home, caches, settings and torchvision's folder in the temporary folder.
        qputenv("HOME", m_root.filePath(QStringLiteral("home")).toUtf8());
        qputenv("XDG_CACHE_HOME", m_root.filePath(QStringLiteral("cache")).toUtf8());
        qputenv("XDG_CONFIG_HOME", m_root.filePath(QStringLiteral("config")).toUtf8());
        qputenv("TORCH_HOME", m_root.filePath(QStringLiteral("torch")).toUtf8());
        qputenv("no_proxy", "127.0.0.1,localhost");
        qunsetenv("http_proxy");
        qunsetenv("HTTP_PROXY");
        m_file = FakeWeights::make(700 * 1024 + 13, 42);
    }

    void init()
    {
        m_cacheDir = std::make_unique<QTemporaryDir>(m_root.filePath(QStringLiteral("weights-XXXXXX")));
        QVERIFY(m_cacheDir->isValid());
        qputenv("DEEPWB_WEIGHTS_DIR", cacheFolder().toUtf8());
        m_server = std::make_unique<WeightsHttpServer>();
        QVERIFY(m_server->listen());
        m_server->addFile(m_file.fileName(QStringLiteral("tinynet")), m_file.bytes);
        qputenv("DEEPWB_WEIGHTS_URL", m_server->baseUrl().toUtf8());
    }

    void cleanup()
    {
        m_server.reset();
        m_cacheDir.reset();
    }

    void goodFileIsFetchedRecordedAndReused_data()
    {
        QTest::addColumn<bool>("fullDigest");
        QTest::newRow("full digest known") << true;
        QTest::newRow("hash prefix only") << false;
    }
    void goodFileIsFetchedRecordedAndReused()
    {
        QFETCH(bool, fullDigest);
        const PretrainedWeights w = entry(fullDigest);
        m_server->setMode(WeightsHttpServer::Mode::Whole);
        FetchRun first(w);
        QVERIFY(first.wait());
        QVERIFY2(first.result().ok(), qPrintable(first.result() ? QString() : first.result().error().text()));
        const QString expectedPath = QDir(cacheFolder()).filePath(w.fileName);
        QCOMPARE(first.result().value(), expectedPath);
        QCOMPARE(contents(expectedPath), m_file.bytes);
        QCOMPARE(m_server->requestCount(), 1);
        QCOMPARE(m_server->requests().first().path, QStringLiteral("/models/") + w.fileName);
        QCOMPARE(m_server->requests().first().rangeStart, qint64(-1));
        QCOMPARE(WeightCache().recordedSha256(w.fileName), m_file.sha256);
        QVERIFY(!QFileInfo::exists(expectedPath + QStringLiteral(".part")));
        QCOMPARE(first.fraction(), 1.0);
        const QStringList messages = first.messages();
        QVERIFY2(messages.filter(QRegularExpression(QStringLiteral("^downloading %1: [0-9.]+ of 0.7 MB, [0-9.]+ MB/s$")
                                                        .arg(QRegularExpression::escape(w.fileName))))
                         .size() > 0,
                 qPrintable(messages.join(QLatin1Char('\n'))));

        FetchRun second(w);
        QVERIFY(second.wait());
        QVERIFY(second.result().ok());
        QCOMPARE(second.result().value(), expectedPath);
        QCOMPARE(m_server->requestCount(), 1);  // reused: no new request
    }

    void redirectIsFollowed()
    {
        const PretrainedWeights w = entry(true);
        m_server->setMode(WeightsHttpServer::Mode::Redirect);
        FetchRun run(w);
        QVERIFY(run.wait());
        QVERIFY2(run.result().ok(), qPrintable(run.result() ? QString() : run.result().error().text()));
        QCOMPARE(m_server->requestCount(), 2);
        QCOMPARE(m_server->requests().at(1).path, QStringLiteral("/mirror/") + w.fileName);
        QCOMPARE(contents(run.result().value()), m_file.bytes);
    }

    void corruptedFileIsRefusedAndDeleted_data()
    {
        QTest::addColumn<bool>("fullDigest");
        QTest::newRow("full digest known") << true;
        QTest::newRow("hash prefix only") << false;
    }
    void corruptedFileIsRefusedAndDeleted()
    {
        QFETCH(bool, fullDigest);
        const PretrainedWeights w = entry(fullDigest);
        m_server->setMode(WeightsHttpServer::Mode::Corrupt);
        FetchRun run(w);
        QVERIFY(run.wait());
        QVERIFY(!run.result().ok());
        QByteArray corrupted = m_file.bytes;
        corrupted[corrupted.size() / 3] = char(corrupted.at(corrupted.size() / 3) ^ 0x5a);
        const QString found =
            QString::fromLatin1(QCryptographicHash::hash(corrupted, QCryptographicHash::Sha256).toHex());
        const QString message = run.result().error().text();
        QVERIFY2(message.contains(QStringLiteral("damaged")), qPrintable(message));
        QVERIFY2(message.contains(found), qPrintable(message));
        QVERIFY2(message.contains(w.hashPrefix()), qPrintable(message));
        if (fullDigest)
            QVERIFY2(message.contains(m_file.sha256), qPrintable(message));
        QVERIFY2(message.contains(m_server->baseUrl()), qPrintable(message));
        QVERIFY2(message.contains(QStringLiteral("deepwb weights import")), qPrintable(message));
        QVERIFY2(folderFiles().filter(QStringLiteral(".pth")).isEmpty(),
                 qPrintable(folderFiles().join(QLatin1Char(' '))));
        QVERIFY(WeightCache().recordedSha256(w.fileName).isEmpty());
    }

    void cutConnectionIsResumedWithRange()
    {
        const PretrainedWeights w = entry(true);
        m_server->setMode(WeightsHttpServer::Mode::CutFirst);
        FetchRun run(w);
        QVERIFY(run.wait());
        QVERIFY2(run.result().ok(), qPrintable(run.result() ? QString() : run.result().error().text()));
        QCOMPARE(m_server->requestCount(), 2);
        QCOMPARE(m_server->requests().at(0).rangeStart, qint64(-1));
        QCOMPARE(m_server->requests().at(1).rangeStart, qint64(m_file.bytes.size() / 2));
        QCOMPARE(contents(run.result().value()), m_file.bytes);
        QCOMPARE(WeightCache().recordedSha256(w.fileName), m_file.sha256);
        QVERIFY(!run.messages().filter(QStringLiteral("continuing from there")).isEmpty());
    }

    void serverIgnoringRangeRestartsFromZero()
    {
        // A partial file from earlier, and a server that always sends the whole file (200).
        const PretrainedWeights w = entry(true);
        {
            QFile part(QDir(cacheFolder()).filePath(w.fileName + QStringLiteral(".part")));
            QVERIFY(part.open(QIODevice::WriteOnly));
            part.write(QByteArray(1000, 'x'));  // wrong bytes: appending to them would fail the check
        }
        m_server->setMode(WeightsHttpServer::Mode::Whole);
        FetchRun run(w);
        QVERIFY(run.wait());
        QVERIFY2(run.result().ok(), qPrintable(run.result() ? QString() : run.result().error().text()));
        QCOMPARE(m_server->requests().first().rangeStart, qint64(1000));
        QCOMPARE(contents(run.result().value()), m_file.bytes);
    }

    void cancelKeepsThePartialFileAndTheNextFetchResumes()
    {
        const PretrainedWeights w = entry(true);
        const QString partPath = QDir(cacheFolder()).filePath(w.fileName + QStringLiteral(".part"));
        const qint64 half = m_file.bytes.size() / 2;
        m_server->setMode(WeightsHttpServer::Mode::Stall);
        {
            FetchRun run(w);
            QTRY_VERIFY_WITH_TIMEOUT(run.fraction() >= double(half) / double(m_file.bytes.size()), 20000);
            run.cancel();
            QVERIFY(run.wait());
            QVERIFY(!run.result().ok());
            QVERIFY2(run.result().error().text().contains(QStringLiteral("cancelled")),
                     qPrintable(run.result().error().text()));
            QVERIFY2(run.result().error().text().contains(partPath), qPrintable(run.result().error().text()));
        }
        QCOMPARE(QFileInfo(partPath).size(), half);
        QVERIFY(!QFileInfo::exists(QDir(cacheFolder()).filePath(w.fileName)));

        m_server->setMode(WeightsHttpServer::Mode::Ranges);
        FetchRun again(w);
        QVERIFY(again.wait());
        QVERIFY2(again.result().ok(), qPrintable(again.result() ? QString() : again.result().error().text()));
        QCOMPARE(m_server->requests().last().rangeStart, half);
        QCOMPARE(contents(again.result().value()), m_file.bytes);
        QVERIFY(!QFileInfo::exists(partPath));
    }

    void noServerGivesTheOfflineMessage()
    {
        QTcpServer closed;
        QVERIFY(closed.listen(QHostAddress::LocalHost, 0));
        const quint16 port = closed.serverPort();
        closed.close();
        const QString base = QStringLiteral("http://127.0.0.1:%1/models").arg(port);
        qputenv("DEEPWB_WEIGHTS_URL", base.toUtf8());
        const PretrainedWeights w = entry(true);
        FetchRun run(w);
        QVERIFY(run.wait());
        QVERIFY(!run.result().ok());
        const QString message = run.result().error().text();
        QVERIFY2(message.startsWith(QStringLiteral("cannot download %1 from %2/%1: ").arg(w.fileName, base)),
                 qPrintable(message));
        QVERIFY2(message.contains(QStringLiteral("deepwb weights import %1").arg(w.fileName)), qPrintable(message));
        QVERIFY2(message.contains(QStringLiteral("DEEPWB_WEIGHTS_URL")), qPrintable(message));
        QVERIFY2(message.contains(w.officialUrl), qPrintable(message));  // where to fetch it by hand
        QVERIFY(folderFiles().filter(QStringLiteral(".pth")).isEmpty());
    }

    void missingFileNamesTheUrlAndStatus()
    {
        const PretrainedWeights w = entry(true);
        m_server->setMode(WeightsHttpServer::Mode::NotFound);
        FetchRun run(w);
        QVERIFY(run.wait());
        QVERIFY(!run.result().ok());
        const QString message = run.result().error().text();
        QVERIFY2(message.contains(m_server->baseUrl() + QLatin1Char('/') + w.fileName), qPrintable(message));
        QVERIFY2(message.contains(QStringLiteral("HTTP 404 Not Found")), qPrintable(message));
        QVERIFY2(message.contains(QStringLiteral("deepwb weights import")), qPrintable(message));
        QVERIFY(folderFiles().filter(QStringLiteral(".pth")).isEmpty());
    }

    void folderMirrorWorksWithoutAServer()
    {
        // Air-gapped sites: the base URL may be a folder on a shared disk.
        const PretrainedWeights w = entry(true);
        QTemporaryDir mirror(m_root.filePath(QStringLiteral("mirror-XXXXXX")));
        {
            QFile file(mirror.filePath(w.fileName));
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write(m_file.bytes);
        }
        qputenv("DEEPWB_WEIGHTS_URL", mirror.path().toUtf8());
        QCOMPARE(downloadUrl(w), QUrl::fromLocalFile(mirror.filePath(w.fileName)));
        FetchRun run(w);
        QVERIFY(run.wait());
        QVERIFY2(run.result().ok(), qPrintable(run.result() ? QString() : run.result().error().text()));
        QCOMPARE(contents(run.result().value()), m_file.bytes);
        QCOMPARE(m_server->requestCount(), 0);
    }

    void baseUrlComesFromEnvironmentThenSettings()
    {
        PretrainedWeights w = entry(true);
        qunsetenv("DEEPWB_WEIGHTS_URL");
        setBaseUrl(QString());
        QCOMPARE(baseUrl(), QStringLiteral("https://download.pytorch.org/models"));
        QCOMPARE(downloadUrl(w).toString(), QStringLiteral("https://download.pytorch.org/models/") + w.fileName);
        setBaseUrl(QStringLiteral("http://mirror.example.org/torch/"));
        QCOMPARE(baseUrl(), QStringLiteral("http://mirror.example.org/torch"));
        QVERIFY(QFileInfo::exists(m_root.filePath(QStringLiteral("config/deep-workbench/deep-workbench.conf"))));
        qputenv("DEEPWB_WEIGHTS_URL", "http://other.example.org/w");
        QCOMPARE(baseUrl(), QStringLiteral("http://other.example.org/w"));
        QCOMPARE(downloadUrl(w).toString(), QStringLiteral("http://other.example.org/w/") + w.fileName);
        qunsetenv("DEEPWB_WEIGHTS_URL");
        setBaseUrl(QString());
        QCOMPARE(baseUrl(), QStringLiteral("https://download.pytorch.org/models"));
    }
};

QTEST_GUILESS_MAIN(TestWeightDownload)
#include "test_weight_download.moc"
