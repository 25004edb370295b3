// RestServer over real loopback HTTP: every read route, predictions against the test plugins
// (JSON, an uploaded file, a binary answer), each error status with its JSON shape, the
// OpenAPI document and the documentation page, and one route through curl.
#include "core/serve/rest_server.h"
#include "serve_fixture.h"
#include "serve_test_client.h"

#include <QCryptographicHash>
#include <QFileInfo>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>

using namespace dw;
using namespace dw::test;
using namespace Qt::StringLiterals;

using Fields = QList<std::pair<QString, QString>>;
using Files = QList<std::tuple<QString, QString, QByteArray>>;
Q_DECLARE_METATYPE(Fields)
Q_DECLARE_METATYPE(Files)

class TestRestServer : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void versions();
    void models();
    void model();
    void predictJson();
    void predictUpload();
    void predictBinary();
    void predictErrors_data();
    void predictErrors();
    void routesAndMethods_data();
    void routesAndMethods();
    void openApiDocument();
    void documentationPage();
    void curlPredict();
    void requestLog();

private:
    QTemporaryDir m_dir;
    PluginManager m_plugins;
    std::unique_ptr<RestServer> m_server;
    std::unique_ptr<HttpClient> m_client;
    QStringList m_log;
};

void TestRestServer::initTestCase()
{
    QVERIFY(m_dir.isValid());
    // The server's temporary folders in a place of this test's own, to see them go.
    QVERIFY(QDir().mkpath(m_dir.filePath(u"tmp"_s)));
    qputenv("TMPDIR", QFile::encodeName(m_dir.filePath(u"tmp"_s)));
    loadServeTestPlugins(m_plugins);
    QVERIFY2(m_plugins.plugin(u"test-echo"_s), "the echo test plugin did not load");
    QVERIFY2(m_plugins.plugin(u"test-files"_s), "the test-files plugin did not load");
    const QString catalog = m_dir.filePath(u"catalog"_s);
    QVERIFY(writeTestModule(catalog, u"echo-one"_s, u"test-echo"_s, true));
    QVERIFY(writeTestModule(catalog, u"files-one"_s, u"test-files"_s, true));
    QVERIFY(writeTestModule(catalog, u"files-template"_s, u"test-files"_s, false));
    QVERIFY(QDir().mkpath(QDir(catalog).filePath(u"broken"_s)));
    QFile broken(QDir(catalog).filePath(u"broken/module.json"_s));
    QVERIFY(broken.open(QIODevice::WriteOnly));
    broken.write("{ not json");
    broken.close();

    ServeOptions options;
    options.port = 0;
    options.catalogDirectory = catalog;
    options.stateDirectory = m_dir.filePath(u"state"_s);
    m_server = std::make_unique<RestServer>(options, nullptr, &m_plugins);
    connect(m_server.get(), &RestServer::requestLogged, this, [this](const QString &line) { m_log.append(line); });
    const Result<void> started = m_server->start();
    QVERIFY2(started.ok(), qPrintable(started.ok() ? QString() : started.error().text()));
    QVERIFY(m_server->isListening());
    QVERIFY(m_server->port() > 0);
    QVERIFY(m_server->url().startsWith(u"http://127.0.0.1:"_s));
    m_client = std::make_unique<HttpClient>(m_server->url());
}

void TestRestServer::cleanupTestCase()
{
    m_client.reset();
    m_server.reset();
}

void TestRestServer::versions()
{
    const HttpAnswer root = m_client->get(u"/"_s);
    QCOMPARE(root.status, 200);
    QVERIFY(root.contentType.startsWith("application/json"));
    const QJsonArray versions = root.json().value(u"versions"_s).toArray();
    QCOMPARE(versions.size(), 1);
    QCOMPARE(versions[0][u"id"_s].toString(), u"v2"_s);
    QCOMPARE(versions[0][u"version"_s].toString(), u"stable"_s);
    QVERIFY(versions[0][u"links"_s][0][u"href"_s].toString().endsWith(u"/v2/"_s));

    const HttpAnswer v2 = m_client->get(u"/v2/"_s);
    QCOMPARE(v2.status, 200);
    QCOMPARE(v2.json().value(u"id"_s).toString(), u"v2"_s);
    QCOMPARE(m_client->get(u"/v2"_s).status, 200);  // with or without the trailing slash
}

