// The Train workspace: the dataset page counts images per class and names the problems; a
// short training launched from the GUI (form from the plugin's schema) shows live curves,
// finishes and adds the module to the catalog, whose history then shows as curves; Cancel
// keeps a checkpoint and Resume finishes the run. While the CPU trains, the GUI event loop
// is measured with a 10 ms precise timer: the p99 and the longest gap go to the test log.
#include "core/catalog/catalog_entry.h"
#include "core/jobs/job_manager.h"
#include "core/task/plugin_manager.h"
#include "gui/gui_test_support.h"
#include "gui/imageclass_fixture.h"
#include "gui/workbench_window.h"
#include "ui/catalog/catalog_service.h"
#include "ui/catalog/catalog_workspace.h"
#include "ui/main_window.h"
#include "ui/message_presenter.h"
#include "ui/training/dataset_page.h"
#include "ui/training/module_history_view.h"
#include "ui/training/schema_form.h"
#include "ui/training/training_curves.h"
#include "ui/training/training_monitor.h"
#include "ui/training/training_workspace.h"
#include "ui/workbench_context.h"

#include <QComboBox>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTest>
#include <QTimer>
#include <qcustomplot.h>

#include <algorithm>
#include <memory>
#include <utility>

using namespace dw;
using dw::test::TestCatalog;

// Long enough (a few seconds on 2 cores) for the event-loop measurement to mean something.
constexpr int kMeasuredEpochs = 25;

class TestTrainingWorkspace : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void datasetPageCountsAndNamesProblems();
    void aFolderWithItsOwnSplitIsUsedAsItIs();
    void formComesFromThePluginSchema();
    void newModuleFromATemplate();
    void trainingFromTheGuiAddsAModule();
    void savesScreenshots();  // of the finished run, before the others
    void retrainTheSelectedModule();
    void newModuleForgetsTheLastRunAndAnotherTasksData();
    void aNameBecomesAModuleId();
    void superResolutionStartsFromTheOpenRaster();
    void cancelThenResume();

private:
    void prepare(const QString &name, int epochs);
    QString data(const QString &name) const { return m_data.filePath(name); }

    QTemporaryDir m_settings;
    QTemporaryDir m_data;
    std::unique_ptr<TestCatalog> m_catalog;
    std::unique_ptr<MainWindow> m_window;
    TrainingWorkspace *m_train = nullptr;
};

void TestTrainingWorkspace::initTestCase()
{
    test::isolateSettings(m_settings.path());
    test::usePluginsFromTheBuild();
    m_catalog = std::make_unique<TestCatalog>();
    QVERIFY(m_catalog->isValid());
    QVERIFY(test::writeShapeDataset(data(QStringLiteral("shapes")), 16, 1));
    // A dataset with problems: a tiny class and a damaged file.
    QVERIFY(test::writeShapeDataset(data(QStringLiteral("bad")), 6, 2));
    QVERIFY(QDir(data(QStringLiteral("bad/triangle"))).removeRecursively());
    QVERIFY(
        test::writeShapeImages(data(QStringLiteral("bad")), {{QStringLiteral("cross"), test::Shape::Cross}}, 2, 32, 3));
    QFile broken(data(QStringLiteral("bad/circle/broken.png")));
    QVERIFY(broken.open(QIODevice::WriteOnly));
    broken.write("no PNG at all");
    broken.close();

    m_window = test::openWorkbenchWindow();
    QVERIFY(m_window);
    m_train = m_window->workspace<TrainingWorkspace>();
    QVERIFY(m_train);
    QVERIFY(m_window->setCurrentWorkspace(QStringLiteral("train")));
    QVERIFY(test::imageClassPlugin());
    QVERIFY(m_train->newModule(QString::fromLatin1(test::imageClassTask())));
}

void TestTrainingWorkspace::cleanupTestCase()
{
    if (m_window) {
        m_window->context().jobs().cancelAll();
        m_window->context().jobs().waitForAll(30000);
    }
    m_window.reset();
    m_catalog.reset();
}

