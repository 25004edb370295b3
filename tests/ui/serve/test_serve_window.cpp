// ServeWindow: Start serves the module on loopback and shows its URL, a request shows up in
// the log, the workbench's JobManager runs the prediction, Stop ends serving; a port in use
// is reported in the log rather than failing silently.
#include "core/jobs/job_manager.h"
#include "core/serve/rest_server.h"
#include "serve_fixture.h"
#include "serve_test_client.h"
#include "ui/catalog/module_page.h"
#include "ui/serve/serve_window.h"

#include "core/catalog/catalog_entry.h"

#include <QLabel>
#include <QPushButton>
#include <QTcpServer>
#include <QTest>

using namespace dw;
using namespace dw::test;
using namespace Qt::StringLiterals;

class TestServeWindow : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void startRequestStop();
    void portInUse();
    void modulePageLink();
    void widthStaysWhenServing();

private:
    // Long enough that its URLs are wider than the window.
    static QString longId() { return u"files-with-a-long-module-identifier-that-makes-every-url-wide"_s; }
    QTemporaryDir m_dir;
    PluginManager m_plugins;
    QString m_catalog;
};

void TestServeWindow::initTestCase()
{
    loadServeTestPlugins(m_plugins);
    QVERIFY(m_plugins.plugin(u"test-files"_s));
    m_catalog = m_dir.filePath(u"catalog"_s);
    QVERIFY(writeTestModule(m_catalog, u"files-one"_s, u"test-files"_s, true));
    QVERIFY(writeTestModule(m_catalog, longId(), u"test-files"_s, true));
}

void TestServeWindow::startRequestStop()
{
    JobManager jobs;
    // The server forgets a prediction's job once it has answered: look at jobs as they finish.
    bool sawPredictJob = false;
    connect(&jobs, &JobManager::jobFinished, this, [&jobs, &sawPredictJob](const QString &id) {
        const JobInfo job = jobs.job(id);
        sawPredictJob |= job.kind == u"predict"_s && job.state == JobState::Done;
    });
    ServeWindow window(u"files-one"_s, m_catalog, &jobs, &m_plugins);
    window.setPort(0);
    window.show();
    auto *start = window.findChild<QPushButton *>(u"serveStart"_s);
    auto *stop = window.findChild<QPushButton *>(u"serveStop"_s);
    QVERIFY(start && stop);
    QVERIFY(start->isEnabled());
    QVERIFY(!stop->isEnabled());
    QTest::mouseClick(start, Qt::LeftButton);
    QVERIFY(window.isServing());
    QVERIFY(!start->isEnabled());
    QVERIFY(stop->isEnabled());
    const QString url = window.url();
    QVERIFY(url.startsWith(u"http://127.0.0.1:"_s));
    QVERIFY(window.findChild<QLabel *>(u"serveUrl"_s)->text().contains(url));

    HttpClient client(url);
    const HttpAnswer answer =
        client.postForm(u"/v2/models/files-one/predict/"_s, {}, {{u"data"_s, u"a.txt"_s, QByteArray("abcd")}});
    QCOMPARE(answer.status, 200);
    QCOMPARE(answer.json().value(u"predictions"_s)[u"size"_s].toInt(), 4);
    QTRY_VERIFY(!window.logLines().filter(u"POST /v2/models/files-one/predict/ 200"_s).isEmpty());
    QVERIFY2(sawPredictJob, "the prediction ran as a job of the workbench's JobManager");

    QTest::mouseClick(stop, Qt::LeftButton);
    QVERIFY(!window.isServing());
    QVERIFY(window.url().isEmpty());
    QVERIFY(start->isEnabled());
    QCOMPARE(client.get(u"/v2/"_s).status, 0);  // nobody listens any more
}

void TestServeWindow::portInUse()
{
    QTcpServer squatter;
    QVERIFY(squatter.listen(QHostAddress::LocalHost, 0));
    ServeWindow window(u"files-one"_s, m_catalog, nullptr, &m_plugins);
    window.setPort(squatter.serverPort());
    QVERIFY(!window.start());
    QVERIFY(!window.isServing());
    QVERIFY(!window.logLines().filter(u"Cannot start"_s).isEmpty());
    // Said to a person at a window, not as a command-line flag (issue 17 item 13).
    QVERIFY(window.logLines().filter(u"--port"_s).isEmpty());
    QVERIFY(!window.logLines().filter(u"choose another port"_s).isEmpty());
}

void TestServeWindow::modulePageLink()
{
    CatalogEntry trained;
    trained.path = QDir(m_catalog).filePath(u"files-one"_s);
    trained.manifest.id = u"files-one"_s;
    trained.manifest.task = u"test-files"_s;
    trained.manifest.weights = {u"weights.bin"_s, u"torch-state-dict"_s, {}, {}};
    QVERIFY(ModulePage::headerHtml(trained, true).contains(u"href=\"serve:files-one\""_s));
    QVERIFY(!ModulePage::headerHtml(trained, false).contains(u"serve:"_s));  // no plugin: nothing to serve
    CatalogEntry templ = trained;
    templ.manifest.weights = {};
    QVERIFY(!ModulePage::headerHtml(templ, true).contains(u"serve:"_s));  // a template cannot predict

    // The link opens one window per module, found again on a second click.
    QWidget top;
    ServeWindow *first = ServeWindow::showFor(&top, u"files-one"_s);
    QVERIFY(first);
    QCOMPARE(first->moduleId(), u"files-one"_s);
    QCOMPARE(ServeWindow::showFor(&top, u"files-one"_s), first);
    QVERIFY(ServeWindow::showFor(&top, u"other"_s) != first);
    QVERIFY(!first->isServing());
}

// Issue 17: pressing Start must not widen the window; long URLs and log lines wrap or scroll.
void TestServeWindow::widthStaysWhenServing()
{
    JobManager jobs;
    ServeWindow window(longId(), m_catalog, &jobs, &m_plugins);
    window.setPort(0);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    const int before = window.width();
    QTest::mouseClick(window.findChild<QPushButton *>(u"serveStart"_s), Qt::LeftButton);
    QVERIFY(window.isServing());
    auto *url = window.findChild<QLabel *>(u"serveUrl"_s);
    QVERIFY(url->text().contains(window.url() + u"/v2/models/"_s + longId()));
    QVERIFY(!window.logLines().filter(longId()).isEmpty());
    QTest::qWait(50);  // the layout settles
    QCOMPARE(window.width(), before);
    QVERIFY(window.minimumSizeHint().width() <= before);
    // All of the URL line is there to read: wrapped, not cut.
    QVERIFY(url->width() <= window.width());
    QVERIFY(url->height() >= url->heightForWidth(url->width()));
    if (qEnvironmentVariableIsSet("DW_KEEP_TEST_FILES"))
        window.grab().save(u"/tmp/serve_window.png"_s);
    window.stop();
    QCOMPARE(window.width(), before);
}

QTEST_MAIN(TestServeWindow)
#include "test_serve_window.moc"
