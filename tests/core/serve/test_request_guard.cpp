// RequestGuard, through a RestServer and raw sockets: requests refused from their headers
// alone (413 even when the client waits for "100 Continue", 411 chunked, 431 huge headers,
// 400 a bad Content-Length, 408 headers that never finish), "Expect: 100-continue"
// answered, and several requests in turn on one kept-alive connection.
#include "core/serve/rest_server.h"
#include "serve_fixture.h"

#include <QElapsedTimer>
#include <QTcpSocket>
#include <QTest>

using namespace dw;
using namespace dw::test;
using namespace Qt::StringLiterals;

class TestRequestGuard : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void refusedFromHeaders_data();
    void refusedFromHeaders();
    void headersTooSlow();
    void expectContinue();
    void keepAlive();

private:
    // Sends bytes, then reads until the connection closes or timeoutMs passes.
    QByteArray exchange(QTcpSocket &socket, const QByteArray &bytes, int timeoutMs = 5000,
                        const QByteArray &until = {});

    QTemporaryDir m_dir;
    PluginManager m_plugins;
    std::unique_ptr<RestServer> m_server;
};

void TestRequestGuard::initTestCase()
{
    loadServeTestPlugins(m_plugins);
    const QString catalog = m_dir.filePath(u"catalog"_s);
    QVERIFY(writeTestModule(catalog, u"echo-one"_s, u"test-echo"_s, true));
    ServeOptions options;
    options.port = 0;
    options.catalogDirectory = catalog;
    options.stateDirectory = m_dir.filePath(u"state"_s);
    options.maxUploadBytes = 1024;
    options.headerTimeoutMs = 300;
    m_server = std::make_unique<RestServer>(options, nullptr, &m_plugins);
    QVERIFY(m_server->start().ok());
}

QByteArray TestRequestGuard::exchange(QTcpSocket &socket, const QByteArray &bytes, int timeoutMs,
                                      const QByteArray &until)
{
    if (socket.state() != QAbstractSocket::ConnectedState) {
        socket.connectToHost(QHostAddress::LocalHost, m_server->port());
        if (!socket.waitForConnected(5000))
            return {};
    }
    socket.write(bytes);
    QByteArray got;
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < timeoutMs) {
        QTest::qWait(10);  // the server runs on this thread: let it work
        got += socket.readAll();
        if (socket.state() == QAbstractSocket::UnconnectedState)
            break;
        if (!until.isEmpty() && got.contains(until))
            break;
    }
    return got + socket.readAll();
}

void TestRequestGuard::refusedFromHeaders_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<QByteArray>("status");
    const QByteArray predict = "POST /v2/models/echo-one/predict/ HTTP/1.1\r\nHost: x\r\n";
    QTest::newRow("too large") << predict + "Content-Length: 5000000\r\nContent-Type: application/json\r\n\r\n{"
                               << QByteArray("413");
    QTest::newRow("too large, expecting continue")
        << predict + "Content-Length: 5000000\r\nExpect: 100-continue\r\n\r\n"
        << QByteArray("413");
    QTest::newRow("chunked") << predict + "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"
                             << QByteArray("411");
    QTest::newRow("bad length") << predict + "Content-Length: lots\r\n\r\n" << QByteArray("400");
    QTest::newRow("huge headers") << predict + "X-Padding: " + QByteArray(70 * 1024, 'p') << QByteArray("431");
}

void TestRequestGuard::refusedFromHeaders()
{
    QFETCH(QByteArray, request);
    QFETCH(QByteArray, status);
    QTcpSocket socket;
    const QByteArray answer = exchange(socket, request);
    QVERIFY2(answer.startsWith("HTTP/1.1 " + status), answer.left(200).constData());
    QVERIFY(!answer.contains("100 Continue"));
    QVERIFY(answer.contains("Connection: close"));
    QVERIFY(answer.contains("\"status\":\"error\""));
    QCOMPARE(socket.state(), QAbstractSocket::UnconnectedState);
    // The server serves on.
    QTcpSocket again;
    QVERIFY(exchange(again, "GET /v2/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").startsWith("HTTP/1.1 200"));
}

void TestRequestGuard::headersTooSlow()
{
    QTcpSocket socket;
    QElapsedTimer timer;
    timer.start();
    const QByteArray answer = exchange(socket, "GET /v2/ HTTP/1.1\r\nHost: x\r\n", 5000);
    QVERIFY2(answer.startsWith("HTTP/1.1 408"), answer.constData());
    QVERIFY(timer.elapsed() >= 250);
    // An idle kept-alive connection (no request begun) is not timed out.
    QTcpSocket idle;
    QVERIFY(exchange(idle, "GET /v2/ HTTP/1.1\r\nHost: x\r\n\r\n", 5000, "}").startsWith("HTTP/1.1 200"));
    QTest::qWait(600);
    QCOMPARE(idle.state(), QAbstractSocket::ConnectedState);
}

void TestRequestGuard::expectContinue()
{
    QTcpSocket socket;
    const QByteArray body = "text=hi";
    const QByteArray head =
        "POST /v2/models/echo-one/predict/ HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
        "Content-Length: " +
        QByteArray::number(body.size()) + "\r\nExpect: 100-continue\r\n\r\n";
    const QByteArray interim = exchange(socket, head, 3000, "\r\n\r\n");
    QCOMPARE(interim, QByteArray("HTTP/1.1 100 Continue\r\n\r\n"));
    const QByteArray answer = exchange(socket, body, 5000, "\"OK\"}");
    QVERIFY2(answer.startsWith("HTTP/1.1 200"), answer.constData());
    QVERIFY(answer.contains("\"echo\":\"hi\""));
}

void TestRequestGuard::keepAlive()
{
    QTcpSocket socket;
    for (int i = 0; i < 3; ++i) {
        const QByteArray body = "text=r" + QByteArray::number(i);
        const QByteArray answer = exchange(socket,
                                           "POST /v2/models/echo-one/predict/ HTTP/1.1\r\nHost: x\r\n"
                                           "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " +
                                               QByteArray::number(body.size()) + "\r\n\r\n" + body,
                                           5000, "\"OK\"}");
        QVERIFY2(answer.startsWith("HTTP/1.1 200"), answer.constData());
        QVERIFY(answer.contains("\"echo\":\"r" + QByteArray::number(i) + "\""));
        QCOMPARE(socket.state(), QAbstractSocket::ConnectedState);
    }
}

QTEST_GUILESS_MAIN(TestRequestGuard)
#include "test_request_guard.moc"
