// RestServer trainings and protections over real loopback HTTP: a training started, listed,
// finished into a new module that is served at once; one cancelled; records surviving a
// restart (a running one marked interrupted); data paths limited to --data-root; the token
// (401); requests over the size limit refused from their headers (413, also through curl);
// remote addresses only with allowRemote; serving only the modules named.
#include "core/serve/rest_server.h"
#include "core/serve/training_store.h"
#include "serve_fixture.h"
#include "serve_test_client.h"

#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>

using namespace dw;
using namespace dw::test;
using namespace Qt::StringLiterals;

class TestRestTraining : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void trainToNewModule();
    void cancelTraining();
    void trainErrors_data();
    void trainErrors();
    void recordsSurviveRestart();
    void token();
    void tooLarge();
    void tooLargeThroughCurl();
    void remoteNeedsFlag();
    void onlyNamedModules();
    void commandLine();

private:
    ServeOptions options() const;
    QJsonObject waitForTraining(HttpClient &client, const QString &model, const QString &uuid, const QString &status);

    QTemporaryDir m_dir;
    PluginManager m_plugins;
    QString m_catalog;
};

ServeOptions TestRestTraining::options() const
{
    ServeOptions o;
    o.port = 0;
    o.catalogDirectory = m_catalog;
    o.stateDirectory = m_dir.filePath(u"state"_s);
    o.dataRoots = {m_dir.filePath(u"data"_s)};
    return o;
}

QJsonObject TestRestTraining::waitForTraining(HttpClient &client, const QString &model, const QString &uuid,
                                              const QString &status)
{
    QJsonObject last;
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < 30000) {
        last = client.get(u"/v2/models/%1/train/%2"_s.arg(model, uuid)).json();
        if (last.value(u"status"_s).toString() == status)
            return last;
        QTest::qWait(20);
    }
    return last;
}

void TestRestTraining::initTestCase()
{
    QVERIFY(m_dir.isValid());
    loadServeTestPlugins(m_plugins);
    QVERIFY(m_plugins.plugin(u"test-files"_s));
    m_catalog = m_dir.filePath(u"catalog"_s);
    QVERIFY(writeTestModule(m_catalog, u"files-one"_s, u"test-files"_s, true));
    QVERIFY(writeTestModule(m_catalog, u"files-template"_s, u"test-files"_s, false));
    QVERIFY(writeTestModule(m_catalog, u"echo-one"_s, u"test-echo"_s, true));
    QVERIFY(QDir().mkpath(m_dir.filePath(u"data/set"_s)));
    QVERIFY(QDir().mkpath(m_dir.filePath(u"outside"_s)));
}

void TestRestTraining::trainToNewModule()
{
    RestServer server(options(), nullptr, &m_plugins);
    QVERIFY(server.start().ok());
    HttpClient client(server.url());
    const HttpAnswer started = client.postForm(
        u"/v2/models/files-one/train/"_s,
        {{u"name"_s, u"made-by-rest"_s}, {u"steps"_s, u"5"_s}, {u"data"_s, m_dir.filePath(u"data/set"_s)}});
    QCOMPARE(started.status, 200);
    const QJsonObject record = started.json();
    const QString uuid = record.value(u"uuid"_s).toString();
    QCOMPARE(uuid.size(), 32);
    QCOMPARE(record.value(u"status"_s).toString(), u"running"_s);
    QVERIFY(!record.value(u"date"_s).toString().isEmpty());
    QCOMPARE(record.value(u"args"_s)[u"name"_s].toString(), u"made-by-rest"_s);
    QCOMPARE(record.value(u"args"_s)[u"steps"_s].toInt(), 5);

    const QJsonObject done = waitForTraining(client, u"files-one"_s, uuid, u"done"_s);
    QCOMPARE(done.value(u"status"_s).toString(), u"done"_s);
    QCOMPARE(done.value(u"progress"_s).toDouble(), 1.0);
    QCOMPARE(done.value(u"result"_s)[u"parent"_s].toString(), u"files-one"_s);  // re-training from the module
    QCOMPARE(done.value(u"module"_s).toString(), u"made-by-rest"_s);

    const QJsonArray list = client.get(u"/v2/models/files-one/train/"_s).array();
    QCOMPARE(list.size(), 1);
    QCOMPARE(list[0][u"uuid"_s].toString(), uuid);
    QCOMPARE(client.get(u"/v2/models/files-template/train/"_s).array().size(), 0);

    // The new module is served at once, and predicts.
    QTRY_VERIFY(server.modules().find(u"made-by-rest"_s));
    const HttpAnswer predicted =
        client.postForm(u"/v2/models/made-by-rest/predict/"_s, {}, {{u"data"_s, u"x.txt"_s, QByteArray("abc")}});
    QCOMPARE(predicted.status, 200);
    QCOMPARE(predicted.json().value(u"predictions"_s)[u"size"_s].toInt(), 3);
}

