// What DEEPaaS's own clients see (issue 15): the Swagger 2.0 document at /swagger.json read the
// way deepaas_ui's launch.py reads it and validated by swagger_spec_validator (Debian's
// python3-swagger-spec-validator); both documents validated by @apidevtools/swagger-parser
// (npm, outside the repository); OpenAPI 3 at /openapi.json; operationIds everywhere; top-level
// links; /ui; relative links whatever the Host header says; 422 in DEEPaaS's shape; unknown
// arguments ignored with a warning; Accept media ranges; DEEPaaS's date format; one level of
// "predictions"; the words of the status lines.
#include "core/serve/http_reply.h"
#include "core/serve/rest_server.h"
#include "serve_fixture.h"
#include "serve_test_client.h"

#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QStandardPaths>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

using namespace dw;
using namespace dw::test;
using namespace Qt::StringLiterals;

namespace {

// One request on a raw connection, headers as given; the whole answer (status line, headers, body).
QByteArray rawRequest(quint16 port, const QByteArray &request)
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    if (!socket.waitForConnected(5000))
        return {};
    socket.write(request);
    QByteArray answer;
    QElapsedTimer clock;
    clock.start();
    while (clock.elapsed() < 10000) {
        QCoreApplication::processEvents();
        if (socket.waitForReadyRead(50))
            answer += socket.readAll();
        const qsizetype end = answer.indexOf("\r\n\r\n");
        if (end >= 0) {
            const QRegularExpression length(u"(?i)content-length: *(\\d+)"_s);
            const auto match = length.match(QString::fromLatin1(answer.left(end)));
            if (match.hasMatch() && answer.size() >= end + 4 + match.captured(1).toLongLong())
                break;
        }
        if (socket.state() != QAbstractSocket::ConnectedState)
            break;
    }
    return answer;
}

QByteArray bodyOf(const QByteArray &answer)
{
    return answer.mid(answer.indexOf("\r\n\r\n") + 4);
}

}  // namespace

