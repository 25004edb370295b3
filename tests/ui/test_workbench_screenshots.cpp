// The pictures of the README, from real runs of the shipped demo modules in the real main
// window (1366x768, an empty user catalog plus the demo modules and the templates): the start
// page, the catalog, Classify after its tour (predictions with Grad-CAM, the evaluation), Train
// (the Train-your-own form, a short real training of the sunspots with its live curves), Time
// Series after its tour (forecast, band, alerts) and live on a followed file, Raster after the
// super-resolution tour, and the Serve window answering a prediction; the Jobs dock in each.
// DW_SCREENSHOT_DIR chooses the folder (scripts/screenshots.sh: under xvfb-run, then into
// docs/); otherwise <build>/screenshots/workbench. Each picture is checked to be there.
#include "core/jobs/job_manager.h"
#include "gui/gui_test_support.h"
#include "serve_test_client.h"
#include "ui/catalog/catalog_service.h"
#include "ui/catalog/catalog_workspace.h"
#include "ui/imageclass/classify_workspace.h"
#include "ui/imageclass/evaluation_view.h"
#include "ui/imageclass/prediction_model.h"
#include "ui/imageclass/prediction_view.h"
#include "ui/jobs/jobs_dock.h"
#include "ui/main_window.h"
#include "ui/raster/raster_view.h"
#include "ui/raster/raster_workspace.h"
#include "ui/serve/serve_window.h"
#include "ui/start/start_page.h"
#include "ui/start/start_tours.h"
#include "ui/timeseries/forecast_page.h"
#include "ui/timeseries/live_page.h"
#include "ui/timeseries/timeseries_workspace.h"
#include "ui/training/schema_form.h"
#include "ui/training/training_curves.h"
#include "ui/training/training_monitor.h"
#include "ui/training/training_workspace.h"
#include "ui/workbench_context.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLabel>
#include <QPainter>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTabWidget>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>
#include <qcustomplot.h>

#include <algorithm>
#include <memory>

using namespace dw;
using namespace Qt::StringLiterals;

class TestWorkbenchScreenshots : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    // In this order: the catalog while the user's folder is still empty.
    void startPage();
    void catalog();
    void classify();
    void train();
    void timeSeries();
    void raster();
    void serve();

private:
    bool runTour(StartTour tour, int timeoutMs);
    // The main window, with `over` (a dialog or a window of its own) drawn on it at `at`.
    QImage grabWindow(QWidget *over = nullptr, QPoint at = {});
    void save(const QImage &shot, const QString &name);
    void settle();
    void clearFinishedJobs();  // the Jobs dock shows what ran for the picture
    // Waits for the jobs to end; the Train form's background estimates of the training time
    // (started when a form changes) leave the dock, the picture being about something else.
    void waitForJobs();

    QTemporaryDir m_settings, m_data, m_userCatalog, m_scratch;
    std::unique_ptr<MainWindow> m_window;
    QString m_folder;
};

void TestWorkbenchScreenshots::initTestCase()
{
    test::isolateSettings(m_settings.path());
    qputenv("XDG_DATA_HOME", m_data.path().toUtf8());
    QCoreApplication::setOrganizationName(u"deep-workbench-tests"_s);
    QCoreApplication::setApplicationName(u"deep-workbench-screenshots"_s);
    qRegisterMetaType<StartTour>();
    m_folder = qEnvironmentVariable("DW_SCREENSHOT_DIR", QStringLiteral(DW_BUILD_DIR "/screenshots/workbench"));
    QVERIFY(QDir().mkpath(m_folder));
    // What a new user has: nothing of their own, the demo modules and the templates.
    qputenv("DEEPWB_CATALOG", m_userCatalog.path().toUtf8());
    qunsetenv("DEEPWB_DEMO_MODULES");
    qputenv("DEEPWB_PLUGIN_PATH", DW_PLUGIN_DIR);

    WorkbenchOptions options;
    options.catalogDirectory = m_userCatalog.path();
    options.interactive = false;
    options.restoreSettings = false;
    m_window = std::make_unique<MainWindow>(options);
    m_window->resize(1366, 768);
    m_window->move(0, 0);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    CatalogService &service = m_window->context().catalog();
    if (!service.hasScanned() || service.isScanning()) {
        QSignalSpy scanned(&service, &CatalogService::scanFinished);
        QVERIFY(scanned.wait(20000));
    }
    QVERIFY2(service.find(StartTours::classifierId()), "the demo modules are not found");
    QVERIFY(m_window->jobsDock()->isVisible());
}