void TestTrainingWorkspace::datasetPageCountsAndNamesProblems()
{
    DatasetPage *page = m_train->datasetPage();
    QSignalSpy ready(page, &DatasetPage::summaryReady);
    page->setPath(data(QStringLiteral("bad")));
    QVERIFY(ready.wait(10000));
    const DatasetSummary &s = page->summary();
    QCOMPARE(s.classes, (QStringList{QStringLiteral("circle"), QStringLiteral("cross"), QStringLiteral("square")}));
    QCOMPARE(s.counts, (QList<qint64>{6, 2, 6}));
    QCOMPARE(s.unreadable, 1);
    auto *bars = qobject_cast<QCPBars *>(page->chart()->plottable(0));
    QVERIFY(bars);
    QCOMPARE(bars->data()->size(), 3);
    QCOMPARE(bars->data()->at(1)->value, 2.0);
    QCOMPARE(page->samples()->count(), 4 + 2 + 4);
    const QString problems = page->problems()->text();
    QVERIFY2(problems.contains(QLatin1String("'cross' has only 2")), qPrintable(problems));
    QVERIFY2(problems.contains(QLatin1String("broken.png")), qPrintable(problems));
    // The chosen folder went to the form's data argument.
    QCOMPARE(m_train->form()->value(QStringLiteral("data")).toString(), data(QStringLiteral("bad")));
}

// Issue 17 item 6: a folder with train/ and val/ says so, and the val/test fractions (which
// would not be used) are off.
void TestTrainingWorkspace::aFolderWithItsOwnSplitIsUsedAsItIs()
{
    QVERIFY(test::writeShapeDataset(data(QStringLiteral("split/train")), 6, 3));
    QVERIFY(test::writeShapeDataset(data(QStringLiteral("split/val")), 2, 4));
    DatasetPage *page = m_train->datasetPage();
    QSignalSpy ready(page, &DatasetPage::summaryReady);
    page->setPath(data(QStringLiteral("split")));
    QVERIFY(ready.wait(10000));
    QCOMPARE(page->summary().splits, (QStringList{QStringLiteral("train"), QStringLiteral("val")}));
    QCOMPARE(page->summary().splitImages, (QList<qint64>{18, 6}));
    QVERIFY2(page->totals()->text().contains(QLatin1String("its own split: train 18, val 6")),
             qPrintable(page->totals()->text()));
    QVERIFY(!m_train->form()->editor(QStringLiteral("val-fraction"))->isEnabled());
    QVERIFY(!m_train->form()->editor(QStringLiteral("test-fraction"))->isEnabled());
    // A folder without one: the task splits it, the fractions are on again.
    page->setPath(data(QStringLiteral("shapes")));
    QVERIFY(ready.wait(10000));
    QVERIFY(page->summary().splits.isEmpty());
    QVERIFY(m_train->form()->editor(QStringLiteral("val-fraction"))->isEnabled());
}

void TestTrainingWorkspace::formComesFromThePluginSchema()
{
    SchemaForm *form = m_train->form();
    QVERIFY(form->groupTitles().contains(QStringLiteral("Optimiser")));
    QVERIFY(form->editor(QStringLiteral("arch")));
    QVERIFY(!form->editor(QStringLiteral("output")));  // filled from the catalog and the name
    QVERIFY(!form->editor(QStringLiteral("resume")));  // the Resume button's business
    QCOMPARE(form->value(QStringLiteral("epochs")),
             test::imageClassPlugin()->trainArguments().find(QStringLiteral("epochs"))->defaultValue);
}