void TestRestTraining::cancelTraining()
{
    RestServer server(options(), nullptr, &m_plugins);
    QVERIFY(server.start().ok());
    HttpClient client(server.url());
    const HttpAnswer started =
        client.postJson(u"/v2/models/files-template/train/"_s,
                        {{u"name"_s, u"never-made"_s}, {u"steps"_s, 100000}, {u"step-ms"_s, 10}});
    QCOMPARE(started.status, 200);
    const QString uuid = started.json().value(u"uuid"_s).toString();
    QTRY_COMPARE(client.get(u"/v2/models/files-template/train/%1"_s.arg(uuid)).json().value(u"state"_s).toString(),
                 u"running"_s);
    bool listed = false;
    for (const QJsonValue &t : client.get(u"/v2/models/files-template/train/"_s).array())
        listed |= t[u"uuid"_s].toString() == uuid && t[u"status"_s].toString() == u"running"_s;
    QVERIFY(listed);

    QElapsedTimer timer;
    timer.start();
    const HttpAnswer cancelled = client.del(u"/v2/models/files-template/train/%1"_s.arg(uuid));
    QCOMPARE(cancelled.status, 200);
    QCOMPARE(cancelled.json().value(u"status"_s).toString(), u"cancelled"_s);
    QVERIFY(timer.elapsed() < 5000);
    QCOMPARE(client.get(u"/v2/models/files-template/train/%1"_s.arg(uuid)).json().value(u"status"_s).toString(),
             u"cancelled"_s);
    QVERIFY(!QFileInfo::exists(QDir(m_catalog).filePath(u"never-made/module.json"_s)));
    // A training of another model is not found under this one.
    QCOMPARE(client.get(u"/v2/models/files-one/train/%1"_s.arg(uuid)).status, 404);
    // DELETE on a finished training forgets it, as DEEPaaS does.
    QCOMPARE(client.del(u"/v2/models/files-template/train/%1"_s.arg(uuid)).status, 200);
    QCOMPARE(client.get(u"/v2/models/files-template/train/%1"_s.arg(uuid)).status, 404);
}

void TestRestTraining::trainErrors_data()
{
    QTest::addColumn<QString>("model");
    QTest::addColumn<QJsonObject>("args");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("argument");
    const QString outside = m_dir.filePath(u"outside"_s);
    const QString escape = m_dir.filePath(u"data/../outside"_s);
    QTest::newRow("missing name") << u"files-one"_s << QJsonObject{} << 422 << u"name"_s;
    QTest::newRow("bad name") << u"files-one"_s << QJsonObject{{u"name"_s, u"Bad Name"_s}} << 422 << u"name"_s;
    QTest::newRow("out of range") << u"files-one"_s << QJsonObject{{u"name"_s, u"a"_s}, {u"steps"_s, 0}} << 422
                                  << u"steps"_s;
    QTest::newRow("output is the server's")
        << u"files-one"_s << QJsonObject{{u"name"_s, u"a"_s}, {u"output"_s, outside}} << 422 << u"output"_s;
    QTest::newRow("data outside the roots")
        << u"files-one"_s << QJsonObject{{u"name"_s, u"a"_s}, {u"data"_s, outside}} << 422 << u"data"_s;
    QTest::newRow("data escaping by ..") << u"files-one"_s << QJsonObject{{u"name"_s, u"a"_s}, {u"data"_s, escape}}
                                         << 422 << u"data"_s;
    QTest::newRow("relative data") << u"files-one"_s << QJsonObject{{u"name"_s, u"a"_s}, {u"data"_s, u"data/set"_s}}
                                   << 422 << u"data"_s;
    QTest::newRow("missing data") << u"files-one"_s
                                  << QJsonObject{{u"name"_s, u"a"_s}, {u"data"_s, m_dir.filePath(u"data/none"_s)}}
                                  << 422 << u"data"_s;
    QTest::newRow("unknown model") << u"nope"_s << QJsonObject{{u"name"_s, u"a"_s}} << 404 << u"name"_s;
}