void TestWorkbenchScreenshots::cleanupTestCase()
{
    if (m_window) {
        m_window->context().jobs().cancelAll();
        m_window->context().jobs().waitForAll(30000);
    }
    m_window.reset();
}

bool TestWorkbenchScreenshots::runTour(StartTour tour, int timeoutMs)
{
    QSignalSpy shown(m_window->tours(), &StartTours::tourShown);
    QSignalSpy failed(m_window->tours(), &StartTours::tourFailed);
    if (!m_window->tours()->run(tour) && failed.isEmpty())
        return false;
    if (!QTest::qWaitFor([&] { return !shown.isEmpty() || !failed.isEmpty(); }, timeoutMs))
        qWarning("the tour showed nothing within %d ms", timeoutMs);
    if (!failed.isEmpty())
        qWarning() << "tour failed:" << failed.first().at(1).toString();
    return failed.isEmpty() && shown.size() == 1;
}

void TestWorkbenchScreenshots::settle()
{
    QTest::qWait(400);  // queued replots, layouts, thumbnails
    for (QCustomPlot *plot : m_window->findChildren<QCustomPlot *>())
        if (plot->isVisible())
            plot->replot();
    QCoreApplication::processEvents();
}

void TestWorkbenchScreenshots::clearFinishedJobs()
{
    for (QToolButton *button : m_window->jobsDock()->findChildren<QToolButton *>())
        if (button->text() == "Clear finished"_L1)
            button->click();
}

void TestWorkbenchScreenshots::waitForJobs()
{
    JobManager &jobs = m_window->context().jobs();
    QTest::qWait(1500);  // an estimate starts a moment after its form changed
    if (!QTest::qWaitFor([&jobs] { return jobs.activeCount() == 0; }, 60000))
        qWarning("jobs still running after a minute: the picture shows them");
    for (const JobInfo &job : jobs.jobs())
        if (job.title.startsWith("Estimate"_L1))
            jobs.forget(job.id);
}

QImage TestWorkbenchScreenshots::grabWindow(QWidget *over, QPoint at)
{
    settle();
    QImage shot = m_window->grab().toImage();
    if (over) {
        // No window manager under xvfb-run: the other window is drawn where it would float,
        // with a thin frame.
        QPainter painter(&shot);
        const QRect frame(at, over->size());
        painter.fillRect(frame.translated(4, 4), QColor(0, 0, 0, 50));
        painter.drawPixmap(at, over->grab());
        painter.setPen(QColor(90, 90, 90));
        painter.drawRect(frame.adjusted(-1, -1, 0, 0));
    }
    return shot;
}

void TestWorkbenchScreenshots::save(const QImage &shot, const QString &name)
{
    QVERIFY(!shot.isNull());
    const QString file = QDir(m_folder).filePath(name);
    QVERIFY(shot.convertToFormat(QImage::Format_RGB888).save(file, "PNG", 0));  // 0: the most compression
    QVERIFY(QFileInfo(file).size() > 10000);
    qInfo("saved %s (%lld KB)", qPrintable(file), QFileInfo(file).size() / 1024);
}

void TestWorkbenchScreenshots::startPage()
{
    StartPage *page = m_window->showStartPage();
    QVERIFY(page && page->isVisible());
    QVERIFY(!page->findChild<QLabel *>(u"demosMissing"_s));  // the demos are installed
    QTest::qWait(200);
    const QPoint at((m_window->width() - page->width()) / 2, (m_window->height() - page->height()) / 2);
    save(grabWindow(page, at), u"screenshot-start.png"_s);
    page->close();
    QTRY_VERIFY(!m_window->findChild<StartPage *>());
}

void TestWorkbenchScreenshots::catalog()
{
    auto *workspace = m_window->workspace<CatalogWorkspace>();
    QVERIFY(m_window->setCurrentWorkspace(workspace->id()));
    workspace->setViewMode(CatalogWorkspace::ViewMode::Grid);
    QVERIFY(workspace->selectModule(StartTours::classifierId()));
    save(grabWindow(), u"screenshot-catalog.png"_s);
}