void TestTrainingWorkspace::newModuleFromATemplate()
{
    // The built-in template: resnet18, 20 epochs, batch-size 64, learning-rate 0.001, 224 px.
    QVERIFY(m_train->newModule(QString::fromLatin1(test::imageClassTask()), QStringLiteral("image-classifier")));
    SchemaForm *form = m_train->form();
    QCOMPARE(form->value(QStringLiteral("arch")).toString(), QStringLiteral("resnet18"));
    QCOMPARE(form->value(QStringLiteral("epochs")).toInt(), 20);
    QCOMPARE(form->value(QStringLiteral("batch")).toInt(), 64);
    QCOMPARE(form->value(QStringLiteral("image-size")).toInt(), 224);
    QCOMPARE(form->value(QStringLiteral("lr")).toDouble(), 0.001);
    QVERIFY(
        m_window->findChild<QLabel *>(QStringLiteral("trainingHeading"))->text().contains(QLatin1String("template")));
}

void TestTrainingWorkspace::prepare(const QString &name, int epochs)
{
    QVERIFY(m_train->newModule(QString::fromLatin1(test::imageClassTask())));
    QSignalSpy ready(m_train->datasetPage(), &DatasetPage::summaryReady);
    m_train->datasetPage()->setPath(data(QStringLiteral("shapes")));
    QVERIFY(ready.wait(10000));
    const QVariantMap args = test::quickTrainArguments(data(QStringLiteral("shapes")), name, QString(), epochs);
    for (auto it = args.begin(); it != args.end(); ++it)
        if (it.key() != QLatin1String("output"))
            m_train->form()->setValue(it.key(), it.value());
}

