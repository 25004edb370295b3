// The first hour of a new user, walked through the real window with clicks and typing (one
// test function per step, in order, on one window): a first launch on an empty catalog with
// the shipped demo modules, classifying the sample pictures, training a small classifier from
// the form, super-resolving a typed region of the Landsat sample and forecasting the sunspot
// CSV - each step checking what its screen shows. Throughout, no box is left open and no
// warning or error is announced (cleanup() fails the step with its text). A screenshot of each
// step goes to <build>/screenshots/first-hour-*.png.
#include "gui/gui_test_support.h"
#include "gui/workbench_window.h"

#include "core/catalog/catalog_entry.h"
#include "core/catalog/catalog_filter_proxy.h"
#include "core/catalog/catalog_model.h"
#include "core/catalog/demo_modules.h"
#include "core/jobs/job_manager.h"
#include "ui/catalog/catalog_workspace.h"
#include "ui/imageclass/classify_workspace.h"
#include "ui/imageclass/prediction_model.h"
#include "ui/imageclass/prediction_view.h"
#include "ui/message_presenter.h"
#include "ui/raster/raster_units.h"
#include "ui/raster/raster_view.h"
#include "ui/raster/raster_workspace.h"
#include "ui/raster/superres_panel.h"
#include "ui/start/start_page.h"
#include "ui/start/start_tours.h"
#include "ui/timeseries/alert_table_model.h"
#include "ui/timeseries/forecast_page.h"
#include "ui/timeseries/series_data_page.h"
#include "ui/timeseries/series_plot.h"
#include "ui/timeseries/table_preview_model.h"
#include "ui/timeseries/timeseries_workspace.h"
#include "ui/training/dataset_page.h"
#include "ui/training/schema_form.h"
#include "ui/training/training_curves.h"
#include "ui/training/training_monitor.h"
#include "ui/training/training_workspace.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QCommandLinkButton>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QImage>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QLocale>
#include <QMenu>
#include <QMenuBar>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTabBar>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QToolBar>
#include <QtTest>
#include <qcustomplot.h>

#include <algorithm>

using namespace dw;

namespace {

const QString kClassifier = QStringLiteral("fashion-mnist-demo");
const QString kForecaster = QStringLiteral("sunspots-demo");
const QString kSuperResolution = QStringLiteral("landsat-x2-demo");
const QString kMyName = QStringLiteral("My first classifier");
const QString kMyId = QStringLiteral("my-first-classifier");  // what the form makes of the name

// Chooses the item with this data (or, without one, this text) with the keyboard, as a user
// would: the box emits activated as it does for a choice from its list.
bool choose(QComboBox *box, const QString &dataOrText)
{
    int target = box->findData(dataOrText);
    if (target < 0)
        target = box->findText(dataOrText);
    if (target < 0)
        return false;
    box->setFocus();
    for (int step = 0; box->currentIndex() != target && step <= box->count(); ++step)
        QTest::keyClick(box, box->currentIndex() < target ? Qt::Key_Down : Qt::Key_Up);
    return box->currentIndex() == target;
}

// Replaces what a line edit or spin box holds by typing, as a user who selects it all first.
void typeInto(QWidget *editor, const QString &text)
{
    editor->setFocus();
    if (auto *line = qobject_cast<QLineEdit *>(editor))
        line->selectAll();
    else if (auto *spin = qobject_cast<QAbstractSpinBox *>(editor))
        spin->selectAll();
    QTest::keyClicks(editor, text);
}

QStringList ids(const QAbstractItemModel *model)
{
    QStringList list;
    for (int row = 0; row < model->rowCount(); ++row)
        list << model->index(row, 0).data(CatalogModel::IdRole).toString();
    list.sort();
    return list;
}

// A Grad-CAM overlay whose map is not zero everywhere: somewhere it is warmer than the dark blue
// that the colour map gives to 0 (JET: green, yellow, red).
bool showsHeat(const QString &overlay)
{
    const QImage image = QImage(overlay).convertToFormat(QImage::Format_RGB32);
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x) {
            const QRgb pixel = image.pixel(x, y);
            if (std::max(qRed(pixel), qGreen(pixel)) > qBlue(pixel) + 20)
                return true;
        }
    return false;
}

QAction *toolBarAction(QToolBar *bar, const QString &text)
{
    for (QAction *action : bar->actions())
        if (action->text() == text)
            return action;
    return nullptr;
}

}  // namespace

