// The REST server under the loads and mistakes of real clients (issue 15): predictions are
// answered while a training runs; a training never takes a name in use (409) and resumes the
// module it was interrupted in.
#include "core/serve/rest_server.h"
#include "serve_fixture.h"
#include "serve_test_client.h"

#include <QElapsedTimer>
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
        const HttpAnswer started = client.postJson(u"/v2/models/files-template/train/"_s,
                                                   {{u"name"_s, u"long-run"_s}, {u"steps"_s, 100000}, {u"step-ms"_s, 10}});
        QCOMPARE(started.status, 200);
        const QString uuid = started.json().value(u"uuid"_s).toString();
        QTRY_COMPARE(client.get(u"/v2/models/files-template/train/%1"_s.arg(uuid)).json().value(u"state"_s).toString(), u"running"_s);
        for (int i = 0; i < 5; ++i) {
            QElapsedTimer clock;
            clock.start();
            const HttpAnswer predicted =
                client.postForm(u"/v2/models/files-one/predict/"_s, {}, {{u"data"_s, u"x.txt"_s, QByteArray(100 + i, 'a')}});
            QCOMPARE(predicted.status, 200);
            QCOMPARE(predicted.json().value(u"predictions"_s)[u"size"_s].toInt(), 100 + i);
            QVERIFY2(clock.elapsed() < 5000, qPrintable(QString::number(clock.elapsed())));
        }
        QCOMPARE(client.get(u"/v2/models/files-template/train/%1"_s.arg(uuid)).json().value(u"state"_s).toString(), u"running"_s);
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
            const HttpAnswer refused = client.postJson(u"/v2/models/files-one/train/"_s, {{u"name"_s, taken}, {u"steps"_s, 2}});
            QVERIFY2(refused.status == 409, refused.body.constData());
            QVERIFY2(refused.body.contains("taken") && refused.body.contains("choose another name"), refused.body.constData());
            QVERIFY(!QFileInfo::exists(QDir(m_catalog).filePath(taken + u"-2"_s)));
        }
        const QStringList folders = QDir(m_catalog).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
        QCOMPARE(folders, (QStringList{u"echo-one"_s, u"files-one"_s, u"files-template"_s}));
        const QString listed = QString::fromUtf8(client.get(u"/v2/models/"_s).body);
        QVERIFY(listed.contains(u"files-template"_s) && listed.contains(u"echo-one"_s));
        QCOMPARE(client.get(u"/v2/models/files-template/"_s).status, 200);
    }
};

QTEST_GUILESS_MAIN(TestRestHardening)
#include "test_rest_hardening.moc"