void TestTrainingWorkspace::trainingFromTheGuiAddsAModule()
{
    prepare(QStringLiteral("gui-shapes"), kMeasuredEpochs);
    QSignalSpy finished(m_train, &TrainingWorkspace::trainingFinished);
    QSignalSpy stopped(m_train, &TrainingWorkspace::trainingStopped);

    // Event-loop responsiveness while the CPU trains: a 10 ms precise timer's gaps.
    QList<double> gaps;
    QElapsedTimer clock;
    QTimer ticker;
    ticker.setTimerType(Qt::PreciseTimer);
    ticker.setInterval(10);
    qint64 last = -1;
    connect(&ticker, &QTimer::timeout, this, [&] {
        const qint64 now = clock.nsecsElapsed();
        if (last >= 0)
            gaps << (now - last) / 1e6;
        last = now;
    });
    clock.start();
    ticker.start();
    // The reference: the same timer for a second with nothing running.
    QTest::qWait(1000);
    QList<double> idle = std::exchange(gaps, {});
    std::sort(idle.begin(), idle.end());
    QTest::mouseClick(m_train->findChild<QPushButton *>(QStringLiteral("startTraining")), Qt::LeftButton);
    QVERIFY(!m_train->monitor()->jobId().isEmpty());
    // One time estimate, not two ("eta 34s — about 36 s left", issue 17 item 13).
    QTRY_VERIFY_WITH_TIMEOUT(
        m_train->monitor()->statusLabel()->text().contains(QLatin1String("eta ")) || !finished.isEmpty(), 30000);
    if (finished.isEmpty())
        QVERIFY2(!m_train->monitor()->statusLabel()->text().contains(QLatin1String(" left")),
                 qPrintable(m_train->monitor()->statusLabel()->text()));
    QVERIFY2(!finished.isEmpty() || finished.wait(90000),
             stopped.isEmpty() ? "no signal" : qPrintable(stopped.first().first().toString()));
    ticker.stop();
    QCOMPARE(finished.first().first().toString(), QStringLiteral("gui-shapes"));

    QVERIFY(gaps.size() > 10);
    std::sort(gaps.begin(), gaps.end());
    const double p50 = gaps.at(gaps.size() / 2);
    const double p99 = gaps.at(std::min<qsizetype>(gaps.size() - 1, qsizetype(gaps.size() * 0.99)));
    const auto percentile = [](const QList<double> &sorted, double q) {
        return sorted.isEmpty() ? 0.0 : sorted.at(std::min<qsizetype>(sorted.size() - 1, qsizetype(sorted.size() * q)));
    };
    qInfo("event loop while idle (reference, 10 ms timer, %lld ticks): median %.1f ms, p99 %.1f ms, max %.1f ms",
          qint64(idle.size()), percentile(idle, 0.5), percentile(idle, 0.99), idle.isEmpty() ? 0.0 : idle.last());
    qInfo("event loop during CPU training (10 ms timer, %lld ticks): median %.1f ms, p99 %.1f ms, max %.1f ms",
          qint64(gaps.size()), p50, p99, gaps.last());
    // The target is 50 ms; on a loaded 2-core machine the scheduler alone exceeds it now
    // and then, so only a generous bound is asserted: it fails when work lands on the GUI
    // thread (a training or a decoding there stalls for seconds).
    QVERIFY2(p99 < 500.0, qPrintable(QStringLiteral("p99 %1 ms").arg(p99)));

    // Live curves: every epoch and per-batch losses were plotted.
    QCOMPARE(m_train->monitor()->curves()->epochCount(), kMeasuredEpochs);
    QVERIFY(m_train->monitor()->curves()->batchCount() >= 3);
    QCOMPARE(m_train->monitor()->progressBar()->value(), m_train->monitor()->progressBar()->maximum());

    // The window stays on the run, its last lines in view (issue 17 item 11), and says where
    // the module went; Open in Catalog shows it there.
    CatalogService &catalog = m_window->context().catalog();
    QTRY_VERIFY_WITH_TIMEOUT(catalog.find(QStringLiteral("gui-shapes")) && !catalog.isScanning(), 20000);
    QVERIFY(QFile::exists(QDir(catalog.userDirectory()).filePath(QStringLiteral("gui-shapes/weights.pt"))));
    QCOMPARE(m_window->currentWorkspace()->id(), QStringLiteral("train"));
    QCOMPARE(m_train->tabs()->currentWidget(), static_cast<QWidget *>(m_train->monitor()));
    QVERIFY2(m_train->monitor()->statusLabel()->text().contains(QLatin1String("gui-shapes")),
             qPrintable(m_train->monitor()->statusLabel()->text()));
    QVERIFY(m_train->monitor()->openModuleButton()->isEnabled());
    QTest::mouseClick(m_train->monitor()->openModuleButton(), Qt::LeftButton);
    QCOMPARE(m_window->currentWorkspace()->id(), QStringLiteral("catalog"));
    QTRY_COMPARE_WITH_TIMEOUT(m_window->context().currentModule(), QStringLiteral("gui-shapes"), 10000);

    // Its history.json shows as curves under the module page of the catalog...
    ModuleHistoryView *catalogHistory = m_window->workspace<CatalogWorkspace>()->history();
    QTRY_VERIFY_WITH_TIMEOUT(catalogHistory->isVisible() && catalogHistory->curves()->epochCount() == kMeasuredEpochs,
                             10000);
    QVERIFY(catalogHistory->note()->text().contains(QLatin1String("best epoch")));
    QTRY_VERIFY_WITH_TIMEOUT(catalogHistory->height() >= 150, 2000);
    QVERIFY(QDir().mkpath(QStringLiteral(DW_BUILD_DIR "/screenshots")));
    QTest::qWait(50);
    QVERIFY(m_window->grab().save(QStringLiteral(DW_BUILD_DIR "/screenshots/catalog-module-history-1366x768.png")));
    // ... and in the Train workspace.
    QSignalSpy history(m_train, &TrainingWorkspace::moduleHistoryShown);
    QVERIFY(m_window->setCurrentWorkspace(QStringLiteral("train")));
    QVERIFY(history.wait(10000));
    QCOMPARE(m_train->moduleCurves()->epochCount(), kMeasuredEpochs);
    // ... without covering the page in front (the Progress tab).
    QCOMPARE(m_train->tabs()->currentWidget(), static_cast<QWidget *>(m_train->monitor()));
    QVERIFY(!m_train->moduleCurves()->isVisible());
}