void TestRestServer::models()
{
    const HttpAnswer answer = m_client->get(u"/v2/models/"_s);
    QCOMPARE(answer.status, 200);
    QStringList ids;
    for (const QJsonValue &model : answer.json().value(u"models"_s).toArray()) {
        const QJsonObject m = model.toObject();
        ids.append(m.value(u"id"_s).toString());
        QCOMPARE(m.value(u"name"_s).toString(), m.value(u"id"_s).toString());
        QCOMPARE(m.value(u"links"_s).toArray().first()[u"rel"_s].toString(), u"self"_s);
        QVERIFY(!m.value(u"title"_s).toString().isEmpty());
    }
    ids.sort();
    // The broken module and the built-in templates (no plugin loaded for their tasks) are left out.
    QCOMPARE(ids, (QStringList{u"echo-one"_s, u"files-one"_s, u"files-template"_s}));
    bool brokenReported = false;
    for (const QString &warning : m_server->warnings())
        brokenReported |= warning.contains(u"broken"_s);
    QVERIFY(brokenReported);
}

void TestRestServer::model()
{
    const HttpAnswer answer = m_client->get(u"/v2/models/files-template/"_s);
    QCOMPARE(answer.status, 200);
    const QJsonObject m = answer.json();
    QCOMPARE(m.value(u"task"_s).toString(), u"test-files"_s);
    QCOMPARE(m.value(u"template"_s).toBool(), true);
    QCOMPARE(m.value(u"predictable"_s).toBool(), false);
    QCOMPARE(m.value(u"license"_s).toString(), u"MIT"_s);
    QCOMPARE(m.value(u"links"_s)[0][u"href"_s].toString(), u"/v2/models/files-template"_s);
}

void TestRestServer::predictJson()
{
    const HttpAnswer answer =
        m_client->postForm(u"/v2/models/echo-one/predict/"_s, {{u"text"_s, u"hi"_s}, {u"repeat"_s, u"3"_s}});
    QCOMPARE(answer.status, 200);
    const QJsonObject json = answer.json();
    QCOMPARE(json.value(u"status"_s).toString(), u"OK"_s);
    QCOMPARE(json.value(u"predictions"_s)[u"echo"_s].toString(), u"hihihi"_s);
    // Query arguments count too, and a JSON body works as well as a form.
    const HttpAnswer query = m_client->postRaw(u"/v2/models/echo-one/predict/?text=q&repeat=2"_s, {}, {});
    QCOMPARE(query.status, 200);
    QCOMPARE(query.json().value(u"predictions"_s)[u"echo"_s].toString(), u"qq"_s);
    const HttpAnswer json2 = m_client->postJson(u"/v2/models/echo-one/predict/"_s,
                                                {{u"text"_s, u"j"_s}, {u"tags"_s, QJsonArray{u"a"_s, u"b"_s}}});
    QCOMPARE(json2.status, 200);
    QCOMPARE(json2.json().value(u"predictions"_s)[u"args"_s][u"tags"_s].toArray().size(), 2);
}