void TestWorkbenchScreenshots::classify()
{
    clearFinishedJobs();
    QVERIFY(runTour(StartTour::Classify, 180000));
    auto *workspace = m_window->workspace<ClassifyWorkspace>();
    QCOMPARE(m_window->currentWorkspace(), workspace);
    PredictionModel *predictions = workspace->predictions();
    QCOMPARE(predictions->rowCount(), 80);
    // A confident, right prediction with its Grad-CAM overlay (the picture's folder is its class).
    int row = 0;
    double best = 0.0;
    for (int r = 0; r < predictions->rowCount(); ++r) {
        const QModelIndex index = predictions->index(r, 0);
        const QString truth = QFileInfo(index.data(PredictionModel::PathRole).toString()).dir().dirName();
        const double p = index.data(PredictionModel::TopProbabilityRole).toDouble();
        if (truth == u"Ankle_boot"_s && index.data(PredictionModel::TopLabelRole).toString() == truth && p > best) {
            best = p;
            row = r;
        }
    }
    PredictionView *view = workspace->predictionView();
    view->setCurrentRow(row);
    QTRY_VERIFY_WITH_TIMEOUT(view->imageLoaded() && view->heatMapLoaded(), 20000);
    save(grabWindow(), u"screenshot-classify-predict.png"_s);

    // The evaluation the demo module ships (evaluation.json of Fashion-MNIST's test images).
    QSignalSpy evaluated(workspace, &ClassifyWorkspace::evaluationShown);
    workspace->tabs()->setCurrentWidget(workspace->evaluationView());
    workspace->activate();  // reads the module's evaluation again
    QVERIFY(evaluated.wait(20000));
    QCOMPARE(workspace->evaluationView()->classes().size(), 10);
    save(grabWindow(), u"screenshot-classify-evaluate.png"_s);
    workspace->tabs()->setCurrentIndex(0);
}

void TestWorkbenchScreenshots::train()
{
    clearFinishedJobs();
    QVERIFY(runTour(StartTour::TrainYourOwn, 20000));
    auto *workspace = m_window->workspace<TrainingWorkspace>();
    QCOMPARE(m_window->currentWorkspace(), workspace);
    workspace->tabs()->setCurrentIndex(1);  // Parameters: the form the tour filled in
    // The form's estimate of the training time, when it has one, once it is made.
    const bool estimated = QTest::qWaitFor(
        [workspace] {
            const QList<QLabel *> labels = workspace->findChildren<QLabel *>();
            return std::none_of(labels.cbegin(), labels.cend(), [](const QLabel *label) {
                return label->isVisible() && label->text().startsWith("Estimating"_L1);
            });
        },
        30000);
    if (!estimated)
        qWarning("the form's estimate was not made within 30 s: the picture says Estimating…");
    save(grabWindow(), u"screenshot-train-form.png"_s);

    // A short real training, caught while it runs: a forecaster of the sample sunspots (80
    // pictures are too few for curves worth showing).
    clearFinishedJobs();
    m_window->statusBar()->clearMessage();
    QVERIFY(workspace->newModule(u"time-series"_s));
    SchemaForm *form = workspace->form();
    form->setValue(u"csv"_s, StartTours::sample(u"sunspot_month.csv"_s));
    form->setValue(u"target"_s, u"sunspots"_s);
    form->setValue(u"model"_s, u"lstm"_s);
    form->setValue(u"window"_s, 24);
    form->setValue(u"hidden"_s, 32);
    form->setValue(u"epochs"_s, 16);
    form->setValue(u"name"_s, u"my-sunspots"_s);
    TrainingCurves *curves = workspace->monitor()->curves();
    JobManager &jobs = m_window->context().jobs();
    QSignalSpy finished(workspace, &TrainingWorkspace::trainingFinished);
    QSignalSpy stopped(workspace, &TrainingWorkspace::trainingStopped);
    const QString jobId = workspace->startTraining();
    QVERIFY(!jobId.isEmpty());
    workspace->tabs()->setCurrentWidget(workspace->monitor());
    QVERIFY2(QTest::qWaitFor([&] { return curves->epochCount() >= 10 || !finished.isEmpty() || !stopped.isEmpty(); },
                             300000),
             "no ten epochs within five minutes");
    QVERIFY2(stopped.isEmpty(), stopped.isEmpty() ? "" : qPrintable(stopped.first().first().toString()));
    if (jobs.job(jobId).state != JobState::Running)
        qWarning("the training ended before its picture was taken: the picture shows it finished");
    save(grabWindow(), u"screenshot-train-progress.png"_s);
    QVERIFY2(!finished.isEmpty() || finished.wait(300000), "the training did not finish");
}