void TestTrainingWorkspace::retrainTheSelectedModule()
{
    QVERIFY(m_window->context().catalog().find(QStringLiteral("gui-shapes")));
    QVERIFY(m_train->retrain(QStringLiteral("gui-shapes")));
    QVERIFY(!m_train->form()->editor(QStringLiteral("parent")));  // the selected module is the parent
    QCOMPARE(m_train->form()->value(QStringLiteral("name")).toString(), QStringLiteral("gui-shapes-retrained"));
    // The form starts from the parent's settings (a smallcnn at lr 0.003), not the task's defaults;
    // how the parent itself started (freeze, init) is not copied.
    QCOMPARE(m_train->form()->value(QStringLiteral("arch")).toString(), QStringLiteral("smallcnn"));
    QCOMPARE(m_train->form()->value(QStringLiteral("lr")).toDouble(), 0.003);
    QCOMPARE(m_train->form()->value(QStringLiteral("freeze")).toString(), QStringLiteral("full"));
    m_train->form()->setValue(QStringLiteral("data"), data(QStringLiteral("shapes")));
    m_train->form()->setValue(QStringLiteral("freeze"), QStringLiteral("head"));
    m_train->form()->setValue(QStringLiteral("epochs"), 2);
    m_train->form()->setValue(QStringLiteral("batch"), 16);
    m_train->form()->setValue(QStringLiteral("workers"), 1);
    m_train->form()->setValue(QStringLiteral("augment"), false);
    QSignalSpy finished(m_train, &TrainingWorkspace::trainingFinished);
    QSignalSpy stopped(m_train, &TrainingWorkspace::trainingStopped);
    QVERIFY(!m_train->startTraining().isEmpty());
    QVERIFY2(finished.wait(60000), stopped.isEmpty() ? "no signal" : qPrintable(stopped.first().first().toString()));
    QCOMPARE(finished.first().first().toString(), QStringLiteral("gui-shapes-retrained"));
    CatalogService &catalog = m_window->context().catalog();
    QTRY_VERIFY_WITH_TIMEOUT(catalog.find(QStringLiteral("gui-shapes-retrained")) && !catalog.isScanning(), 20000);
    QCOMPARE(catalog.find(QStringLiteral("gui-shapes-retrained"))->manifest.parent, QStringLiteral("gui-shapes"));
    m_window->setCurrentWorkspace(QStringLiteral("train"));
}

// Issue 17 item 4: after another task's New Module, neither the folder and histogram of the
// Dataset tab nor the finished run of the Progress tab stay from before.
void TestTrainingWorkspace::newModuleForgetsTheLastRunAndAnotherTasksData()
{
    m_window->setCurrentWorkspace(QStringLiteral("train"));
    QSignalSpy ready(m_train->datasetPage(), &DatasetPage::summaryReady);
    m_train->datasetPage()->setPath(data(QStringLiteral("shapes")));
    QVERIFY(ready.wait(10000));
    QVERIFY(!m_train->monitor()->jobId().isEmpty());  // the finished re-training of before
    QVERIFY(m_train->monitor()->curves()->epochCount() > 0);

    // The same task keeps the data (another model on the same images), not the finished run.
    QVERIFY(m_train->newModule(QString::fromLatin1(test::imageClassTask())));
    QCOMPARE(m_train->datasetPage()->path(), data(QStringLiteral("shapes")));
    QVERIFY(m_train->monitor()->jobId().isEmpty());
    QCOMPARE(m_train->monitor()->curves()->epochCount(), 0);
    QVERIFY(!m_train->monitor()->openModuleButton()->isEnabled());
    QVERIFY(m_train->monitor()->statusLabel()->text().startsWith(QLatin1String("No training running")));

    // Another task: the image folder and its chart go.
    const QStringList tasks = PluginManager::instance().tasks();
    const auto other = std::find_if(tasks.begin(), tasks.end(),
                                    [](const QString &t) { return t != QLatin1String(test::imageClassTask()); });
    QVERIFY(other != tasks.end());
    QVERIFY(m_train->newModule(*other));
    // The toolbar's task follows, named for people (issue 17 item 13: task names, not ids).
    auto *taskBox = m_window->findChild<QComboBox *>(QStringLiteral("trainTask"));
    QVERIFY(taskBox);
    QCOMPARE(taskBox->currentData().toString(), *other);
    QVERIFY2(taskBox->currentText() != *other, qPrintable(taskBox->currentText()));
    QVERIFY(!m_window->findChild<QLabel *>(QStringLiteral("trainingHeading"))->text().contains(*other));
    QVERIFY(m_train->datasetPage()->path().isEmpty());
    QVERIFY(m_train->datasetPage()->summary().classes.isEmpty());
    auto *bars = qobject_cast<QCPBars *>(m_train->datasetPage()->chart()->plottable(0));
    QVERIFY(!bars || bars->data()->isEmpty());
    QVERIFY(m_train->newModule(QString::fromLatin1(test::imageClassTask())));
}

