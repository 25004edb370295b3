// The line sources of live streams (core/io): the splitter (partial lines, CRLF, blank and
// overlong lines), following a file (from its end or its start, a partial last line, a
// truncated and a rotated file, a missing one), UDP datagrams with one or several lines,
// TCP clients side by side, and the stream URLs with their errors.
#include "core/io/file_follower.h"
#include "core/io/line_source_url.h"
#include "core/io/socket_line_sources.h"

#include <QFile>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QUdpSocket>
#include <QtTest>

using namespace dw;
using namespace Qt::StringLiterals;

namespace {

bool append(const QString &path, const QByteArray &bytes, QIODevice::OpenMode mode = QIODevice::Append)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | mode))
        return false;
    return file.write(bytes) == bytes.size();
}

// Every line a source delivers, in order.
struct Collector {
    QList<QByteArray> lines;
    QStringList messages;
    explicit Collector(LineSource &source)
    {
        QObject::connect(&source, &LineSource::lineReceived, [this](const QByteArray &line) { lines << line; });
        QObject::connect(&source, &LineSource::message, [this](const QString &text) { messages << text; });
        QObject::connect(&source, &LineSource::errorOccurred, [this](const QString &text) { messages << text; });
    }
};

}  // namespace

class TestLineSources : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

private Q_SLOTS:
    void splitter()
    {
        LineSplitter splitter(16);
        QList<QByteArray> lines;
        auto collect = [&lines](const QByteArray &line) { lines << line; };
        QCOMPARE(splitter.feed("a,1\r\nb,", collect), 0);
        QCOMPARE(lines, (QList<QByteArray>{"a,1"}));
        QCOMPARE(splitter.pending(), 2);
        QCOMPARE(splitter.feed("2\n\n  \nc,3", collect), 0);
        QCOMPARE(lines, (QList<QByteArray>{"a,1", "b,2"}));  // blank lines are dropped
        QCOMPARE(splitter.takeRest(), QByteArray("c,3"));
        QCOMPARE(splitter.pending(), 0);
        lines.clear();
        QCOMPARE(splitter.feed("0123456789abcdefXYZ", collect), 1);  // over 16 bytes without a break
        QCOMPARE(splitter.feed("more\nd,4\n", collect), 0);
        QCOMPARE(lines, (QList<QByteArray>{"d,4"}));  // the overlong line's end is not a line
    }

    void followFromTheEnd()
    {
        const QString path = m_dir.filePath(u"rows.csv"_s);
        QVERIFY(append(path, "time,value\n1,1\n2,", QIODevice::Truncate));
        FileFollower follower(path);
        follower.setPollInterval(20);
        Collector got(follower);
        QVERIFY(follower.start());
        QTest::qWait(60);
        QVERIFY(got.lines.isEmpty());
        QVERIFY(append(path, "2\n3,3\n4,"));  // ends the row being written when it started, then one more
        QTRY_COMPARE_WITH_TIMEOUT(got.lines, (QList<QByteArray>{"3,3"}), 10000);
        QTest::qWait(60);
        QCOMPARE(got.lines.size(), 1);  // "4," waits for its break
        QVERIFY(append(path, "4\r\n"));
        QTRY_COMPARE_WITH_TIMEOUT(got.lines, (QList<QByteArray>{"3,3", "4,4"}), 10000);
        QVERIFY(follower.lineCount() == 2);

        // Truncated: read again from the start, with a message.
        QVERIFY(append(path, "5,5\n", QIODevice::Truncate));
        QTRY_COMPARE_WITH_TIMEOUT(got.lines.size(), 3, 10000);
        QCOMPARE(got.lines.last(), QByteArray("5,5"));
        QVERIFY2(got.messages.join(u' ').contains(u"truncated"_s), qPrintable(got.messages.join(u' ')));

        // Rotated: the old file's rest is read, then the new file from its start.
        QVERIFY(QFile::rename(path, path + u".1"_s));
        QVERIFY(append(path + u".1"_s, "6,6\n"));
        QVERIFY(append(path, "7,7\n8,8\n", QIODevice::Truncate));
        QTRY_COMPARE_WITH_TIMEOUT(got.lines.size(), 6, 10000);
        QCOMPARE(got.lines.mid(3), (QList<QByteArray>{"6,6", "7,7", "8,8"}));
        QVERIFY2(got.messages.join(u' ').contains(u"rotated"_s), qPrintable(got.messages.join(u' ')));
        QVERIFY(append(path, "9,9\n"));
        QTRY_COMPARE_WITH_TIMEOUT(got.lines.size(), 7, 10000);
        follower.stop();
        QVERIFY(append(path, "10,10\n"));
        QTest::qWait(60);
        QCOMPARE(got.lines.size(), 7);
    }

    void followFromTheStart()
    {
        const QString path = m_dir.filePath(u"start.csv"_s);
        QVERIFY(append(path, "time,value\n1,1\n2,2\n", QIODevice::Truncate));
        FileFollower follower(path, true);
        follower.setPollInterval(20);
        Collector got(follower);
        QVERIFY(follower.start());
        QTRY_COMPARE_WITH_TIMEOUT(got.lines, (QList<QByteArray>{"time,value", "1,1", "2,2"}), 10000);
    }

    void missingFile()
    {
        FileFollower follower(m_dir.filePath(u"nothing.csv"_s));
        const Result<void> started = follower.start();
        QVERIFY(!started);
        QVERIFY2(started.error().message.contains(u"does not exist"_s), qPrintable(started.error().message));
        FileFollower folder(m_dir.path());
        QVERIFY(!folder.start());
    }

    void udp()
    {
        UdpLineSource source(QHostAddress::LocalHost, 0);
        Collector got(source);
        QVERIFY(source.start());
        QVERIFY(source.port() != 0);
        QCOMPARE(source.description(), u"udp://127.0.0.1:%1"_s.arg(source.port()));
        QUdpSocket sender;
        QCOMPARE(sender.writeDatagram("a,1\nb,2\r\nc,3", QHostAddress::LocalHost, source.port()), 12);
        QCOMPARE(sender.writeDatagram("d,4", QHostAddress::LocalHost, source.port()), 3);
        QTRY_COMPARE_WITH_TIMEOUT(got.lines, (QList<QByteArray>{"a,1", "b,2", "c,3", "d,4"}), 10000);
        QCOMPARE(source.datagramCount(), 2);

        UdpLineSource taken(QHostAddress::LocalHost, source.port());
        const Result<void> clash = taken.start();
        QVERIFY(!clash);
        QVERIFY2(clash.error().message.contains(u"cannot listen on udp://127.0.0.1"_s),
                 qPrintable(clash.error().message));
    }

    void tcp()
    {
        TcpLineSource source(QHostAddress::LocalHost, 0);
        Collector got(source);
        QVERIFY(source.start());
        QTcpSocket first, second;
        first.connectToHost(QHostAddress::LocalHost, source.port());
        second.connectToHost(QHostAddress::LocalHost, source.port());
        QVERIFY(first.waitForConnected(10000));
        QVERIFY(second.waitForConnected(10000));
        QTRY_COMPARE_WITH_TIMEOUT(source.clientCount(), 2, 10000);
        first.write("x,1\nx,");
        QVERIFY(first.waitForBytesWritten(10000));
        QTRY_COMPARE_WITH_TIMEOUT(got.lines, (QList<QByteArray>{"x,1"}), 10000);
        second.write("y,1\n");  // the other client's partial line is its own
        QVERIFY(second.waitForBytesWritten(10000));
        QTRY_COMPARE_WITH_TIMEOUT(got.lines.size(), 2, 10000);
        QCOMPARE(got.lines.last(), QByteArray("y,1"));
        first.write("2\nz,9");
        QVERIFY(first.waitForBytesWritten(10000));
        QTRY_COMPARE_WITH_TIMEOUT(got.lines.size(), 3, 10000);
        QCOMPARE(got.lines.last(), QByteArray("x,2"));
        first.disconnectFromHost();  // ends "z,9"
        QTRY_COMPARE_WITH_TIMEOUT(got.lines.size(), 4, 10000);
        QCOMPARE(got.lines.last(), QByteArray("z,9"));
        QTRY_COMPARE_WITH_TIMEOUT(source.clientCount(), 1, 10000);
        QVERIFY2(got.messages.join(u' ').contains(u"disconnected"_s), qPrintable(got.messages.join(u' ')));

        TcpLineSource taken(QHostAddress::LocalHost, source.port());
        QVERIFY(!taken.start());
        source.stop();
        QCOMPARE(source.clientCount(), 0);
    }

    void urls_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("expected");  // toString(), or the error's key words
        QTest::addColumn<bool>("valid");
        QTest::newRow("udp") << u"udp://127.0.0.1:9000"_s << u"udp://127.0.0.1:9000"_s << true;
        QTest::newRow("tcp any") << u"tcp://0.0.0.0:9000"_s << u"tcp://0.0.0.0:9000"_s << true;
        QTest::newRow("localhost") << u"TCP://localhost:0"_s << u"tcp://127.0.0.1:0"_s << true;
        QTest::newRow("ipv6") << u"udp://[::1]:9000"_s << u"udp://[::1]:9000"_s << true;
        QTest::newRow("file") << u"file:///tmp/rows.csv"_s << u"file:///tmp/rows.csv"_s << true;
        QTest::newRow("scheme") << u"ftp://127.0.0.1:21"_s << u"scheme \"ftp\" is unknown"_s << false;
        QTest::newRow("no scheme") << u"127.0.0.1:9000"_s << u"no scheme"_s << false;
        QTest::newRow("no port") << u"udp://127.0.0.1"_s << u"no port"_s << false;
        QTest::newRow("empty port") << u"udp://127.0.0.1:"_s << u"no port"_s << false;
        QTest::newRow("big port") << u"udp://127.0.0.1:70000"_s << u"\"70000\" is not a port number"_s << false;
        QTest::newRow("text port") << u"tcp://127.0.0.1:http"_s << u"\"http\" is not a port number"_s << false;
        QTest::newRow("host name") << u"udp://example.org:9000"_s << u"not an IP address"_s << false;
        QTest::newRow("no host") << u"udp://:9000"_s << u"no host"_s << false;
        QTest::newRow("ipv6 open") << u"udp://[::1:9000"_s << u"no closing"_s << false;
    }

    void urls()
    {
        QFETCH(QString, text);
        QFETCH(QString, expected);
        QFETCH(bool, valid);
        const Result<LineSourceUrl> url = LineSourceUrl::parse(text);
        QCOMPARE(bool(url), valid);
        if (valid) {
            QCOMPARE(url->toString(), expected);
            QVERIFY(url->create() != nullptr);
        } else {
            QVERIFY2(url.error().message.contains(expected), qPrintable(url.error().message));
            QVERIFY2(url.error().message.contains(u"e.g. udp://"_s), qPrintable(url.error().message));
        }
    }
};

QTEST_GUILESS_MAIN(TestLineSources)
#include "test_line_sources.moc"