void TestRestServer::predictUpload()
{
    const QByteArray content = QByteArray("pretend image ") + QByteArray(100000, 'x');
    const HttpAnswer answer = m_client->postForm(u"/v2/models/files-one/predict/"_s, {{u"scale"_s, u"2.5"_s}},
                                                 {{u"data"_s, u"../../etc/cat photo.PNG"_s, content}});
    QCOMPARE(answer.status, 200);
    const QJsonObject p = answer.json().value(u"predictions"_s).toObject();
    QCOMPARE(p.value(u"size"_s).toInt(), int(content.size()));
    QCOMPARE(p.value(u"sha256"_s).toString(),
             QString::fromLatin1(QCryptographicHash::hash(content, QCryptographicHash::Sha256).toHex()));
    QCOMPARE(p.value(u"scale"_s).toDouble(), 2.5);
    QCOMPARE(p.value(u"suffix"_s).toString(), u"png"_s);  // only the suffix of the client's name is kept
    // The client sees the name its upload was stored under, never the server's temporary path;
    // the upload and its folder are gone once the prediction is answered.
    const QString input = p.value(u"input"_s).toString();
    QVERIFY2(input.startsWith(u"upload-"_s) && !input.contains(u'/'), qPrintable(input));
    QVERIFY(!answer.body.contains(QFile::encodeName(QDir::tempPath())));
    QCOMPARE(QDir(QDir::tempPath()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden), QStringList());
    QCOMPARE(p.value(u"module"_s).toString(), m_server->modules().find(u"files-one"_s)->directory);
    QCOMPARE(p.value(u"has_report"_s).toBool(), false);
}

void TestRestServer::predictBinary()
{
    const QByteArray content("raster bytes");
    HttpAnswer answer =
        m_client->postForm(u"/v2/models/files-one/predict/"_s, {{u"mode"_s, u"png"_s}, {u"accept"_s, u"image/png"_s}},
                           {{u"data"_s, u"in.tif"_s, content}});
    QCOMPARE(answer.status, 200);
    QCOMPARE(answer.contentType, QByteArray("image/png"));
    QCOMPARE(answer.body, QByteArray("\x89PNG\r\n\x1a\n", 8) + content);
    // Without accept, the same prediction answers in JSON naming the file.
    answer = m_client->postForm(u"/v2/models/files-one/predict/"_s, {{u"mode"_s, u"png"_s}},
                                {{u"data"_s, u"in.tif"_s, content}});
    QCOMPARE(answer.status, 200);
    QVERIFY(answer.json().value(u"predictions"_s)[u"files"_s].isArray());
    QCOMPARE(answer.json().value(u"files"_s)[0][u"type"_s].toString(), u"image/png"_s);
    QVERIFY(answer.json().value(u"note"_s).toString().contains(u"accept"_s));
    // A type the prediction did not make: 406 naming what it made.
    answer =
        m_client->postForm(u"/v2/models/files-one/predict/"_s, {{u"mode"_s, u"png"_s}, {u"accept"_s, u"image/tiff"_s}},
                           {{u"data"_s, u"in.tif"_s, content}});
    QCOMPARE(answer.status, 406);
    QVERIFY(answer.json().value(u"message"_s).toString().contains(u"image/png"_s));
}