// Issue 17 item 6: "My Shapes test" is trained as my-shapes-test, not refused; an empty name
// says which field to fill.
void TestTrainingWorkspace::aNameBecomesAModuleId()
{
    prepare(QStringLiteral("placeholder"), 1);
    auto &messages = m_window->context().messages();
    m_train->form()->setValue(QStringLiteral("name"), QString());
    QSignalSpy errors(&messages, &MessagePresenter::messageShown);
    QVERIFY(m_train->startTraining().isEmpty());
    QCOMPARE(errors.size(), 1);
    QVERIFY2(errors.first().at(2).toString().contains(QLatin1String("Give the new module a name")),
             qPrintable(errors.first().at(2).toString()));

    m_train->form()->setValue(QStringLiteral("name"), QStringLiteral("My Shapes test"));
    QSignalSpy finished(m_train, &TrainingWorkspace::trainingFinished);
    QSignalSpy stopped(m_train, &TrainingWorkspace::trainingStopped);
    QVERIFY(!m_train->startTraining().isEmpty());
    QCOMPARE(m_train->form()->value(QStringLiteral("name")).toString(), QStringLiteral("my-shapes-test"));
    QVERIFY2(finished.wait(60000), stopped.isEmpty() ? "no signal" : qPrintable(stopped.first().first().toString()));
    QCOMPARE(finished.first().first().toString(), QStringLiteral("my-shapes-test"));
}

// Issue 17 item 8: the raster open in the Raster workspace is the super-resolution form's raster.
void TestTrainingWorkspace::superResolutionStartsFromTheOpenRaster()
{
    if (!PluginManager::instance().plugin(QStringLiteral("super-resolution")))
        QSKIP("the super-resolution plugin is not built");
    const QString raster = data(QStringLiteral("scene.tif"));
    m_window->context().setCurrentRaster(raster);
    QVERIFY(m_train->newModule(QStringLiteral("super-resolution")));
    QCOMPARE(m_train->form()->value(QStringLiteral("raster")).toString(), raster);
    // Issue 17: on the CPU the form starts from the plugin's lighter defaults and says why.
    if (!m_window->context().usesGpu()) {
        QCOMPARE(m_train->form()->value(QStringLiteral("patch")).toInt(), 32);
        QCOMPARE(m_train->form()->value(QStringLiteral("filters")).toInt(), 32);
        QCOMPARE(m_train->form()->value(QStringLiteral("epochs")).toInt(), 10);
        QCOMPARE(m_train->form()->value(QStringLiteral("patches-per-epoch")).toInt(), 512);
        QVERIFY(!m_train->defaultsNote()->isHidden());  // on the Parameters tab
        const QString note = m_train->defaultsNote()->text();
        QVERIFY2(note.startsWith(QLatin1String("Lighter defaults for the CPU")), qPrintable(note));
        QVERIFY2(note.contains(QLatin1String("patch 32 (48 on a GPU)")), qPrintable(note));
        if (qEnvironmentVariableIsSet("DW_KEEP_TEST_FILES")) {
            m_train->tabs()->setCurrentIndex(1);
            m_window->grab().save(QStringLiteral("/tmp/train_sr_cpu.png"));
        }
    }
    // Issue 17 item 6: what only a parent gives meaning to is not offered for a new module
    // (a classifier's freeze stays: it also applies to ImageNet starting weights).
    QVERIFY(!m_train->form()->editor(QStringLiteral("freeze")));
    QVERIFY(!m_train->form()->editor(QStringLiteral("parent-normalization")));
    m_window->context().setCurrentRaster(QString());
    QVERIFY(m_train->newModule(QString::fromLatin1(test::imageClassTask())));
    QVERIFY(m_train->form()->editor(QStringLiteral("freeze")));
    QVERIFY(m_train->defaultsNote()->isHidden());  // the classifier declares no CPU defaults
}