void TestRestTraining::trainErrors()
{
    QFETCH(QString, model);
    QFETCH(QJsonObject, args);
    QFETCH(int, status);
    QFETCH(QString, argument);
    RestServer server(options(), nullptr, &m_plugins);
    QVERIFY(server.start().ok());
    HttpClient client(server.url());
    const HttpAnswer answer = client.postJson(u"/v2/models/%1/train/"_s.arg(model), args);
    QCOMPARE(answer.status, status);
    QCOMPARE(answer.json().value(u"status"_s).toString(), u"error"_s);
    QCOMPARE(answer.json().value(u"argument"_s).toString(), argument);
    QVERIFY(!answer.json().value(u"message"_s).toString().isEmpty());
    if (status == 422)  // DEEPaaS's shape: {"<argument>": ["message"]}
        QCOMPARE(answer.json().value(argument).toArray().first().toString(),
                 answer.json().value(u"message"_s).toString());
}

void TestRestTraining::recordsSurviveRestart()
{
    ServeOptions o = options();
    o.stateDirectory = m_dir.filePath(u"restart-state"_s);
    QString doneUuid;
    {
        RestServer server(o, nullptr, &m_plugins);
        QVERIFY(server.start().ok());
        HttpClient client(server.url());
        const HttpAnswer started =
            client.postJson(u"/v2/models/files-template/train/"_s, {{u"name"_s, u"restart-a"_s}, {u"steps"_s, 2}});
        QCOMPARE(started.status, 200);
        doneUuid = started.json().value(u"uuid"_s).toString();
        QCOMPARE(waitForTraining(client, u"files-template"_s, doneUuid, u"done"_s).value(u"status"_s).toString(),
                 u"done"_s);
    }
    // A server that died while a training ran left a record that says "running".
    TrainingStore store(o.stateDirectory);
    TrainingRecord crashed;
    crashed.uuid = TrainingStore::newUuid();
    crashed.model = u"files-template"_s;
    crashed.date = QDateTime::currentDateTimeUtc();
    crashed.state = u"running"_s;
    crashed.jobId = u"gone"_s;
    QVERIFY(store.save(crashed).ok());

    RestServer again(o, nullptr, &m_plugins);
    QVERIFY(again.start().ok());
    HttpClient client(again.url());
    const QJsonArray list = client.get(u"/v2/models/files-template/train/"_s).array();
    QCOMPARE(list.size(), 2);
    const QJsonObject done = client.get(u"/v2/models/files-template/train/%1"_s.arg(doneUuid)).json();
    QCOMPARE(done.value(u"status"_s).toString(), u"done"_s);
    QCOMPARE(done.value(u"args"_s)[u"name"_s].toString(), u"restart-a"_s);
    const QJsonObject interrupted = client.get(u"/v2/models/files-template/train/%1"_s.arg(crashed.uuid)).json();
    QCOMPARE(interrupted.value(u"status"_s).toString(), u"error"_s);
    QCOMPARE(interrupted.value(u"state"_s).toString(), u"interrupted"_s);
    QVERIFY(interrupted.value(u"message"_s).toString().contains(u"interrupted"_s));
}

