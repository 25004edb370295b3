// The REST server under the loads and mistakes of real clients (issue 15): predictions are
// answered while a training runs; a training never takes a name in use (409); the token is
// checked before a body is read, and bodies in flight have a budget (503); idle connections,
// idle keep-alives and trickling bodies are closed (408); one client holds a bounded number
// of connections (429).
#include "core/serve/rest_server.h"
#include "serve_fixture.h"
#include "serve_test_client.h"

#include <QElapsedTimer>
#include <QTcpSocket>
#include <QTest>

using namespace dw;
using namespace dw::test;
using namespace Qt::StringLiterals;

class TestRestHardening : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    PluginManager m_plugins;
    QString m_catalog;

    ServeOptions options() const
    {
        ServeOptions o;
        o.port = 0;
        o.catalogDirectory = m_catalog;
        o.stateDirectory = m_dir.filePath(u"state"_s);
        o.dataRoots = {m_dir.filePath(u"data"_s)};
        return o;
    }

    // Reads from socket until it closes, `until` arrives or timeoutMs pass (the server runs on
    // this thread: the waits let it work).
    static QByteArray readUntil(QTcpSocket &socket, int timeoutMs, const QByteArray &until = {})
    {
        QByteArray got;
        QElapsedTimer clock;
        clock.start();
        while (clock.elapsed() < timeoutMs) {
            QTest::qWait(10);
            got += socket.readAll();
            if (socket.state() == QAbstractSocket::UnconnectedState || (!until.isEmpty() && got.contains(until)))
                break;
        }
        return got + socket.readAll();
    }

    static bool connectTo(QTcpSocket &socket, quint16 port)
    {
        socket.connectToHost(QHostAddress::LocalHost, port);
        return socket.waitForConnected(5000);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        loadServeTestPlugins(m_plugins);
        QVERIFY(m_plugins.plugin(u"test-files"_s));
        m_catalog = m_dir.filePath(u"catalog"_s);
        QVERIFY(writeTestModule(m_catalog, u"files-one"_s, u"test-files"_s, true));
        QVERIFY(writeTestModule(m_catalog, u"files-template"_s, u"test-files"_s, false));
        QVERIFY(writeTestModule(m_catalog, u"echo-one"_s, u"test-echo"_s, true));
        QVERIFY(QDir().mkpath(m_dir.filePath(u"data/set"_s)));
    }

    // Item 2: a prediction does not wait behind a training (it used to sit on the same queue
    // until the training ended or was deleted).
    void predictWhileTraining()
    {
        RestServer server(options(), nullptr, &m_plugins);
        QVERIFY(server.start().ok());
        HttpClient client(server.url());
        const HttpAnswer started =
            client.postJson(u"/v2/models/files-template/train/"_s,
                            {{u"name"_s, u"long-run"_s}, {u"steps"_s, 100000}, {u"step-ms"_s, 10}});
        QCOMPARE(started.status, 200);
        const QString uuid = started.json().value(u"uuid"_s).toString();
        QTRY_COMPARE(client.get(u"/v2/models/files-template/train/%1"_s.arg(uuid)).json().value(u"state"_s).toString(),
                     u"running"_s);
        for (int i = 0; i < 5; ++i) {
            QElapsedTimer clock;
            clock.start();
            const HttpAnswer predicted = client.postForm(u"/v2/models/files-one/predict/"_s, {},
                                                         {{u"data"_s, u"x.txt"_s, QByteArray(100 + i, 'a')}});
            QCOMPARE(predicted.status, 200);
            QCOMPARE(predicted.json().value(u"predictions"_s)[u"size"_s].toInt(), 100 + i);
            QVERIFY2(clock.elapsed() < 5000, qPrintable(QString::number(clock.elapsed())));
        }
        QCOMPARE(client.get(u"/v2/models/files-template/train/%1"_s.arg(uuid)).json().value(u"state"_s).toString(),
                 u"running"_s);
        QCOMPARE(client.del(u"/v2/models/files-template/train/%1"_s.arg(uuid)).status, 200);
    }

    // Item 4: a training named like a module of the catalog is refused (409); no NAME-2 folder
    // holding "id": "NAME" is ever made.
    void nameInUseIsRefused()
    {
        RestServer server(options(), nullptr, &m_plugins);
        QVERIFY(server.start().ok());
        HttpClient client(server.url());
        for (const QString &taken : {u"files-template"_s, u"echo-one"_s, u"files-one"_s}) {
            const HttpAnswer refused =
                client.postJson(u"/v2/models/files-one/train/"_s, {{u"name"_s, taken}, {u"steps"_s, 2}});
            QVERIFY2(refused.status == 409, refused.body.constData());
            QVERIFY2(refused.body.contains("taken") && refused.body.contains("choose another name"),
                     refused.body.constData());
            QVERIFY(!QFileInfo::exists(QDir(m_catalog).filePath(taken + u"-2"_s)));
        }
        const QStringList folders = QDir(m_catalog).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
        QCOMPARE(folders, (QStringList{u"echo-one"_s, u"files-one"_s, u"files-template"_s}));
        const QString listed = QString::fromUtf8(client.get(u"/v2/models/"_s).body);
        QVERIFY(listed.contains(u"files-template"_s) && listed.contains(u"echo-one"_s));
        QCOMPARE(client.get(u"/v2/models/files-template/"_s).status, 200);
    }

    // Item 5: without the token a 45 MB upload is refused from its headers, before a byte of
    // its body is read; bodies in flight, all clients together, have a budget.
    void tokenBeforeBodyAndUploadBudget()
    {
        ServeOptions o = options();
        o.token = u"s3cret"_s;
        o.maxUploadBytes = 50ll << 20;
        o.maxInFlightUploadBytes = 100ll << 20;
        RestServer server(o, nullptr, &m_plugins);
        QVERIFY(server.start().ok());
        QTcpSocket anonymous;
        QVERIFY(connectTo(anonymous, server.port()));
        anonymous.write("POST /v2/models/files-one/predict/ HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; "
                        "boundary=b\r\n"
                        "Content-Length: 47185920\r\n\r\n--b\r\n");
        const QByteArray refused = readUntil(anonymous, 3000, "\r\n\r\n{");
        QVERIFY2(refused.startsWith("HTTP/1.1 401 Unauthorized"), refused.constData());
        QVERIFY(refused.contains("WWW-Authenticate: Bearer"));

        // Two 45 MB bodies may be on their way at once (100 MB); the third waits its turn: 503.
        QTcpSocket first, second, third;
        for (QTcpSocket *socket : {&first, &second, &third}) {
            QVERIFY(connectTo(*socket, server.port()));
            socket->write("POST /v2/models/files-one/predict/ HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer s3cret\r\n"
                          "Content-Type: multipart/form-data; boundary=b\r\nContent-Length: 47185920\r\n\r\n--b\r\n");
            QTest::qWait(100);
        }
        const QByteArray busy = readUntil(third, 3000, "\r\n\r\n{");
        QVERIFY2(busy.startsWith("HTTP/1.1 503"), busy.constData());
        QVERIFY(busy.contains("Retry-After"));
        QVERIFY(first.state() == QAbstractSocket::ConnectedState && first.bytesAvailable() == 0);
        // When one gives up, its share of the budget is free again.
        first.abort();
        QTest::qWait(200);
        QTcpSocket fourth;
        QVERIFY(connectTo(fourth, server.port()));
        fourth.write("POST /v2/models/files-one/predict/ HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer s3cret\r\n"
                     "Content-Type: multipart/form-data; boundary=b\r\nContent-Length: 47185920\r\n\r\n--b\r\n");
        QCOMPARE(readUntil(fourth, 500), QByteArray());
    }

    // Item 6: idle connections, idle keep-alives and bodies at a byte a second are closed with
    // 408; one address holds at most maxConnectionsPerClient connections (429).
    void slowAndIdleClients()
    {
        ServeOptions o = options();
        o.idleTimeoutMs = 600;
        o.bodyStallMs = 500;
        o.minBodyBytesPerSecond = 200;
        o.maxConnectionsPerClient = 6;
        RestServer server(o, nullptr, &m_plugins);
        QVERIFY(server.start().ok());

        QTcpSocket idle;
        QVERIFY(connectTo(idle, server.port()));
        QElapsedTimer clock;
        clock.start();
        const QByteArray closed = readUntil(idle, 5000);
        QVERIFY2(closed.startsWith("HTTP/1.1 408 Request Timeout"), closed.constData());
        QVERIFY(clock.elapsed() < 3000);

        QTcpSocket kept;
        QVERIFY(connectTo(kept, server.port()));
        kept.write("GET /v2/ HTTP/1.1\r\nHost: x\r\n\r\n");
        const QByteArray answered = readUntil(kept, 3000, "}");
        QVERIFY2(answered.startsWith("HTTP/1.1 200"), answered.constData());
        const QByteArray after = readUntil(kept, 5000);  // then nothing more is asked
        QVERIFY2(after.startsWith("HTTP/1.1 408"), after.constData());
        QCOMPARE(kept.state(), QAbstractSocket::UnconnectedState);

        QTcpSocket trickle;
        QVERIFY(connectTo(trickle, server.port()));
        trickle.write("POST /v2/models/files-one/predict/ HTTP/1.1\r\nHost: x\r\nContent-Type: "
                      "application/x-www-form-urlencoded\r\n"
                      "Content-Length: 1000\r\n\r\n");
        QByteArray got;
        clock.restart();
        while (clock.elapsed() < 5000 && trickle.state() == QAbstractSocket::ConnectedState && got.isEmpty()) {
            trickle.write("a");
            got = readUntil(trickle, 100);
        }
        got += readUntil(trickle, 1000);
        QVERIFY2(got.startsWith("HTTP/1.1 408") && got.contains("slower than"), got.constData());

        // A request that takes its time to answer (mode=slow: longer than the idle timeout) is
        // not cut by it: the connection is idle only once its answer is out.
        QTcpSocket slowAnswer;
        QVERIFY(connectTo(slowAnswer, server.port()));
        const QByteArray part =
            "--b\r\nContent-Disposition: form-data; name=\"mode\"\r\n\r\nslow\r\n"
            "--b\r\nContent-Disposition: form-data; name=\"data\"; filename=\"a.txt\"\r\n\r\nhello\r\n--b--\r\n";
        slowAnswer.write("POST /v2/models/files-one/predict/ HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; "
                         "boundary=b\r\n"
                         "Content-Length: " +
                         QByteArray::number(part.size()) + "\r\n\r\n" + part);
        clock.restart();
        const QByteArray predicted = readUntil(slowAnswer, 10000, "}");
        QVERIFY2(predicted.startsWith("HTTP/1.1 200"), predicted.constData());
        QVERIFY2(clock.elapsed() > o.idleTimeoutMs, qPrintable(QString::number(clock.elapsed())));

        slowAnswer.abort();
        QTest::qWait(100);  // the server sees it go
        // Seven at once (well within the idle timeout): the seventh is one too many.
        std::vector<std::unique_ptr<QTcpSocket>> many;
        for (int i = 0; i < 7; ++i) {
            many.push_back(std::make_unique<QTcpSocket>());
            QVERIFY(connectTo(*many.back(), server.port()));
        }
        const QByteArray refused = readUntil(*many.back(), 300);
        QVERIFY2(refused.startsWith("HTTP/1.1 429 Too Many Requests"), refused.constData());
        for (int i = 0; i < 6; ++i)
            QVERIFY(many[i]->bytesAvailable() == 0);
    }
};

QTEST_GUILESS_MAIN(TestRestHardening)
#include "test_rest_hardening.moc"