class TestFirstHour : public QObject {
    Q_OBJECT
    QTemporaryDir m_settings;
    QTemporaryDir m_data;     // XDG_DATA_HOME
    QTemporaryDir m_catalog;  // the user's catalog: empty at a first launch
    QTemporaryDir m_outputs;  // where the user writes the super-resolved raster
    std::unique_ptr<MainWindow> m_window;
    QStringList m_announced;  // warnings and errors announced during the present step
    QString m_trainYourOwn;   // what the start page says of training one's own
    QElapsedTimer m_clock;

    // Clicks the workspace's button in the side bar.
    bool goTo(const QString &id)
    {
        auto *bar = m_window->findChild<QToolBar *>(QStringLiteral("workspaceBar"));
        for (QAction *action : bar ? bar->actions() : QList<QAction *>{})
            if (action->data().toString() == id) {
                QTest::mouseClick(bar->widgetForAction(action), Qt::LeftButton);
                return m_window->currentWorkspace() && m_window->currentWorkspace()->id() == id;
            }
        return false;
    }

    void screenshot(const QString &name)
    {
        const QString folder = QStringLiteral(DW_BUILD_DIR "/screenshots");
        QVERIFY(QDir().mkpath(folder));
        QTest::qWait(100);  // queued replots and renders
        QVERIFY(m_window->grab().save(QStringLiteral("%1/first-hour-%2.png").arg(folder, name)));
    }

    QString sample(const QString &name) const { return QDir(demoSamplesDirectory()).filePath(name); }

private Q_SLOTS:
    void initTestCase()
    {
        m_clock.start();
        test::isolateSettings(m_settings.path());
        qputenv("XDG_DATA_HOME", m_data.path().toUtf8());
        QCoreApplication::setOrganizationName(QStringLiteral("deep-workbench-tests"));
        QCoreApplication::setApplicationName(QStringLiteral("deep-workbench-first-hour"));
        qputenv("DEEPWB_CATALOG", m_catalog.path().toUtf8());
        qunsetenv("DEEPWB_DEMO_MODULES");  // the shipped demo modules, as a first launch finds them
        qunsetenv("DEEPWB_DEMO_SAMPLES");
        qputenv("DEEPWB_PLUGIN_PATH", DW_PLUGIN_DIR);
        qRegisterMetaType<StartTour>();
        QVERIFY(QDir(m_catalog.path()).isEmpty());
        QVERIFY2(!demoSamplesDirectory().isEmpty(), "the demo samples (resources/demo-samples) are missing");
        m_window = test::openWorkbenchWindow();
        QVERIFY(m_window);
        QVERIFY2(m_window->messages().lastText().isEmpty(), qPrintable(m_window->messages().lastText()));
        connect(&m_window->messages(), &MessagePresenter::messageShown, this,
                [this](MessagePresenter::Severity severity, const QString &title, const QString &text) {
                    if (severity != MessagePresenter::Severity::Information)
                        m_announced << QStringLiteral("%1: %2").arg(title, text);
                });
    }

    // After every step: the window does not block and nothing went wrong on the way.
    void cleanup()
    {
        QWidget *modal = QApplication::activeModalWidget();
        QVERIFY2(!modal, modal ? qPrintable(modal->windowTitle()) : "");
        const QWidgetList windows = QApplication::topLevelWidgets();
        for (QWidget *widget : windows)
            QVERIFY2(!widget->isVisible() || !widget->isModal(), qPrintable(widget->windowTitle()));
        const QStringList announced = std::exchange(m_announced, {});
        QVERIFY2(announced.isEmpty(), qPrintable(announced.join(QStringLiteral(" | "))));
        qInfo("%.1f s since the start", m_clock.elapsed() / 1000.0);
    }

    void cleanupTestCase()
    {
        if (m_window) {
            m_window->context().jobs().cancelAll();
            m_window->context().jobs().waitForAll(30000);
        }
        m_window.reset();
    }