void TestRestTraining::token()
{
    ServeOptions o = options();
    o.token = u"s3cret-token"_s;
    RestServer server(o, nullptr, &m_plugins);
    QVERIFY(server.start().ok());
    HttpClient client(server.url());
    for (const QString &path : {u"/"_s, u"/v2/models/"_s, u"/swagger.json"_s}) {
        const HttpAnswer denied = client.get(path);
        QCOMPARE(denied.status, 401);
        QCOMPARE(denied.json().value(u"status"_s).toString(), u"error"_s);
        QVERIFY(denied.json().value(u"message"_s).toString().contains(u"Authorization"_s));
    }
    QCOMPARE(client.postForm(u"/v2/models/files-one/predict/"_s, {}, {{u"data"_s, u"a"_s, QByteArray("x")}}).status,
             401);
    client.setToken("wrong-token!");
    QCOMPARE(client.get(u"/v2/models/"_s).status, 401);
    client.setToken("s3cret-token");
    QCOMPARE(client.get(u"/v2/models/"_s).status, 200);
    QCOMPARE(client.postForm(u"/v2/models/files-one/predict/"_s, {}, {{u"data"_s, u"a"_s, QByteArray("x")}}).status,
             200);
    QVERIFY(client.get(u"/swagger.json"_s).json().contains(u"security"_s));
}

void TestRestTraining::tooLarge()
{
    ServeOptions o = options();
    o.maxUploadBytes = 256 * 1024;
    RestServer server(o, nullptr, &m_plugins);
    QStringList log;
    connect(&server, &RestServer::requestLogged, this, [&log](const QString &line) { log.append(line); });
    QVERIFY(server.start().ok());
    HttpClient client(server.url());
    const HttpAnswer refused = client.postForm(u"/v2/models/files-one/predict/"_s, {},
                                               {{u"data"_s, u"big.bin"_s, QByteArray(4 * 1024 * 1024, 'b')}});
    QCOMPARE(refused.status, 413);
    QCOMPARE(refused.json().value(u"status"_s).toString(), u"error"_s);
    QVERIFY(refused.json().value(u"message"_s).toString().contains(u"--max-upload-mb"_s));
    QTRY_VERIFY(!log.isEmpty() && log.last().contains(u"413"_s));
    // Just under the limit is fine, and the server carries on.
    const HttpAnswer fine = client.postForm(u"/v2/models/files-one/predict/"_s, {},
                                            {{u"data"_s, u"ok.bin"_s, QByteArray(200 * 1024, 'o')}});
    QCOMPARE(fine.status, 200);
    QCOMPARE(client.get(u"/"_s).status, 200);
}

void TestRestTraining::tooLargeThroughCurl()
{
    const QString curl = QStandardPaths::findExecutable(u"curl"_s);
    if (curl.isEmpty())
        QSKIP("curl is not installed");
    ServeOptions o = options();
    o.maxUploadBytes = 64 * 1024;
    RestServer server(o, nullptr, &m_plugins);
    QVERIFY(server.start().ok());
    const QString input = m_dir.filePath(u"big.bin"_s);
    QFile file(input);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(QByteArray(2 * 1024 * 1024, 'z'));
    file.close();
    QProcess process;
    process.start(curl, {u"-sS"_s, u"-w"_s, u"\n%{http_code}"_s, u"-F"_s, u"data=@"_s + input,
                         server.url() + u"/v2/models/files-one/predict/"_s});
    QSignalSpy finished(&process, &QProcess::finished);
    QVERIFY(finished.wait(20000));
    const QList<QByteArray> lines = process.readAllStandardOutput().trimmed().split('\n');
    QCOMPARE(lines.last(), QByteArray("413"));
    QCOMPARE(QJsonDocument::fromJson(lines.first()).object().value(u"status"_s).toString(), u"error"_s);
}

