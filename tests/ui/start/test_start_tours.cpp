// The start page and its tours (issue 18): the page offers the three tours and Train your own;
// each tour, clicked on the page, ends in the real workspace with the demo module's result on
// screen - checked in the workspace's own widgets and models - and "Show at start" sticks.
#include "gui/gui_test_support.h"
#include "gui/workbench_window.h"

#include "ui/imageclass/classify_workspace.h"
#include "ui/imageclass/prediction_model.h"
#include "ui/raster/raster_view.h"
#include "ui/raster/raster_workspace.h"
#include "ui/raster/superres_panel.h"
#include "ui/start/start_page.h"
#include "ui/start/start_tours.h"
#include "ui/timeseries/forecast_data.h"
#include "ui/timeseries/forecast_page.h"
#include "ui/timeseries/timeseries_workspace.h"
#include "ui/training/dataset_page.h"
#include "ui/training/dataset_summary.h"
#include "ui/training/schema_form.h"
#include "ui/training/training_workspace.h"

#include <QAction>
#include <QCheckBox>
#include <QCommandLinkButton>
#include <QDir>
#include <QFileInfo>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QtTest>

using namespace dw;

class TestStartTours : public QObject {
    Q_OBJECT
    QTemporaryDir m_settings;
    QTemporaryDir m_data;
    std::unique_ptr<test::TestCatalog> m_catalog;
    std::unique_ptr<MainWindow> m_window;

    // Clicks the tour's button on a freshly shown start page; true once the tour's result is shown.
    bool runFromPage(StartTour tour, int timeoutMs)
    {
        StartPage *page = m_window->showStartPage();
        if (!page || !page->isVisible() || !page->button(tour) || !page->button(tour)->isEnabled())
            return false;
        QSignalSpy shown(m_window->tours(), &StartTours::tourShown);
        QSignalSpy failed(m_window->tours(), &StartTours::tourFailed);
        QTest::mouseClick(page->button(tour), Qt::LeftButton);
        if (!QTest::qWaitFor([&] { return !shown.isEmpty() || !failed.isEmpty(); }, timeoutMs))
            qWarning("the tour showed nothing within %d ms", timeoutMs);
        if (!failed.isEmpty())
            qWarning() << "tour failed:" << failed.first().at(1).toString();
        return failed.isEmpty() && shown.size() == 1 && shown.first().first().value<StartTour>() == tour;
    }

private Q_SLOTS:
    void initTestCase()
    {
        test::isolateSettings(m_settings.path());
        qputenv("XDG_DATA_HOME", m_data.path().toUtf8());
        QCoreApplication::setOrganizationName(QStringLiteral("deep-workbench-tests"));
        QCoreApplication::setApplicationName(QStringLiteral("deep-workbench-start"));
        qRegisterMetaType<StartTour>();
        m_catalog = std::make_unique<test::TestCatalog>();
        qunsetenv("DEEPWB_DEMO_MODULES");  // this suite is about them: the shipped ones
        qputenv("DEEPWB_PLUGIN_PATH", DW_PLUGIN_DIR);
        m_window = test::openWorkbenchWindow();
        QVERIFY(m_window);
    }

    void cleanupTestCase()
    {
        m_window.reset();
        m_catalog.reset();
    }

    void pageOffersTheToursAndRemembersShowAtStart()
    {
        QVERIFY(StartPage::showAtStart());  // a first launch shows it
        StartPage *page = m_window->showStartPage();
        QVERIFY(page->isVisible());
        QCOMPARE(m_window->showStartPage(), page);  // one page, raised again
        for (StartTour tour :
             {StartTour::Classify, StartTour::Forecast, StartTour::SuperResolve, StartTour::TrainYourOwn})
            QVERIFY(page->button(tour) && page->button(tour)->isEnabled());
        QCOMPARE(page->button(StartTour::Forecast)->text(), QStringLiteral("Forecast sunspots"));
        QVERIFY(!page->findChild<QLabel *>(QStringLiteral("demosMissing")));
        page->grab().save(QDir(QStringLiteral(DW_BUILD_DIR "/screenshots")).filePath("start-page.png"));
        page->showAtStartBox()->setChecked(false);
        QVERIFY(!StartPage::showAtStart());
        page->showAtStartBox()->setChecked(true);
        QVERIFY(StartPage::showAtStart());
        page->close();
        QVERIFY(QTest::qWaitFor([this] { return !m_window->findChild<StartPage *>(); }));
    }