void TestTrainingWorkspace::cancelThenResume()
{
    m_window->setCurrentWorkspace(QStringLiteral("train"));
    prepare(QStringLiteral("gui-resumed"), 300);
    QSignalSpy stopped(m_train, &TrainingWorkspace::trainingStopped);
    QSignalSpy finished(m_train, &TrainingWorkspace::trainingFinished);
    QVERIFY(!m_train->startTraining().isEmpty());
    // Cancel once the first epoch's checkpoint is written.
    QTRY_VERIFY_WITH_TIMEOUT(m_train->monitor()->curves()->epochCount() >= 1, 30000);
    QTest::mouseClick(m_train->monitor()->cancelButton(), Qt::LeftButton);
    QVERIFY(stopped.wait(30000));
    QTRY_VERIFY_WITH_TIMEOUT(m_train->monitor()->resumeButton()->isEnabled(), 5000);
    const int before = m_train->monitor()->curves()->epochCount();
    QVERIFY(before >= 1 && before < 300);
    QCOMPARE(finished.size(), 0);
    // Resume; then cancel again so that the suite stays short: the curves went on.
    QTest::mouseClick(m_train->monitor()->resumeButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(m_train->monitor()->curves()->epochCount() > before, 30000);
    const QStringList log = m_window->context().jobs().job(m_train->monitor()->jobId()).log;
    QVERIFY2(log.join(QLatin1Char('\n')).contains(QLatin1String("resuming after epoch")),
             qPrintable(log.join(QLatin1Char('\n'))));
    m_train->monitor()->cancelButton()->click();
    QVERIFY(stopped.wait(30000));
}

void TestTrainingWorkspace::savesScreenshots()
{
    const QString folder = QStringLiteral(DW_BUILD_DIR "/screenshots");
    QVERIFY(QDir().mkpath(folder));
    m_window->setCurrentWorkspace(QStringLiteral("train"));
    for (const QSize size : {QSize(1366, 768), QSize(1920, 1080)}) {
        m_window->resize(size);
        const QString suffix = QStringLiteral("%1x%2").arg(size.width()).arg(size.height());
        const QStringList names{QStringLiteral("dataset"), QStringLiteral("parameters"), QStringLiteral("progress"),
                                QStringLiteral("history")};
        for (int tab = 0; tab < names.size(); ++tab) {
            m_train->tabs()->setCurrentIndex(tab);
            QTest::qWait(100);
            QVERIFY(m_window->grab().save(QStringLiteral("%1/train-%2-%3.png").arg(folder, names.at(tab), suffix)));
        }
    }
    m_window->resize(1366, 768);
}

QTEST_MAIN(TestTrainingWorkspace)
#include "test_training_workspace.moc"