void TestRestTraining::remoteNeedsFlag()
{
    ServeOptions o = options();
    o.address = QHostAddress::AnyIPv4;
    {
        RestServer server(o, nullptr, &m_plugins);
        const Result<void> refused = server.start();
        QVERIFY(!refused.ok());
        QCOMPARE(refused.error().field, u"listen"_s);
        QVERIFY(refused.error().message.contains(u"--allow-remote"_s));
        QVERIFY(!server.isListening());
    }
    o.allowRemote = true;
    RestServer server(o, nullptr, &m_plugins);
    QVERIFY(server.start().ok());
    QVERIFY(!server.warnings().filter(u"anyone who can reach this machine"_s).isEmpty());
    HttpClient client(server.url());
    QCOMPARE(client.get(u"/v2/"_s).status, 200);
}

void TestRestTraining::onlyNamedModules()
{
    ServeOptions o = options();
    o.modules = {u"nope"_s};
    {
        RestServer server(o, nullptr, &m_plugins);
        const Result<void> refused = server.start();
        QVERIFY(!refused.ok());
        QVERIFY(refused.error().message.contains(u"nope"_s));
    }
    o.modules = {u"echo-one"_s};
    RestServer server(o, nullptr, &m_plugins);
    QVERIFY(server.start().ok());
    HttpClient client(server.url());
    const QJsonArray models = client.get(u"/v2/models/"_s).json().value(u"models"_s).toArray();
    QCOMPARE(models.size(), 1);
    QCOMPARE(models[0][u"id"_s].toString(), u"echo-one"_s);
    QCOMPARE(client.get(u"/v2/models/files-one/"_s).status, 404);
}

void TestRestTraining::commandLine()
{
    const QString deepwb = QStringLiteral(DW_BIN_DIR "/deepwb");
    if (!QFileInfo::exists(deepwb))
        QSKIP("deepwb is not built");
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"DEEPWB_PLUGIN_PATH"_s, QStringLiteral(DW_SERVE_PLUGIN_DIR));
    // Another address than loopback needs --allow-remote: a usage error with the reason.
    QProcess refused;
    refused.setProcessEnvironment(env);
    refused.start(deepwb, {u"serve"_s, u"--catalog"_s, m_catalog, u"--listen"_s, u"0.0.0.0"_s, u"--port"_s, u"0"_s});
    QVERIFY(refused.waitForFinished(30000));
    QCOMPARE(refused.exitCode(), 1);
    QVERIFY(refused.readAllStandardError().contains("--allow-remote"));

    QProcess server;
    server.setProcessEnvironment(env);
    server.start(deepwb, {u"serve"_s, u"--catalog"_s, m_catalog, u"--port"_s, u"0"_s, u"--json"_s, u"--state-dir"_s,
                          m_dir.filePath(u"cli-state"_s), u"--module"_s, u"files-one"_s});
    QByteArray out;
    QTRY_VERIFY_WITH_TIMEOUT((out += server.readAllStandardOutput()).trimmed().endsWith('}'), 30000);
    const QJsonObject started = QJsonDocument::fromJson(out).object();
    const QString url = started.value(u"url"_s).toString();
    QVERIFY2(url.startsWith(u"http://127.0.0.1:"_s), out.constData());
    QCOMPARE(started.value(u"modules"_s).toArray().size(), 1);
    HttpClient client(url);
    const HttpAnswer answer =
        client.postForm(u"/v2/models/files-one/predict/"_s, {}, {{u"data"_s, u"a.txt"_s, QByteArray("xyz")}});
    QCOMPARE(answer.status, 200);
    QCOMPARE(answer.json().value(u"predictions"_s)[u"size"_s].toInt(), 3);
    server.terminate();  // SIGTERM: a clean stop
    QVERIFY(server.waitForFinished(30000));
    QCOMPARE(server.exitStatus(), QProcess::NormalExit);
    QCOMPARE(server.exitCode(), 0);
    const QByteArray log = server.readAllStandardError();
    QVERIFY2(log.contains("POST /v2/models/files-one/predict/ 200"), log.constData());
}

QTEST_GUILESS_MAIN(TestRestTraining)
#include "test_rest_training.moc"
