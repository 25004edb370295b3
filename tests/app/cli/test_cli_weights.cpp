// deepwb weights list|fetch|import|remove, run as a user would, against a local HTTP server
// (never the internet): --json output, exit codes, the cache folder from DEEPWB_WEIGHTS_DIR.
#include "weights_http_server.h"

#include "core/weights/pretrained_weights.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <memory>

using dw::test::FakeWeights;
using dw::test::WeightsHttpServer;

namespace {

struct Run {
    int exitCode = -1;  // -1: crashed or did not finish in time
    QByteArray out;
    QByteArray err;
    QJsonObject json() const { return QJsonDocument::fromJson(out).object(); }
};

void writeFile(const QString &path, const QByteArray &bytes)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(bytes);
}

QJsonObject entryNamed(const QJsonObject &list, const QString &fileName)
{
    for (const QJsonValue &v : list.value(QStringLiteral("weights")).toArray())
        if (v.toObject().value(QStringLiteral("file")).toString() == fileName)
            return v.toObject();
    return {};
}

}  // namespace

class TestCliWeights : public QObject {
    Q_OBJECT

    QTemporaryDir m_root;
    std::unique_ptr<QTemporaryDir> m_home;  // per test
    std::unique_ptr<WeightsHttpServer> m_server;
    QString m_offlineUrl;  // a port nothing listens on
    FakeWeights m_tiny;

    QString weightsDir() const { return m_home->filePath(QStringLiteral("weights")); }
    QString tinyName() const { return m_tiny.fileName(QStringLiteral("tinynet")); }
    QString extraRegistry() const { return m_home->filePath(QStringLiteral("extra-weights.json")); }