class TestRestDeepaas : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    PluginManager m_plugins;
    std::unique_ptr<RestServer> m_server;
    std::unique_ptr<HttpClient> m_client;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        loadServeTestPlugins(m_plugins);
        QVERIFY(m_plugins.plugin(u"test-echo"_s) && m_plugins.plugin(u"test-files"_s));
        const QString catalog = m_dir.filePath(u"catalog"_s);
        QVERIFY(writeTestModule(catalog, u"echo-one"_s, u"test-echo"_s, true));
        QVERIFY(writeTestModule(catalog, u"files-one"_s, u"test-files"_s, true));
        QVERIFY(writeTestModule(catalog, u"files.template-2"_s, u"test-files"_s, false));
        QVERIFY(QDir().mkpath(m_dir.filePath(u"data/set"_s)));
        ServeOptions o;
        o.port = 0;
        o.catalogDirectory = catalog;
        o.stateDirectory = m_dir.filePath(u"state"_s);
        o.dataRoots = {m_dir.filePath(u"data"_s)};
        m_server = std::make_unique<RestServer>(o, nullptr, &m_plugins);
        QVERIFY(m_server->start().ok());
        m_client = std::make_unique<HttpClient>(m_server->url());
    }

    void cleanupTestCase()
    {
        m_client.reset();
        m_server.reset();
    }

    // Item 1: what deepaas_ui's launch.py reads, then a validation as Swagger 2.0.
    void swaggerAsDeepaasUiReadsIt()
    {
        const HttpAnswer answer = m_client->get(u"/swagger.json"_s);
        QCOMPARE(answer.status, 200);
        const QJsonObject specs = answer.json();
        QCOMPARE(specs.value(u"swagger"_s).toString(), u"2.0"_s);
        QStringList predictPaths;
        for (const QString &p : specs.value(u"paths"_s).toObject().keys())
            if (p.endsWith(u"predict/"_s))
                predictPaths.append(p);
        QCOMPARE(predictPaths.size(), 3);
        for (const QString &p : predictPaths) {
            const QJsonObject post = specs[u"paths"_s][p][u"post"_s].toObject();
            const QJsonArray parameters =
                post.value(u"parameters"_s).toArray();  // specs['paths'][p]['post']['parameters']
            QVERIFY2(!parameters.isEmpty(), qPrintable(p));
            const QJsonArray produces = post.value(u"produces"_s).toArray();  // specs['paths'][p]['post']['produces']
            QVERIFY2(produces.contains(u"application/json"_s), qPrintable(p));
            for (const QJsonValue &parameter : parameters) {
                QVERIFY(!parameter[u"name"_s].toString().isEmpty());
                // ui_utils.api2gr_inputs renders these types and raises on others.
                const QString type = parameter[u"type"_s].toString(u"string"_s);
                QVERIFY2(QStringList({u"string"_s, u"integer"_s, u"number"_s, u"boolean"_s, u"array"_s, u"file"_s})
                             .contains(type),
                         qPrintable(p + u": "_s + type));
            }
        }
        // The file as DEEPaaS gives it.
        bool data = false;
        for (const QJsonValue &parameter :
             specs[u"paths"_s][u"/v2/models/files-one/predict/"_s][u"post"_s][u"parameters"_s].toArray())
            data |= parameter[u"name"_s] == u"data"_s && parameter[u"in"_s] == u"formData"_s &&
                    parameter[u"type"_s] == u"file"_s && parameter[u"required"_s].toBool();
        QVERIFY(data);
        QVERIFY(specs[u"paths"_s][u"/v2/models/files-one/predict/"_s][u"post"_s][u"consumes"_s].toArray().contains(
            u"multipart/form-data"_s));

        // An operationId on every operation, each once, the same in both documents.
        const QJsonObject openapi = m_client->get(u"/openapi.json"_s).json();
        QVERIFY(openapi.value(u"openapi"_s).toString().startsWith(u"3.0"_s));
        for (const QJsonObject &doc : {specs, openapi}) {
            QSet<QString> ids;
            int operations = 0;
            const QJsonObject paths = doc.value(u"paths"_s).toObject();
            for (auto path = paths.begin(); path != paths.end(); ++path) {
                const QJsonObject item = path.value().toObject();
                for (auto op = item.begin(); op != item.end(); ++op) {
                    if (op.key() == u"parameters"_s)
                        continue;
                    ++operations;
                    const QString id = op.value()[u"operationId"_s].toString();
                    QVERIFY2(!id.isEmpty(), qPrintable(path.key() + u' ' + op.key()));
                    ids.insert(id);
                }
            }
            QCOMPARE(int(ids.size()), operations);
            QVERIFY(ids.contains(u"predict_files_template_2"_s));
        }

        // Swagger 2.0 as a validator nobody here wrote reads it.
        QProcess python;
        python.start(u"/usr/bin/python3"_s, {u"-c"_s, u"import json, sys\n"
                                                      "from swagger_spec_validator.validator20 import validate_spec\n"
                                                      "validate_spec(json.load(sys.stdin))\nprint('valid')\n"_s});
        QVERIFY(python.waitForStarted());
        python.write(answer.body);
        python.closeWriteChannel();
        QVERIFY(python.waitForFinished(60000));
        const QByteArray out = python.readAllStandardOutput() + python.readAllStandardError();
        QVERIFY2(!out.contains("No module named"),
                 "python3-swagger-spec-validator is missing: run packaging/install-deps.sh");
        QVERIFY2(python.exitCode() == 0 && out.contains("valid"), out.constData());
    }

    // Item 1: both documents as @apidevtools/swagger-parser (npm; installed outside the
    // repository by packaging/install-deps.sh) validates them: Swagger 2.0 and OpenAPI 3.
    void documentsValidateWithSwaggerParser()
    {
        const QString node = QStandardPaths::findExecutable(u"node"_s);
        if (node.isEmpty())
            QSKIP("node is not installed: the OpenAPI 3 validation needs it (and npm, for packaging/install-deps.sh)");
        const QString peers =
            qEnvironmentVariable("DEEPWB_NPM_PEERS", QDir::homePath() + u"/.cache/deep-workbench/npm-peers"_s);
        QVERIFY2(QFile::exists(peers + u"/node_modules/@apidevtools/swagger-parser/package.json"_s),
                 qPrintable(u"@apidevtools/swagger-parser is not in %1: run packaging/install-deps.sh"_s.arg(peers)));
        QTemporaryDir scratch;
        for (const QString &name : {u"swagger.json"_s, u"openapi.json"_s}) {
            QFile file(scratch.filePath(name));
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write(m_client->get(u"/"_s + name).body);
        }
        QProcess check;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"NODE_PATH"_s, peers + u"/node_modules"_s);
        check.setProcessEnvironment(env);
        check.setWorkingDirectory(scratch.path());
        check.start(node, {u"-e"_s, u"const SwaggerParser = require('@apidevtools/swagger-parser');\n"
                                    "(async () => {\n"
                                    "  for (const f of ['swagger.json', 'openapi.json']) {\n"
                                    "    const api = await SwaggerParser.validate(f);\n"
                                    "    console.log(f, 'valid', api.swagger || api.openapi);\n"
                                    "  }\n"
                                    "})().catch(e => { console.log('INVALID', e.message); process.exit(1); });\n"_s});
        QVERIFY(check.waitForFinished(60000));
        const QByteArray out = check.readAllStandardOutput() + check.readAllStandardError();
        QVERIFY2(check.exitCode() == 0, out.constData());
        QVERIFY2(out.contains("swagger.json valid 2.0") && out.contains("openapi.json valid 3.0.3"), out.constData());
    }

    // Item 1: top-level links to /ui and /swagger.json; /ui is a page; item 7: links are
    // relative, whatever Host the client sends.
    void linksAndHost()
    {
        const QByteArray root =
            rawRequest(m_server->port(), "GET / HTTP/1.1\r\nHost: evil.example:666\r\nConnection: close\r\n\r\n");
        QVERIFY2(root.startsWith("HTTP/1.1 200 OK"), root.constData());
        const QJsonObject json = QJsonDocument::fromJson(bodyOf(root)).object();
        QVERIFY(!root.contains("evil.example"));
        QCOMPARE(json[u"versions"_s][0][u"links"_s][0][u"href"_s].toString(), u"/v2/"_s);
        QStringList rels;
        for (const QJsonValue &link : json.value(u"links"_s).toArray())
            rels << link[u"rel"_s].toString() + u'=' + link[u"href"_s].toString();
        QCOMPARE(rels, (QStringList{u"help=/ui"_s, u"describedby=/swagger.json"_s}));
        for (const QByteArray path : {"/openapi.json", "/swagger.json", "/v2/models/", "/v2/"}) {
            const QByteArray answer = rawRequest(
                m_server->port(), "GET " + path + " HTTP/1.1\r\nHost: evil.example:666\r\nConnection: close\r\n\r\n");
            QVERIFY2(answer.startsWith("HTTP/1.1 200"), path.constData());
            QVERIFY2(!answer.contains("evil.example"), path.constData());
        }
        // /ui: Swagger UI on /swagger.json, its files from Debian's python3-flasgger.
        const HttpAnswer ui = m_client->get(u"/ui"_s);
        QCOMPARE(ui.status, 200);
        QVERIFY(ui.contentType.startsWith("text/html"));
        QVERIFY2(ui.body.contains("SwaggerUIBundle") && ui.body.contains("url: \"/swagger.json\""),
                 "no Swagger UI: install python3-flasgger (packaging/install-deps.sh)");
        for (const QString &asset :
             {u"swagger-ui-bundle.js"_s, u"swagger-ui-standalone-preset.js"_s, u"swagger-ui.css"_s}) {
            const HttpAnswer file = m_client->get(u"/ui/static/"_s + asset);
            QVERIFY2(file.status == 200 && file.body.size() > 10000, qPrintable(asset));
        }
        QCOMPARE(m_client->get(u"/ui/static/../../etc/passwd"_s).status, 404);
        QCOMPARE(m_client->get(u"/ui/static/swagger-ui.js.map"_s).status, 404);
        // The workbench's own page of the routes stays at /api.
        const HttpAnswer api = m_client->get(u"/api"_s);
        QVERIFY(api.body.contains("/swagger.json") && api.body.contains("/openapi.json"));
    }

    // Item 3: 422 {"field": ["message"]}; unknown arguments ignored with a warning.
    void argumentErrorsAndUnknownArguments()
    {
        const HttpAnswer bad =
            m_client->postForm(u"/v2/models/echo-one/predict/"_s, {{u"text"_s, u"a"_s}, {u"repeat"_s, u"99"_s}});
        QCOMPARE(bad.status, 422);
        QVERIFY(bad.json().value(u"repeat"_s).toArray().first().toString().contains(u"10"_s));

        const HttpAnswer extra =
            m_client->postForm(u"/v2/models/echo-one/predict/"_s, {{u"text"_s, u"a"_s}, {u"colour"_s, u"red"_s}});
        QCOMPARE(extra.status, 200);
        QCOMPARE(extra.json().value(u"status"_s).toString(), u"OK"_s);
        QVERIFY2(extra.json().value(u"warnings"_s).toArray().first().toString().contains(u"\"colour\""_s),
                 extra.body.constData());

        const HttpAnswer training = m_client->postJson(u"/v2/models/files-one/train/"_s,
                                                       {{u"name"_s, u"warned"_s}, {u"steps"_s, 1}, {u"gpu"_s, 2}});
        QCOMPARE(training.status, 200);
        QVERIFY2(training.json().value(u"warnings"_s).toArray().first().toString().contains(u"\"gpu\""_s),
                 training.body.constData());
        // DEEPaaS's date: "2026-12-06 12:30:05.123000".
        static const QRegularExpression date(u"^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{6}$"_s);
        QVERIFY2(date.match(training.json().value(u"date"_s).toString()).hasMatch(), training.body.constData());
    }

    // Item 3: Accept with parameters and q-values; a type the prediction cannot give: 406.
    void acceptMediaRanges()
    {
        const QByteArray body = "text=hi";
        for (const QByteArray &accept :
             {QByteArray("application/json; charset=utf-8"), QByteArray("application/json;q=0.9, image/png;q=0.1"),
              QByteArray("*/*"), QByteArray("text/html, application/*;q=0.8")}) {
            const QByteArray answer = rawRequest(
                m_server->port(),
                "POST /v2/models/echo-one/predict/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAccept: " + accept +
                    "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: " +
                    QByteArray::number(body.size()) + "\r\n\r\n" + body);
            if (accept.startsWith("text/html")) {
                QVERIFY2(answer.startsWith("HTTP/1.1 406 Not Acceptable"), answer.constData());
                continue;
            }
            QVERIFY2(answer.startsWith("HTTP/1.1 200 OK"), (accept + "\n" + answer).constData());
            QVERIFY(bodyOf(answer).contains("\"predictions\""));
        }
    }

    // Item 10: one level of "predictions"; a JSON array says what is wrong; status words.
    void shapesAndWords()
    {
        const HttpAnswer predicted = m_client->postForm(u"/v2/models/echo-one/predict/"_s, {{u"text"_s, u"a"_s}});
        QCOMPARE(predicted.status, 200);
        QVERIFY2(!predicted.json().value(u"predictions"_s).toObject().contains(u"predictions"_s),
                 predicted.body.constData());
        const HttpAnswer array = m_client->postRaw(u"/v2/models/echo-one/predict/"_s, "[1, 2]", "application/json");
        QCOMPARE(array.status, 400);
        QVERIFY2(array.body.contains("an array, not an object") && !array.body.contains("no error occurred"),
                 array.body.constData());
        QCOMPARE(HttpReply::reasonPhrase(408), QByteArray("Request Timeout"));
        QCOMPARE(HttpReply::reasonPhrase(422), QByteArray("Unprocessable Entity"));
    }
};

QTEST_GUILESS_MAIN(TestRestDeepaas)
#include "test_rest_deepaas.moc"