void TestRestServer::predictErrors_data()
{
    QTest::addColumn<QString>("model");
    QTest::addColumn<Fields>("fields");
    QTest::addColumn<Files>("files");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("argument");
    QTest::addColumn<QString>("inMessage");
    const Files one{{u"data"_s, u"a.png"_s, QByteArray("x")}};
    QTest::newRow("out of range") << u"echo-one"_s << Fields{{u"text"_s, u"a"_s}, {u"repeat"_s, u"99"_s}} << Files{}
                                  << 422 << u"repeat"_s << u"10"_s;
    QTest::newRow("not a number") << u"echo-one"_s << Fields{{u"text"_s, u"a"_s}, {u"repeat"_s, u"two"_s}} << Files{}
                                  << 422 << u"repeat"_s << u""_s;
    QTest::newRow("missing required") << u"echo-one"_s << Fields{} << Files{} << 422 << u"text"_s << u""_s;
    QTest::newRow("no upload") << u"files-one"_s << Fields{} << Files{} << 422 << u"data"_s << u"data"_s;
    QTest::newRow("data as text") << u"files-one"_s << Fields{{u"data"_s, u"/etc/passwd"_s}} << Files{} << 422
                                  << u"data"_s << u"file"_s;
    QTest::newRow("file in another field")
        << u"files-one"_s << Fields{} << Files{{u"scale"_s, u"a.png"_s, QByteArray("x")}} << 422 << u"scale"_s << u""_s;
    QTest::newRow("two files for one input")
        << u"files-one"_s << Fields{} << (one + one) << 422 << u"data"_s << u"one file"_s;
    QTest::newRow("server path argument")
        << u"files-one"_s << Fields{{u"report"_s, u"/tmp/x"_s}} << one << 422 << u"report"_s << u""_s;
    QTest::newRow("bad enum") << u"files-one"_s << Fields{{u"mode"_s, u"jpeg"_s}} << one << 422 << u"mode"_s
                              << u"json"_s;
    QTest::newRow("bad accept") << u"files-one"_s << Fields{{u"accept"_s, u"png please"_s}} << one << 422 << u"accept"_s
                                << u""_s;
    QTest::newRow("task names the argument")
        << u"files-one"_s << Fields{{u"mode"_s, u"fail-arg"_s}} << one << 422 << u"scale"_s << u"does not suit"_s;
    QTest::newRow("task fails") << u"files-one"_s << Fields{{u"mode"_s, u"fail"_s}} << one << 500 << u""_s
                                << u"exploded"_s;
    QTest::newRow("template") << u"files-template"_s << Fields{} << one << 409 << u""_s << u"template"_s;
    QTest::newRow("unknown model") << u"nope"_s << Fields{} << one << 404 << u"name"_s << u"nope"_s;
}

void TestRestServer::predictErrors()
{
    QFETCH(QString, model);
    QFETCH(Fields, fields);
    QFETCH(Files, files);
    QFETCH(int, status);
    QFETCH(QString, argument);
    QFETCH(QString, inMessage);
    const HttpAnswer answer = m_client->postForm(u"/v2/models/%1/predict/"_s.arg(model), fields, files);
    QCOMPARE(answer.status, status);
    const QJsonObject json = answer.json();
    QCOMPARE(json.value(u"status"_s).toString(), u"error"_s);
    QCOMPARE(json.value(u"code"_s).toInt(), status);
    const QString message = json.value(u"message"_s).toString();
    QVERIFY2(!message.isEmpty(), answer.body.constData());
    QVERIFY2(message.contains(inMessage), qPrintable(message));
    QCOMPARE(json.value(u"argument"_s).toString(), argument);
    if (status == 422)  // DEEPaaS's shape: {"<argument>": ["message"]}
        QCOMPARE(json.value(argument).toArray().first().toString(), message);
}

void TestRestServer::routesAndMethods_data()
{
    QTest::addColumn<QByteArray>("verb");
    QTest::addColumn<QString>("path");
    QTest::addColumn<int>("status");
    QTest::newRow("unknown route") << QByteArray("GET") << u"/v3/"_s << 404;
    QTest::newRow("unknown model page") << QByteArray("GET") << u"/v2/models/nope/"_s << 404;
    QTest::newRow("unknown action") << QByteArray("GET") << u"/v2/models/echo-one/explain/"_s << 404;
    QTest::newRow("GET predict") << QByteArray("GET") << u"/v2/models/echo-one/predict/"_s << 405;
    QTest::newRow("DELETE models") << QByteArray("DELETE") << u"/v2/models/"_s << 405;
    QTest::newRow("POST root") << QByteArray("POST") << u"/"_s << 405;
    QTest::newRow("unknown training") << QByteArray("GET")
                                      << u"/v2/models/echo-one/train/0123456789abcdef0123456789abcdef"_s << 404;
    QTest::newRow("cancel unknown training") << QByteArray("DELETE") << u"/v2/models/echo-one/train/abc"_s << 404;
}

