// FormData: multipart/form-data (fields, files, repeated names, quoted names, binary content
// with CRLFs inside), url-encoded and JSON bodies, query items, malformed bodies with their
// reason, and the safe names given to uploads.
#include "core/serve/form_data.h"

#include <QTest>

using namespace dw;
using namespace Qt::StringLiterals;

class TestFormData : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void multipart();
    void urlEncodedJsonAndQuery();
    void malformed_data();
    void malformed();
    void safeFileName_data();
    void safeFileName();
};

void TestFormData::multipart()
{
    const QByteArray binary("line\r\n--not-the-boundary\r\n\0end", 31);
    const QByteArray body = "--XyZ\r\n"
                            "Content-Disposition: form-data; name=\"text\"\r\n\r\n"
                            "hello\r\n"
                            "--XyZ\r\n"
                            "Content-Disposition: form-data; name=\"tag\"\r\n\r\n"
                            "a\r\n"
                            "--XyZ\r\n"
                            "content-disposition: form-data; name=\"tag\"\r\n\r\n"
                            "b\r\n"
                            "--XyZ\r\n"
                            "Content-Disposition: form-data; name=\"data\"; filename=\"my \\\"cat\\\".png\"\r\n"
                            "Content-Type: image/png\r\n\r\n" +
                            binary + "\r\n--XyZ--\r\n";
    const Result<FormData> form =
        FormData::parse("multipart/form-data; boundary=XyZ", body, QUrlQuery(u"extra=1&text=query"_s));
    QVERIFY2(form.ok(), qPrintable(form.ok() ? QString() : form.error().message));
    QCOMPARE(form->fields.value(u"text"_s).toString(), u"hello"_s);  // the body wins over the query
    QCOMPARE(form->fields.value(u"tag"_s).toList(), (QVariantList{u"a"_s, u"b"_s}));
    QCOMPARE(form->fields.value(u"extra"_s).toString(), u"1"_s);
    QCOMPARE(form->files.size(), 1);
    QCOMPARE(form->files[0].field, u"data"_s);
    QCOMPARE(form->files[0].fileName, u"my \"cat\".png"_s);
    QCOMPARE(form->files[0].contentType, QByteArray("image/png"));
    QCOMPARE(form->files[0].content, binary);
    QCOMPARE(FormData::boundaryOf("multipart/form-data; boundary=\"a b\""), QByteArray("a b"));
}

void TestFormData::urlEncodedJsonAndQuery()
{
    Result<FormData> form = FormData::parse("application/x-www-form-urlencoded", "a=1+2&b=%C3%A9", {});
    QVERIFY(form.ok());
    QCOMPARE(form->fields.value(u"a"_s).toString(), u"1 2"_s);
    QCOMPARE(form->fields.value(u"b"_s).toString(), u"é"_s);
    form = FormData::parse("application/json; charset=utf-8", R"({"n": 3, "list": [1, 2]})", {});
    QVERIFY(form.ok());
    QCOMPARE(form->fields.value(u"n"_s).toInt(), 3);
    QCOMPARE(form->fields.value(u"list"_s).toList().size(), 2);
    form = FormData::parse({}, {}, QUrlQuery(u"x=y"_s));
    QVERIFY(form.ok());
    QCOMPARE(form->fields.value(u"x"_s).toString(), u"y"_s);
}

void TestFormData::malformed_data()
{
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("inMessage");
    QTest::newRow("no boundary") << QByteArray("multipart/form-data") << QByteArray("x") << u"boundary"_s;
    QTest::newRow("boundary absent") << QByteArray("multipart/form-data; boundary=Q") << QByteArray("nothing")
                                     << u"never appears"_s;
    QTest::newRow("truncated") << QByteArray("multipart/form-data; boundary=Q")
                               << QByteArray("--Q\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nvalue")
                               << u"truncated"_s;
    QTest::newRow("no header end") << QByteArray("multipart/form-data; boundary=Q")
                                   << QByteArray("--Q\r\nContent-Disposition: x") << u"end of headers"_s;
    QTest::newRow("no name") << QByteArray("multipart/form-data; boundary=Q")
                             << QByteArray("--Q\r\nContent-Disposition: form-data\r\n\r\nv\r\n--Q--")
                             << u"field name"_s;
    QTest::newRow("bad json") << QByteArray("application/json") << QByteArray("{oops") << u"JSON"_s;
    QTest::newRow("json array") << QByteArray("application/json") << QByteArray("[1]") << u"an array, not an object"_s;
    QTest::newRow("json broken") << QByteArray("application/json") << QByteArray("{\"a\": ") << u"cannot be read"_s;
    QTest::newRow("unknown type") << QByteArray("text/plain") << QByteArray("hello") << u"text/plain"_s;
}

void TestFormData::malformed()
{
    QFETCH(QByteArray, contentType);
    QFETCH(QByteArray, body);
    QFETCH(QString, inMessage);
    const Result<FormData> form = FormData::parse(contentType, body, {});
    QVERIFY(!form.ok());
    QVERIFY2(form.error().message.contains(inMessage), qPrintable(form.error().message));
}

void TestFormData::safeFileName_data()
{
    QTest::addColumn<QString>("client");
    QTest::addColumn<QString>("safe");
    QTest::newRow("plain") << u"cat.PNG"_s << u"upload-1.png"_s;
    QTest::newRow("traversal") << u"../../etc/passwd"_s << u"upload-1"_s;
    QTest::newRow("windows traversal") << u"..\\..\\boot.ini"_s << u"upload-1.ini"_s;
    QTest::newRow("absolute") << u"/etc/shadow.txt"_s << u"upload-1.txt"_s;
    QTest::newRow("hidden") << u".bashrc"_s << u"upload-1.bashrc"_s;
    QTest::newRow("odd suffix") << u"x.t$t"_s << u"upload-1"_s;
    QTest::newRow("long suffix") << u"x.abcdefghijklm"_s << u"upload-1"_s;
    QTest::newRow("empty") << QString() << u"upload-1"_s;
}

void TestFormData::safeFileName()
{
    QFETCH(QString, client);
    QFETCH(QString, safe);
    QCOMPARE(FormData::safeFileName(client, 1), safe);
}

QTEST_GUILESS_MAIN(TestFormData)
#include "test_form_data.moc"