    // 1. The catalog of a first launch holds the demo modules, usable at once; the start page
    //    is offered, and Help leads to the documentation and back to the page.
    void firstLaunch()
    {
        auto *catalog = m_window->workspace<CatalogWorkspace>();
        QCOMPARE(m_window->currentWorkspace(), catalog);  // where a first launch opens
        const QStringList demos{kClassifier, kSuperResolution, kForecaster};
        for (const QString &id : demos) {
            const CatalogEntry *entry = m_window->context().catalog().find(id);
            QVERIFY2(entry && entry->isValid() && !entry->manifest.isTemplate() && isDemo(*entry), qPrintable(id));
        }
        auto *usableOnly = catalog->findChild<QCheckBox *>(QStringLiteral("usableOnly"));
        QVERIFY(usableOnly && !usableOnly->isChecked());
        QVERIFY(catalog->view()->model()->rowCount() > 3);  // the templates too
        QTest::mouseClick(usableOnly, Qt::LeftButton);
        QVERIFY(usableOnly->isChecked());
        QCOMPARE(ids(catalog->view()->model()), (QStringList{kClassifier, kSuperResolution, kForecaster}));
        const QString count = catalog->findChild<QLabel *>(QStringLiteral("catalogCount"))->text();
        QVERIFY2(count.startsWith(QLatin1String("3 of ")), qPrintable(count));
        screenshot(QStringLiteral("1-catalog"));
        QTest::mouseClick(usableOnly, Qt::LeftButton);
        QVERIFY(!usableOnly->isChecked());

        // Help: the documentation and the start page.
        QMenu *help = nullptr;
        for (QAction *menu : m_window->menuBar()->actions())
            if (menu->menu() && menu->text().remove(QLatin1Char('&')) == QLatin1String("Help"))
                help = menu->menu();
        QVERIFY(help);
        auto *documentation = help->findChild<QAction *>(QStringLiteral("documentationAction"));
        auto *startPage = help->findChild<QAction *>(QStringLiteral("startPageAction"));
        QVERIFY(documentation && help->actions().contains(documentation) && documentation->isEnabled());
        QVERIFY2(QFileInfo::exists(documentation->data().toUrl().toLocalFile()),
                 qPrintable(documentation->data().toString()));
        QVERIFY(startPage && help->actions().contains(startPage) && startPage->isEnabled());

        // A first launch offers the start page (the window shows it when a person starts it).
        QVERIFY(StartPage::showAtStart());
        QVERIFY(!m_window->findChild<StartPage *>());  // tests start without it
        startPage->trigger();
        auto *page = m_window->findChild<StartPage *>();
        QVERIFY(page && page->isVisible());
        QCOMPARE(m_window->showStartPage(), page);
        QVERIFY(!page->findChild<QLabel *>(QStringLiteral("demosMissing")));
        for (StartTour tour :
             {StartTour::Classify, StartTour::Forecast, StartTour::SuperResolve, StartTour::TrainYourOwn})
            QVERIFY(page->button(tour) && page->button(tour)->isEnabled());
        QCOMPARE(page->button(StartTour::Classify)->text(), QStringLiteral("Classify these images"));
        m_trainYourOwn = page->button(StartTour::TrainYourOwn)->description();
        QVERIFY(page->showAtStartBox()->isChecked());
        QVERIFY(page->grab().save(QStringLiteral(DW_BUILD_DIR "/screenshots/first-hour-1-start-page.png")));
    }