void TestRestServer::routesAndMethods()
{
    QFETCH(QByteArray, verb);
    QFETCH(QString, path);
    QFETCH(int, status);
    const HttpAnswer answer = m_client->send(verb, path, {}, {});
    QCOMPARE(answer.status, status);
    QCOMPARE(answer.json().value(u"status"_s).toString(), u"error"_s);
}

void TestRestServer::openApiDocument()
{
    // OpenAPI 3 at /openapi.json (/swagger.json is DEEPaaS's Swagger 2.0: test_rest_deepaas).
    const HttpAnswer answer = m_client->get(u"/openapi.json"_s);
    QCOMPARE(answer.status, 200);
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(answer.body, &error);
    QCOMPARE(error.error, QJsonParseError::NoError);
    const QJsonObject api = doc.object();
    QVERIFY(api.value(u"openapi"_s).toString().startsWith(u"3."_s));
    QVERIFY(!api.value(u"info"_s)[u"title"_s].toString().isEmpty());
    QVERIFY(!api.value(u"info"_s)[u"version"_s].toString().isEmpty());
    const QJsonObject paths = api.value(u"paths"_s).toObject();
    for (const QString &path : {u"/"_s, u"/v2/"_s, u"/v2/models/"_s})
        QVERIFY2(paths.contains(path), qPrintable(path));
    // Every served module, with the arguments of its predict and train forms.
    for (const ServedModule &m : m_server->modules().modules) {
        const QString base = u"/v2/models/"_s + m.id;
        QVERIFY2(paths.contains(base + u"/"_s), qPrintable(m.id));
        QVERIFY(paths.contains(base + u"/train/{uuid}"_s));
        const QJsonObject predictProps =
            paths
                .value(base + u"/predict/"_s)[u"post"_s][u"requestBody"_s][u"content"_s][u"multipart/form-data"_s]
                                             [u"schema"_s][u"properties"_s]
                .toObject();
        for (const ArgumentSpec &spec : m.predictSchema.specs())
            QVERIFY2(predictProps.contains(spec.name), qPrintable(m.id + u": "_s + spec.name));
        QVERIFY(!predictProps.contains(u"module"_s));  // the server's to fill
        const QJsonObject trainProps =
            paths
                .value(base + u"/train/"_s)[u"post"_s][u"requestBody"_s][u"content"_s][u"multipart/form-data"_s]
                                           [u"schema"_s][u"properties"_s]
                .toObject();
        for (const ArgumentSpec &spec : m.trainSchema.specs())
            QVERIFY2(trainProps.contains(spec.name), qPrintable(m.id + u": "_s + spec.name));
        QVERIFY(!trainProps.contains(u"output"_s));
        // Every operation answers 200 and names its responses with descriptions.
        for (const QString &suffix : {u"/"_s, u"/predict/"_s, u"/train/"_s, u"/train/{uuid}"_s}) {
            const QJsonObject item = paths.value(base + suffix).toObject();
            for (auto it = item.begin(); it != item.end(); ++it) {
                if (it.key() == u"parameters"_s)
                    continue;
                const QJsonObject responses = it.value()[u"responses"_s].toObject();
                QVERIFY2(responses.contains(u"200"_s), qPrintable(base + suffix + u' ' + it.key()));
                QVERIFY2(!it.value()[u"operationId"_s].toString().isEmpty(),
                         qPrintable(base + suffix + u' ' + it.key()));
                for (const QJsonValue &r : responses)
                    QVERIFY(!r[u"description"_s].toString().isEmpty());
            }
        }
    }
    const QJsonObject files = paths
                                  .value(u"/v2/models/files-one/predict/"_s)[u"post"_s][u"requestBody"_s][u"content"_s]
                                                                            [u"multipart/form-data"_s][u"schema"_s]
                                  .toObject();
    QCOMPARE(files.value(u"properties"_s)[u"data"_s][u"format"_s].toString(), u"binary"_s);
    QCOMPARE(files.value(u"properties"_s)[u"mode"_s][u"enum"_s].toArray().size(), 5);
    QCOMPARE(files.value(u"properties"_s)[u"scale"_s][u"maximum"_s].toDouble(), 10.0);
    QVERIFY(files.value(u"required"_s).toArray().contains(u"data"_s));
    QVERIFY(!files.value(u"properties"_s).toObject().contains(u"report"_s));
    const QJsonObject echo = paths
                                 .value(u"/v2/models/echo-one/predict/"_s)[u"post"_s][u"requestBody"_s][u"content"_s]
                                                                          [u"multipart/form-data"_s][u"schema"_s]
                                 .toObject();
    QVERIFY(echo.value(u"required"_s).toArray().contains(u"text"_s));
    QCOMPARE(echo.value(u"properties"_s)[u"tags"_s][u"type"_s].toString(), u"array"_s);
    // Every $ref points at a schema that exists.
    const QJsonObject schemas = api.value(u"components"_s)[u"schemas"_s].toObject();
    const QString text = QString::fromUtf8(answer.body);
    qsizetype at = 0;
    while ((at = text.indexOf(u"#/components/schemas/"_s, at)) >= 0) {
        at += 21;
        const QString name = text.mid(at, text.indexOf(u'"', at) - at);
        QVERIFY2(schemas.contains(name), qPrintable(name));
    }
}