    // deepwb in its own process, while this thread's event loop serves HTTP.
    Run deepwb(const QStringList &args, const QMap<QString, QString> &extra = {})
    {
        QProcess process;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("HOME"), m_home->path());
        env.insert(QStringLiteral("XDG_DATA_HOME"), m_home->filePath(QStringLiteral("xdg-data")));
        env.insert(QStringLiteral("XDG_CACHE_HOME"), m_home->filePath(QStringLiteral("xdg-cache")));
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), m_home->filePath(QStringLiteral("xdg-config")));
        env.insert(QStringLiteral("TORCH_HOME"), m_home->filePath(QStringLiteral("torch")));
        env.insert(QStringLiteral("DEEPWB_PLUGIN_PATH"), m_home->filePath(QStringLiteral("no-plugins")));
        env.insert(QStringLiteral("DEEPWB_WEIGHTS_DIR"), weightsDir());
        env.insert(QStringLiteral("DEEPWB_WEIGHTS_URL"), m_offlineUrl);
        env.insert(QStringLiteral("no_proxy"), QStringLiteral("127.0.0.1,localhost"));
        env.remove(QStringLiteral("http_proxy"));
        env.remove(QStringLiteral("HTTP_PROXY"));
        env.remove(QStringLiteral("DEEPWB_EXTRA_WEIGHTS"));
        for (auto it = extra.begin(); it != extra.end(); ++it)
            env.insert(it.key(), it.value());
        process.setProcessEnvironment(env);
        process.start(QStringLiteral(DW_BIN_DIR "/deepwb"), args);
        Run run;
        if (!process.waitForStarted(10000) ||
            !QTest::qWaitFor([&] { return process.state() == QProcess::NotRunning; }, 60000)) {
            process.kill();
            process.waitForFinished();
            qWarning() << "deepwb" << args << "did not finish";
            return run;
        }
        run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
        run.out = process.readAllStandardOutput();
        run.err = process.readAllStandardError();
        return run;
    }
    QMap<QString, QString> withTinynet(const QString &url = {}) const
    {
        QMap<QString, QString> env{{QStringLiteral("DEEPWB_EXTRA_WEIGHTS"), extraRegistry()}};
        if (!url.isEmpty())
            env.insert(QStringLiteral("DEEPWB_WEIGHTS_URL"), url);
        return env;
    }
    QStringList cachedFiles() const
    {
        return QDir(weightsDir())
            .entryList({QStringLiteral("*.pth"), QStringLiteral("*.part")}, QDir::Files | QDir::Hidden);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_root.isValid());
        QVERIFY(QFile::exists(QStringLiteral(DW_BIN_DIR "/deepwb")));
        QTcpServer closed;
        QVERIFY(closed.listen(QHostAddress::LocalHost, 0));
        m_offlineUrl = QStringLiteral("http://127.0.0.1:%1/models").arg(closed.serverPort());
        closed.close();
        m_tiny = FakeWeights::make(400 * 1024 + 3, 7);
    }

    void init()
    {
        m_home = std::make_unique<QTemporaryDir>(m_root.filePath(QStringLiteral("home-XXXXXX")));
        QVERIFY(m_home->isValid());
        m_server = std::make_unique<WeightsHttpServer>();
        QVERIFY(m_server->listen());
        // A site's own entry, so that a file with a digest the test can make is known.
        const QJsonArray extra{QJsonObject{{"architecture", "tinynet"},
                                           {"variant", "SITE_V1"},
                                           {"file", tinyName()},
                                           {"sha256", m_tiny.sha256},
                                           {"size_bytes", m_tiny.bytes.size()}}};
        writeFile(extraRegistry(), QJsonDocument(extra).toJson());
    }

    void cleanup()
    {
        m_server.reset();
        m_home.reset();
    }

    void listShowsTheRegistryNotCached()
    {
        const Run run = deepwb({"weights", "list", "--json"});
        QCOMPARE(run.exitCode, 0);
        const QJsonObject json = run.json();
        QCOMPARE(json.value("folder").toString(), weightsDir());
        QCOMPARE(json.value("base_url").toString(), m_offlineUrl);
        const QJsonArray list = json.value("weights").toArray();
        QCOMPARE(list.size(), qsizetype(dw::weights::registry().size()));
        for (qsizetype i = 0; i < list.size(); ++i) {
            const QJsonObject item = list.at(i).toObject();
            QCOMPARE(item.value("file").toString(), dw::weights::registry().at(size_t(i)).fileName);
            QCOMPARE(item.value("cached").toBool(true), false);
        }
        QVERIFY(entryNamed(json, tinyName()).isEmpty());

        const Run text = deepwb({"weights", "list"});
        QCOMPARE(text.exitCode, 0);
        QVERIFY2(text.out.contains("resnet18-f37072fd.pth"), text.out.constData());
        QVERIFY2(text.out.contains(QStringLiteral("cache folder: %1").arg(weightsDir()).toUtf8()),
                 text.out.constData());
    }

    void importThenListThenRemove()
    {
        const QString source = m_home->filePath(QStringLiteral("downloads/") + tinyName());
        writeFile(source, m_tiny.bytes);
        const Run imported = deepwb({"weights", "import", source, "--json"}, withTinynet());
        QVERIFY2(imported.exitCode == 0, imported.err.constData());
        const QJsonObject result = imported.json().value("results").toArray().at(0).toObject();
        QCOMPARE(result.value("ok").toBool(), true);
        QCOMPARE(result.value("path").toString(), weightsDir() + QLatin1Char('/') + tinyName());

        const Run listed = deepwb({"weights", "list", "--json"}, withTinynet());
        QCOMPARE(listed.exitCode, 0);
        const QJsonObject tiny = entryNamed(listed.json(), tinyName());
        QCOMPARE(tiny.value("cached").toBool(), true);
        QCOMPARE(tiny.value("path").toString(), weightsDir() + QLatin1Char('/') + tinyName());
        QCOMPARE(entryNamed(listed.json(), "resnet18-f37072fd.pth").value("cached").toBool(true), false);

        const Run removed = deepwb({"weights", "remove", "tinynet", "--json"}, withTinynet());
        QVERIFY2(removed.exitCode == 0, removed.err.constData());
        QVERIFY(cachedFiles().isEmpty());
        const Run after = deepwb({"weights", "list", "--json"}, withTinynet());
        QCOMPARE(entryNamed(after.json(), tinyName()).value("cached").toBool(true), false);

        const Run again = deepwb({"weights", "remove", "tinynet"}, withTinynet());
        QCOMPARE(again.exitCode, 1);
        QVERIFY2(again.err.contains("is not in the weights folder"), again.err.constData());
    }

    void importOfADamagedFileIsRefused()
    {
        const QString source = m_home->filePath(QStringLiteral("downloads/resnet18-f37072fd.pth"));
        writeFile(source, QByteArray(5000, 'x'));
        const Run run = deepwb({"weights", "import", source});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains("is damaged or is not resnet18-f37072fd.pth"), run.err.constData());
        QVERIFY2(run.err.contains("torchvision's file starts with f37072fd"), run.err.constData());
        QVERIFY(cachedFiles().isEmpty());
    }

    void fetchFromAMirrorAndReuse()
    {
        m_server->addFile(tinyName(), m_tiny.bytes);
        const Run run = deepwb({"weights", "fetch", "tinynet", "--json"}, withTinynet(m_server->baseUrl()));
        QVERIFY2(run.exitCode == 0, run.err.constData());
        const QJsonObject result = run.json().value("results").toArray().at(0).toObject();
        QCOMPARE(result.value("ok").toBool(), true);
        QCOMPARE(result.value("reused").toBool(true), false);
        QCOMPARE(result.value("path").toString(), weightsDir() + QLatin1Char('/') + tinyName());
        QCOMPARE(result.value("sha256").toString(), m_tiny.sha256);
        QCOMPARE(m_server->requestCount(), 1);
        QVERIFY2(run.err.contains("downloading " + tinyName().toUtf8()), run.err.constData());  // progress on stderr

        const Run again = deepwb({"weights", "fetch", tinyName(), "--json"}, withTinynet(m_server->baseUrl()));
        QCOMPARE(again.exitCode, 0);
        QCOMPARE(again.json().value("results").toArray().at(0).toObject().value("reused").toBool(), true);
        QCOMPARE(m_server->requestCount(), 1);
    }

    void fetchOfBytesThatDoNotMatchIsRefused()
    {
        // A real registry name, served with bytes that cannot carry torchvision's digest.
        m_server->addFile(QStringLiteral("resnet18-f37072fd.pth"), m_tiny.bytes);
        const Run run =
            deepwb({"weights", "fetch", "resnet18", "--json"}, {{"DEEPWB_WEIGHTS_URL", m_server->baseUrl()}});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains("is damaged or is not resnet18-f37072fd.pth"), run.err.constData());
        QVERIFY2(run.err.contains(m_tiny.sha256.toUtf8()), run.err.constData());
        QVERIFY2(run.err.contains("f37072fd47e89c5e827621c5baffa7500819f7896bbacec160b1a16c560e07ec"),
                 run.err.constData());
        const QJsonObject result = run.json().value("results").toArray().at(0).toObject();
        QCOMPARE(result.value("ok").toBool(true), false);
        QVERIFY(result.value("error").toString().contains(QStringLiteral("damaged")));
        QVERIFY2(cachedFiles().isEmpty(), qPrintable(cachedFiles().join(' ')));
        const Run listed = deepwb({"weights", "list", "--json"});
        QCOMPARE(entryNamed(listed.json(), "resnet18-f37072fd.pth").value("cached").toBool(true), false);
    }

    void fetchOfflineExplainsTheImport()
    {
        const Run run = deepwb({"weights", "fetch", "resnet18"});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains(QStringLiteral("cannot download resnet18-f37072fd.pth from %1/resnet18-f37072fd.pth")
                                      .arg(m_offlineUrl)
                                      .toUtf8()),
                 run.err.constData());
        QVERIFY2(run.err.contains("deepwb weights import resnet18-f37072fd.pth"), run.err.constData());
        QVERIFY(cachedFiles().isEmpty());
    }

    void usageErrors_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("message");
        QTest::newRow("no subcommand") << QStringList{"weights"} << 2 << "needs a subcommand";
        QTest::newRow("unknown subcommand") << QStringList{"weights", "where"} << 2 << "unknown subcommand";
        QTest::newRow("fetch nothing") << QStringList{"weights", "fetch"} << 2 << "or --all";
        QTest::newRow("fetch both") << QStringList{"weights", "fetch", "resnet18", "--all"} << 2 << "not both";
        QTest::newRow("unknown weights") << QStringList{"weights", "fetch", "smallcnn"} << 1 << "resnet18, resnet34";
        QTest::newRow("import nothing") << QStringList{"weights", "import"} << 2 << "takes at least 1";
        QTest::newRow("remove unknown") << QStringList{"weights", "remove", "vgg16"} << 1 << "unknown weights 'vgg16'";
    }
    void usageErrors()
    {
        QFETCH(QStringList, args);
        QFETCH(int, exitCode);
        QFETCH(QString, message);
        const Run run = deepwb(args);
        QCOMPARE(run.exitCode, exitCode);
        QVERIFY2(run.err.contains(message.toUtf8()), run.err.constData());
    }
};

QTEST_GUILESS_MAIN(TestCliWeights)
#include "test_cli_weights.moc"