    // 2. "Classify these images" on the start page: the demo classifier's predictions of the 80
    //    sample pictures, mostly right, with the Grad-CAM map of the selected one.
    void classifySamples()
    {
        auto *page = m_window->findChild<StartPage *>();
        QVERIFY(page);
        auto *classify = m_window->workspace<ClassifyWorkspace>();
        QSignalSpy ready(classify, &ClassifyWorkspace::predictionsReady);
        QSignalSpy failed(classify, &ClassifyWorkspace::failed);
        QTest::mouseClick(page->button(StartTour::Classify), Qt::LeftButton);
        QTRY_VERIFY(!m_window->findChild<StartPage *>());  // the page closes as the tour begins
        QCOMPARE(m_window->currentWorkspace(), classify);
        QVERIFY2(ready.wait(60000),
                 failed.isEmpty() ? "no predictions" : qPrintable(failed.first().first().toString()));
        QCOMPARE(ready.first().first().toInt(), 80);

        // The workspace says which module it uses, and its own picker shows it.
        auto *picker = m_window->findChild<QComboBox *>(QStringLiteral("classifyModulePicker"));
        QCOMPARE(picker->currentData().toString(), kClassifier);
        const QString heading = classify->findChild<QLabel *>(QStringLiteral("classifyModule"))->text();
        QVERIFY2(heading.contains(kClassifier) && heading.contains(QLatin1String("10 classes")), qPrintable(heading));

        PredictionModel *predictions = classify->predictions();
        QCOMPARE(predictions->rowCount(), 80);
        int right = 0;
        for (int row = 0; row < predictions->rowCount(); ++row) {
            const QModelIndex index = predictions->index(row, 0);
            const QString folder = QFileInfo(index.data(PredictionModel::PathRole).toString()).dir().dirName();
            right += index.data(PredictionModel::TopLabelRole).toString() == folder;
        }
        QVERIFY2(right >= 64, qPrintable(QStringLiteral("%1 of 80 right").arg(right)));
        // A heat map for every picture that shows where the network looked (none left flat blue).
        QStringList flat;
        for (int row = 0; row < predictions->rowCount(); ++row) {
            const QString overlay = predictions->index(row, 0).data(PredictionModel::HeatMapRole).toString();
            if (!showsHeat(overlay))
                flat << QFileInfo(predictions->index(row, 0).data(PredictionModel::PathRole).toString()).fileName();
        }
        QVERIFY2(flat.isEmpty(), qPrintable(QStringLiteral("flat heat maps: ") + flat.join(QStringLiteral(", "))));

        // The selected picture with its heat map, its top-5 chart.
        PredictionView *view = classify->predictionView();
        QCOMPARE(classify->tabs()->currentWidget(), view);
        QCOMPARE(view->list()->model()->rowCount(), 80);
        QCOMPARE(view->currentRow(), 0);
        QTRY_VERIFY_WITH_TIMEOUT(view->imageLoaded() && view->heatMapLoaded(), 20000);
        const QString top = predictions->index(0, 0).data(PredictionModel::TopLabelRole).toString();
        QCOMPARE(view->heatMapClass(), top);
        QCOMPARE(view->chartLabels().size(), 5);
        QCOMPARE(view->chartLabels().first(), top);
        QVERIFY(!view->imageLabel()->pixmap().isNull());
        // A click on another picture shows its map.
        const QModelIndex third = view->list()->model()->index(2, 0);
        QTest::mouseClick(view->list()->viewport(), Qt::LeftButton, {}, view->list()->visualRect(third).center());
        QCOMPARE(view->currentRow(), 2);
        QTRY_VERIFY_WITH_TIMEOUT(view->imageLoaded() && view->heatMapLoaded(), 20000);
        QCOMPARE(view->heatMapClass(), predictions->index(2, 0).data(PredictionModel::TopLabelRole).toString());

        auto *bar = m_window->findChild<QToolBar *>(QStringLiteral("classifyToolBar"));
        QVERIFY(bar->isVisible());
        for (const QString &text :
             {QStringLiteral("Export CSV…"), QStringLiteral("Export JSON…"), QStringLiteral("Copy")})
            QVERIFY2(toolBarAction(bar, text) && toolBarAction(bar, text)->isEnabled(), qPrintable(text));
        screenshot(QStringLiteral("2-classify"));
    }