void TestWorkbenchScreenshots::timeSeries()
{
    clearFinishedJobs();
    QVERIFY(runTour(StartTour::Forecast, 180000));
    auto *workspace = m_window->workspace<TimeSeriesWorkspace>();
    QCOMPARE(m_window->currentWorkspace(), workspace);
    waitForJobs();
    save(grabWindow(), u"screenshot-timeseries.png"_s);

    // Live: the demo forecaster follows a file that the last 20 years of the sample are written to.
    QFile sample(StartTours::sample(u"sunspot_month.csv"_s));
    QVERIFY(sample.open(QIODevice::ReadOnly));
    QList<QByteArray> lines = sample.readAll().trimmed().split('\n');
    const QString followed = m_scratch.filePath(u"sunspots-live.csv"_s);
    QFile out(followed);
    QVERIFY(out.open(QIODevice::WriteOnly));
    out.write(lines.first() + '\n');
    out.flush();
    clearFinishedJobs();
    LivePage *live = workspace->livePage();
    workspace->tabs()->setCurrentWidget(live);
    live->setModule(StartTours::forecasterId());
    QSignalSpy ready(live, &LivePage::streamReady);
    QSignalSpy failed(live, &LivePage::failed);
    QVERIFY(live->start(followed));
    QVERIFY2(ready.wait(30000), failed.isEmpty() ? "no signal" : qPrintable(failed.first().first().toString()));
    const int rows = 240;
    for (qsizetype i = lines.size() - rows; i < lines.size(); ++i)
        out.write(lines.at(i) + '\n');
    out.flush();
    QTRY_COMPARE_WITH_TIMEOUT(live->points(), qint64(rows), 60000);
    waitForJobs();
    save(grabWindow(), u"screenshot-timeseries-live.png"_s);
    live->stop();
    workspace->tabs()->setCurrentWidget(workspace->forecastPage());
}

void TestWorkbenchScreenshots::raster()
{
    clearFinishedJobs();
    QVERIFY(runTour(StartTour::SuperResolve, 300000));
    auto *workspace = m_window->workspace<RasterWorkspace>();
    QCOMPARE(m_window->currentWorkspace(), workspace);
    QVERIFY(QFileInfo(workspace->resultPath()).isFile());
    // The coast, zoomed in so that the doubled resolution shows (the views zoom together).
    workspace->beforeView()->fitRegion(QRectF(165, 0, 80, 88));  // town, beach and sea
    m_window->statusBar()->clearMessage();                       // the result's path, in a test's folder
    QTest::qWait(1500);                                          // both views render their tiles off the GUI thread
    save(grabWindow(), u"screenshot-raster.png"_s);
}

void TestWorkbenchScreenshots::serve()
{
    // The Serve window of the demo classifier over the catalog, having answered a prediction.
    auto *workspace = m_window->workspace<CatalogWorkspace>();
    QVERIFY(m_window->setCurrentWorkspace(workspace->id()));
    QVERIFY(workspace->selectModule(StartTours::classifierId()));
    clearFinishedJobs();
    ServeWindow *window = ServeWindow::showFor(m_window.get(), StartTours::classifierId());
    QVERIFY(window);
    QTcpServer probe;  // a free port, shown in the window as a user would choose it
    QVERIFY(probe.listen(QHostAddress::LocalHost, 5000) || probe.listen(QHostAddress::LocalHost, 0));
    const quint16 port = probe.serverPort();
    probe.close();
    window->setPort(port);
    QVERIFY(window->start());
    QVERIFY(window->isServing());
    const QString picture = QDir(StartTours::sample(u"fashion-mnist/Sneaker"_s))
                                .entryInfoList({u"*.png"_s}, QDir::Files)
                                .value(0)
                                .filePath();
    QFile image(picture);
    QVERIFY(image.open(QIODevice::ReadOnly));
    test::HttpClient client(window->url());
    QCOMPARE(client.get(u"/v2/models/"_s).status, 200);
    const test::HttpAnswer answer = client.postForm(u"/v2/models/%1/predict/"_s.arg(StartTours::classifierId()), {},
                                                    {{u"data"_s, QFileInfo(picture).fileName(), image.readAll()}});
    QCOMPARE(answer.status, 200);
    QTRY_VERIFY(!window->logLines().filter(u"predict/ 200"_s).isEmpty());
    waitForJobs();
    const QPoint at(m_window->width() - window->width() - 40, 150);
    save(grabWindow(window, at), u"screenshot-serve.png"_s);
    window->stop();
    window->close();
}

QTEST_MAIN(TestWorkbenchScreenshots)
#include "test_workbench_screenshots.moc"