void TestRestServer::documentationPage()
{
    const HttpAnswer answer = m_client->get(u"/api"_s);
    QCOMPARE(answer.status, 200);
    QVERIFY(answer.contentType.startsWith("text/html"));
    const QString html = QString::fromUtf8(answer.body);
    QVERIFY(html.contains(u"<h3 id=\"files-one\">"_s));
    QVERIFY(html.contains(u"/swagger.json"_s));
    QVERIFY(html.contains(u"scale"_s));
}

void TestRestServer::curlPredict()
{
    const QString curl = QStandardPaths::findExecutable(u"curl"_s);
    if (curl.isEmpty())
        QSKIP("curl is not installed");
    const QString input = m_dir.filePath(u"input.bin"_s);
    QFile file(input);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(QByteArray(300000, 'c'));  // large enough for curl to ask "Expect: 100-continue"
    file.close();
    QProcess process;
    process.start(curl, {u"-sS"_s, u"-w"_s, u"\n%{http_code}"_s, u"-F"_s, u"data=@"_s + input, u"-F"_s, u"scale=3"_s,
                         m_server->url() + u"/v2/models/files-one/predict/"_s});
    QSignalSpy finished(&process, &QProcess::finished);
    QVERIFY(finished.wait(20000));  // the event loop runs meanwhile: the server is on this thread
    const QList<QByteArray> lines = process.readAllStandardOutput().trimmed().split('\n');
    QCOMPARE(lines.last(), QByteArray("200"));
    const QJsonObject json = QJsonDocument::fromJson(lines.first()).object();
    QCOMPARE(json.value(u"status"_s).toString(), u"OK"_s);
    QCOMPARE(json.value(u"predictions"_s)[u"size"_s].toInt(), 300000);
    QCOMPARE(json.value(u"predictions"_s)[u"scale"_s].toDouble(), 3.0);
}

void TestRestServer::requestLog()
{
    m_log.clear();
    QCOMPARE(m_client->get(u"/v2/models/"_s).status, 200);
    QTRY_VERIFY(!m_log.isEmpty());
    QVERIFY2(m_log.last().contains(u"GET /v2/models/ 200"_s), qPrintable(m_log.last()));
    QVERIFY(m_log.last().contains(u"127.0.0.1"_s));
}

QTEST_GUILESS_MAIN(TestRestServer)
#include "test_rest_server.moc"