    // 3. A small classifier trained from the Train form on the same pictures: live curves, the
    //    test line at the end, and the module in the catalog and in Classify.
    void trainASmallClassifier()
    {
        QVERIFY(goTo(QStringLiteral("train")));
        auto *train = m_window->workspace<TrainingWorkspace>();
        auto *taskBox = m_window->findChild<QComboBox *>(QStringLiteral("trainTask"));
        QVERIFY(taskBox && taskBox->isVisible());
        QVERIFY(choose(taskBox, QStringLiteral("image-classification")));
        auto *bar = m_window->findChild<QToolBar *>(QStringLiteral("trainToolBar"));
        QAction *newModule = toolBarAction(bar, QStringLiteral("New Module"));
        QVERIFY(newModule && newModule->isEnabled());
        QTest::mouseClick(bar->widgetForAction(newModule), Qt::LeftButton);
        QCOMPARE(train->task(), QStringLiteral("image-classification"));
        const QString heading = m_window->findChild<QLabel *>(QStringLiteral("trainingHeading"))->text();
        QVERIFY2(heading.contains(QLatin1String("Image classification")), qPrintable(heading));

        // Dataset: the folder typed, then Enter.
        QTabWidget *tabs = train->tabs();
        QTest::mouseClick(tabs->tabBar(), Qt::LeftButton, {}, tabs->tabBar()->tabRect(0).center());
        QCOMPARE(tabs->currentWidget(), train->datasetPage());
        const QString pictures = sample(QStringLiteral("fashion-mnist"));
        QSignalSpy scanned(train->datasetPage(), &DatasetPage::summaryReady);
        auto *path = train->datasetPage()->findChild<QLineEdit *>(QStringLiteral("datasetPath"));
        typeInto(path, pictures);
        QTest::keyClick(path, Qt::Key_Return);
        QVERIFY(scanned.wait(20000));
        const DatasetSummary &summary = train->datasetPage()->summary();
        QCOMPARE(summary.classes.size(), 10);
        QCOMPARE(summary.images, 80);
        QCOMPARE(summary.counts, QList<qint64>(10, 8));
        QVERIFY(summary.problems.isEmpty());
        auto *bars = qobject_cast<QCPBars *>(train->datasetPage()->chart()->plottable(0));
        QVERIFY(bars && bars->data()->size() == 10);
        QCOMPARE(train->datasetPage()->samples()->count(), 10 * DatasetSummary::kSamplesPerClass);
        QCOMPARE(train->datasetPage()->totals()->text(), QStringLiteral("80 image(s) in 10 classes"));
        QCOMPARE(train->datasetPage()->problems()->text(), QStringLiteral("No problems found."));
        screenshot(QStringLiteral("3-train-dataset"));

        // Parameters: a small network on small pictures, three epochs, a name as people write it.
        QTest::mouseClick(tabs->tabBar(), Qt::LeftButton, {}, tabs->tabBar()->tabRect(1).center());
        SchemaForm *form = train->form();
        QCOMPARE(form->value(QStringLiteral("data")).toString(), pictures);
        QVERIFY(choose(qobject_cast<QComboBox *>(form->editor(QStringLiteral("arch"))), QStringLiteral("smallcnn")));
        typeInto(form->editor(QStringLiteral("image-size")), QStringLiteral("28"));
        typeInto(form->editor(QStringLiteral("epochs")), QStringLiteral("3"));
        typeInto(form->editor(QStringLiteral("name")), kMyName);
        QCOMPARE(form->value(QStringLiteral("arch")).toString(), QStringLiteral("smallcnn"));
        QCOMPARE(form->value(QStringLiteral("image-size")).toInt(), 28);
        QCOMPARE(form->value(QStringLiteral("epochs")).toInt(), 3);
        QCOMPARE(form->value(QStringLiteral("name")).toString(), kMyName);
        auto *start = train->findChild<QPushButton *>(QStringLiteral("startTraining"));
        QVERIFY(start && start->isVisible() && start->isEnabled());
        // The button the start page tells to press.
        QVERIFY2(m_trainYourOwn.contains(QStringLiteral("press %1").arg(start->text().remove(QLatin1Char('&')))),
                 qPrintable(start->text() + QStringLiteral(" / ") + m_trainYourOwn));
        screenshot(QStringLiteral("3-train-form"));

        QSignalSpy finished(train, &TrainingWorkspace::trainingFinished);
        QSignalSpy stopped(train, &TrainingWorkspace::trainingStopped);
        QTest::mouseClick(start, Qt::LeftButton);
        QCOMPARE(form->value(QStringLiteral("name")).toString(), kMyId);  // the id the name became
        QCOMPARE(tabs->currentWidget(), train->monitor());
        QVERIFY2(finished.wait(120000),
                 stopped.isEmpty() ? "no signal" : qPrintable(stopped.first().first().toString()));
        QCOMPARE(finished.first().first().toString(), kMyId);

        // The window stays on the run: its curves, its last lines and where the module went.
        QCOMPARE(m_window->currentWorkspace(), train);
        QCOMPARE(tabs->currentWidget(), train->monitor());
        TrainingMonitor *monitor = train->monitor();
        QCOMPARE(monitor->curves()->epochCount(), 3);
        QVERIFY(monitor->curves()->batchCount() >= 3);
        for (const QString &metric : {QStringLiteral("train_loss"), QStringLiteral("val_accuracy")}) {
            QCPGraph *graph = monitor->curves()->graph(metric);
            QVERIFY2(graph, qPrintable(monitor->curves()->metricNames().join(QStringLiteral(", "))));
            QCOMPARE(graph->dataCount(), 3);
        }
        QCOMPARE(monitor->progressBar()->value(), monitor->progressBar()->maximum());
        const QString log = monitor->findChild<QPlainTextEdit *>(QStringLiteral("trainingLog"))->toPlainText();
        QVERIFY2(log.contains(QRegularExpression(QStringLiteral("test \\(\\d+ images, best epoch \\d\\): top-1 "))),
                 qPrintable(log.right(600)));
        CatalogService &catalog = m_window->context().catalog();
        QTRY_VERIFY_WITH_TIMEOUT(catalog.find(kMyId) && !catalog.isScanning(), 20000);
        const QString status = monitor->statusLabel()->text();
        QVERIFY2(status.contains(QStringLiteral("'%1' is in the catalog").arg(kMyId)), qPrintable(status));
        QVERIFY(monitor->openModuleButton()->isEnabled());
        QVERIFY(!monitor->cancelButton()->isEnabled());
        screenshot(QStringLiteral("3-train-finished"));
        QCOMPARE(m_window->currentWorkspace(), train);  // still, after the catalog's rescan

        const CatalogEntry *mine = catalog.find(kMyId);
        QVERIFY(mine->isValid() && !mine->manifest.isTemplate());
        QCOMPARE(mine->manifest.task, QStringLiteral("image-classification"));
        QCOMPARE(mine->manifest.labels.size(), 10);
        QCOMPARE(mine->manifest.title, kMyName);  // the name as typed stays the module's title
        QCOMPARE(QFileInfo(mine->path).absolutePath(), QFileInfo(m_catalog.path()).absoluteFilePath());

        // Usable in Classify: chosen in its picker, a class folder dropped on the window.
        QVERIFY(goTo(QStringLiteral("classify")));
        auto *classify = m_window->workspace<ClassifyWorkspace>();
        auto *picker = m_window->findChild<QComboBox *>(QStringLiteral("classifyModulePicker"));
        QVERIFY(picker->findData(kMyId) >= 0 && picker->findData(kClassifier) >= 0);
        QVERIFY(choose(picker, kMyId));
        QCOMPARE(m_window->context().currentModule(), kMyId);
        QCOMPARE(classify->currentClassifier(), mine);
        QSignalSpy ready(classify, &ClassifyWorkspace::predictionsReady);
        QVERIFY(m_window->openDroppedUrls({QUrl::fromLocalFile(QDir(pictures).filePath(QStringLiteral("Bag")))}));
        QVERIFY(ready.wait(30000));
        QCOMPARE(classify->predictions()->rowCount(), 8);
        QCOMPARE(classify->predictions()->batch().moduleId, kMyId);
        QCOMPARE(classify->predictions()->index(0, 0).data(PredictionModel::LabelsRole).toStringList().size(), 5);
    }