    void aLaunchShowsThePageUntilItIsUnticked()
    {
        // As the application starts it (interactive): the page opens by itself on a first launch...
        StartPage::setShowAtStart(true);
        WorkbenchOptions options;
        options.restoreSettings = false;
        {
            MainWindow first(options);
            first.show();
            QTRY_VERIFY(first.findChild<StartPage *>() && first.findChild<StartPage *>()->isVisible());
            first.findChild<StartPage *>()->showAtStartBox()->setChecked(false);
        }
        // ... and not once unticked; Help > Start Page still opens it.
        MainWindow next(options);
        next.show();
        QTest::qWait(200);
        QVERIFY(!next.findChild<StartPage *>());
        QAction *help = next.findChild<QAction *>(QStringLiteral("startPageAction"));
        QVERIFY(help);
        help->trigger();
        QVERIFY(next.findChild<StartPage *>() && next.findChild<StartPage *>()->isVisible());
        StartPage::setShowAtStart(true);
    }

    void classifyTourShowsTheDemoClassifiersPredictions()
    {
        QVERIFY(runFromPage(StartTour::Classify, 120000));
        auto *classify = m_window->workspace<ClassifyWorkspace>();
        QCOMPARE(m_window->currentWorkspace(), classify);
        PredictionModel *predictions = classify->predictions();
        QCOMPARE(predictions->rowCount(), 80);
        int right = 0;
        for (int row = 0; row < predictions->rowCount(); ++row) {
            const QModelIndex index = predictions->index(row, 0);
            const QString folder =
                QFileInfo(index.data(PredictionModel::PathRole).toString()).dir().dirName();  // the true class
            right += index.data(PredictionModel::TopLabelRole).toString() == folder;
        }
        QVERIFY2(right >= 64, qPrintable(QString::number(right)));
        QVERIFY(!m_window->findChild<StartPage *>());  // the page closed when the tour began
    }

    void forecastTourShowsTheSunspotForecast()
    {
        QVERIFY(runFromPage(StartTour::Forecast, 120000));
        auto *series = m_window->workspace<TimeSeriesWorkspace>();
        QCOMPARE(m_window->currentWorkspace(), series);
        QCOMPARE(series->tabs()->currentWidget(), series->forecastPage());
        QCOMPARE(series->forecastPage()->selectedModule(), StartTours::forecasterId());
        QCOMPARE(series->csv().table().rowCount(), 3177);
        const ForecastData &data = series->forecastPage()->data();
        QCOMPARE(data.module, StartTours::forecasterId());
        QCOMPARE(data.observedRows, 3177);
        QVERIFY(data.x.size() > 3177);     // and the months ahead
        QCOMPARE(data.periods.size(), 3);  // the sample is the file the demo was trained on
    }

    void superResolutionTourShowsTheResultBesideTheInput()
    {
        QVERIFY(runFromPage(StartTour::SuperResolve, 240000));
        auto *raster = m_window->workspace<RasterWorkspace>();
        QCOMPARE(m_window->currentWorkspace(), raster);
        QCOMPARE(raster->superResPanel()->module(), StartTours::superResolutionId());
        QVERIFY(QFileInfo(raster->resultPath()).isFile());
        QVERIFY(raster->resultPath().startsWith(StartTours::resultFolder()));  // not beside the shipped sample
        QVERIFY(raster->afterView()->reader());
        QVERIFY(raster->afterView()->isVisible());
    }

    void trainYourOwnFillsTheFormOnTheSamplePictures()
    {
        QVERIFY(runFromPage(StartTour::TrainYourOwn, 10000));
        auto *train = m_window->workspace<TrainingWorkspace>();
        QCOMPARE(m_window->currentWorkspace(), train);
        QCOMPARE(train->task(), QStringLiteral("image-classification"));
        const QString pictures = StartTours::sample(QStringLiteral("fashion-mnist"));
        QCOMPARE(train->form()->value(QStringLiteral("data")).toString(), pictures);
        QCOMPARE(train->form()->value(QStringLiteral("arch")).toString(), QStringLiteral("smallcnn"));
        QCOMPARE(train->datasetPage()->path(), pictures);
        QTRY_COMPARE_WITH_TIMEOUT(train->datasetPage()->summary().classes.size(), 10, 20000);
    }
};

QTEST_MAIN(TestStartTours)
#include "test_start_tours.moc"