    // 4. A region of the Landsat sample super-resolved by the demo module: drawn as it is
    //    typed, then the result (twice its size) beside the input.
    void superResolveARegion()
    {
        QVERIFY(goTo(QStringLiteral("raster")));
        auto *raster = m_window->workspace<RasterWorkspace>();
        QSignalSpy opened(raster, &RasterWorkspace::rasterOpened);
        const QString landsat = sample(QStringLiteral("landsat7-held-out-rows.tif"));
        QVERIFY(m_window->openDroppedUrls({QUrl::fromLocalFile(landsat)}));
        QVERIFY(opened.wait(20000));
        QCOMPARE(raster->info().width, 349);
        QCOMPARE(raster->info().height, 88);
        QTRY_VERIFY_WITH_TIMEOUT(
            !raster->beforeView()->isRendering() && !raster->beforeView()->renderedImage().isNull(), 20000);
        QVERIFY(!raster->afterView()->isVisible());

        SuperResPanel *panel = raster->superResPanel();
        QVERIFY(choose(panel->moduleBox(), kSuperResolution));
        QCOMPARE(panel->module(), kSuperResolution);
        // The proposed output is a new file in a folder the user may write to.
        const QString proposed = panel->output();
        QVERIFY2(!proposed.isEmpty() && !QFileInfo::exists(proposed) &&
                     QFileInfo(QFileInfo(proposed).absolutePath()).isWritable(),
                 qPrintable(proposed));
        // ... but the shipped samples are left alone: the user writes it to a folder of theirs.
        const QString output = QDir(m_outputs.path()).filePath(QStringLiteral("landsat-region_x2.tif"));
        typeInto(panel->findChild<QLineEdit *>(QStringLiteral("superResOutput")), output);
        QCOMPARE(panel->output(), output);

        // A wrong region is said at once; the right one is drawn before anything runs.
        typeInto(panel->regionEdit(), QStringLiteral("10,10,600,40"));
        QVERIFY(panel->regionNote()->isVisible());
        QVERIFY2(panel->regionNote()->text().contains(QLatin1String("beyond")),
                 qPrintable(panel->regionNote()->text()));
        QVERIFY(raster->beforeView()->overlayRegion().isEmpty());
        typeInto(panel->regionEdit(), QStringLiteral("10,10,60,40"));
        QVERIFY(panel->regionError().isEmpty());
        QCOMPARE(panel->regionNote()->text(),
                 QStringLiteral("%1 from col 10, row 10, drawn on the view.").arg(pixelCountText(60, 40)));
        QCOMPARE(panel->regionRect(), QRect(10, 10, 60, 40));
        QCOMPARE(raster->beforeView()->overlayRegion(), QRect(10, 10, 60, 40));
        QVERIFY(panel->runButton()->isEnabled());
        screenshot(QStringLiteral("4-raster-region"));

        QSignalSpy shown(raster, &RasterWorkspace::resultShown);
        QSignalSpy failed(raster, &RasterWorkspace::failed);
        QTest::mouseClick(panel->runButton(), Qt::LeftButton);
        QVERIFY2(shown.wait(60000), failed.isEmpty() ? "no result" : qPrintable(failed.first().first().toString()));
        QCOMPARE(shown.first().first().toString(), output);
        QVERIFY(QFileInfo(output).isFile());
        QCOMPARE(raster->resultPath(), output);

        // Beside the input, twice the region's size.
        RasterView *after = raster->afterView();
        QVERIFY(after->isVisible() && raster->beforeView()->isVisible());
        QVERIFY(after->mapTo(m_window.get(), QPoint(0, 0)).x() >
                raster->beforeView()->mapTo(m_window.get(), QPoint(0, 0)).x());
        QVERIFY(after->reader());
        QCOMPARE(after->rasterSize(), QSize(120, 80));
        const QString status = raster->statusLabel()->text();
        QVERIFY2(status.startsWith(QLatin1String("After")) && status.contains(pixelCountText(120, 80)),
                 qPrintable(status));
        QTRY_VERIFY_WITH_TIMEOUT(!after->isRendering() && !after->renderedImage().isNull(), 20000);
        // Both views on the region (the after view's whole raster, the region of the before view).
        QTRY_VERIFY_WITH_TIMEOUT(raster->beforeView()->visibleRegion().intersects(QRectF(10, 10, 60, 40)) &&
                                     !raster->beforeView()->visibleRegion().contains(QRectF(0, 0, 349, 88)),
                                 5000);
        QVERIFY(!panel->cancelButton()->isVisible());
        screenshot(QStringLiteral("4-raster-result"));
    }

    // 5. The sunspot CSV forecast by the demo forecaster: the plot with the forecast and its
    //    band, the alerts in the file's decimals, the module's score against the naive forecast.
    void forecastACsv()
    {
        QVERIFY(goTo(QStringLiteral("timeseries")));
        auto *series = m_window->workspace<TimeSeriesWorkspace>();
        QSignalSpy loaded(series, &TimeSeriesWorkspace::csvLoaded);
        QVERIFY(m_window->openDroppedUrls({QUrl::fromLocalFile(sample(QStringLiteral("sunspot_month.csv")))}));
        QVERIFY(loaded.wait(20000));
        QCOMPARE(loaded.first().first().toLongLong(), 3177);
        QCOMPARE(series->tabs()->currentWidget(), series->dataPage());
        QCOMPARE(series->csv().table().rowCount(), 3177);
        const QString summary = series->dataPage()->summary()->text();
        QVERIFY2(summary.contains(QStringLiteral("%1 rows").arg(QLocale().toString(qint64(3177)))),
                 qPrintable(summary));
        QVERIFY2(summary.contains(QLatin1String("first 500 rows")), qPrintable(summary));
        QCOMPARE(series->dataPage()->previewModel()->rowCount(), 500);
        QCOMPARE(series->dataPage()->plot()->graph(0)->dataCount(), 3177);
        screenshot(QStringLiteral("5-timeseries-data"));

        ForecastPage *page = series->forecastPage();
        QTabBar *tabBar = series->tabs()->tabBar();
        QTest::mouseClick(tabBar, Qt::LeftButton, {}, tabBar->tabRect(series->tabs()->indexOf(page)).center());
        QCOMPARE(series->tabs()->currentWidget(), page);
        QVERIFY(choose(page->moduleBox(), kForecaster));
        QCOMPARE(page->selectedModule(), kForecaster);
        const QString metrics = page->metricsLabel()->text();
        QVERIFY2(QRegularExpression(QStringLiteral("^Test MAE \\d+(\\.\\d+)? vs \\d+(\\.\\d+)? for the naive forecast "
                                                   "\\(\\d+ % better\\)"))
                     .match(metrics)
                     .hasMatch(),
                 qPrintable(metrics));
        QVERIFY(page->metricsLabel()->isVisible());
        auto *forecast = page->findChild<QPushButton *>(QStringLiteral("forecastButton"));
        QVERIFY(forecast->isEnabled());
        QSignalSpy shown(page, &ForecastPage::forecastShown);
        QSignalSpy failed(page, &ForecastPage::failed);
        QTest::mouseClick(forecast, Qt::LeftButton);
        QVERIFY2(shown.wait(60000), failed.isEmpty() ? "no forecast" : qPrintable(failed.first().first().toString()));

        const ForecastData &data = page->data();
        QCOMPARE(data.module, kForecaster);
        QCOMPARE(data.observedRows, qsizetype(3177));
        QVERIFY(data.x.size() > 3177);
        QCOMPARE(page->graphs().size(), 1);
        const TargetGraphs &g = page->graphs().first();
        QCOMPARE(g.target, QStringLiteral("sunspots"));
        QCOMPARE(g.observed->dataCount(), 3177);
        QVERIFY(g.forecast->dataCount() > 3000);  // all but the first window
        QVERIFY(g.ahead->dataCount() > 1);        // after the data
        QVERIFY(g.ahead->data()->at(g.ahead->dataCount() - 1)->key > g.observed->data()->at(3176)->key);
        QVERIFY(g.lower && g.upper);
        QCOMPARE(g.upper->channelFillGraph(), g.lower);
        QCOMPARE(g.upper->dataCount(), g.lower->dataCount());
        QVERIFY(g.upper->dataCount() >= g.forecast->dataCount());
        const int mid = g.upper->dataCount() / 2;
        QVERIFY(g.upper->data()->at(mid)->value > g.lower->data()->at(mid)->value);
        QCOMPARE(data.periods.size(), 3);  // the demo was trained on this file

        AlertTableModel *alerts = page->alertModel();
        QVERIFY(alerts->rowCount() > 0);
        QCOMPARE(alerts->rowCount(), int(data.alerts.size()));
        QCOMPARE(g.warnings->dataCount() + g.critical->dataCount(), alerts->rowCount());
        for (int row = 0; row < alerts->rowCount(); ++row)
            for (int column : {int(AlertTableModel::ObservedColumn), int(AlertTableModel::ExpectedColumn)}) {
                const QString text = alerts->data(alerts->index(row, column)).toString();
                QVERIFY2(QRegularExpression(QStringLiteral("^-?\\d+\\.\\d$")).match(text).hasMatch(), qPrintable(text));
            }
        QCOMPARE(page->metricsLabel()->text(), metrics);
        // Above the plot, in words: the rows (counted as on the Data tab), the steps ahead, the alerts.
        const QString note = page->findChild<QLabel *>(QStringLiteral("forecastNote"))->text();
        QVERIFY2(note.contains(QStringLiteral("over %1 rows and %2 step(s) ahead: <b>%3</b> alert(s)")
                                   .arg(QLocale().toString(qint64(3177)))
                                   .arg(data.x.size() - 3177)
                                   .arg(alerts->rowCount())),
                 qPrintable(note));
        screenshot(QStringLiteral("5-timeseries-forecast"));
    }
};

QTEST_MAIN(TestFirstHour)
#include "test_first_hour.moc"
