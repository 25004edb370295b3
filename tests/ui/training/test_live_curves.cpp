// Live curves for every task: a short training of each task (image classification, time
// series, super-resolution) started from the Train workspace; while the job runs, epoch and
// batch points reach the monitor's curves from the trainer's typed progress, with the
// task's own metric (val accuracy, val loss, val PSNR) as a graph of its own.
#include "core/catalog/catalog_entry.h"
#include "core/catalog/manifest_io.h"
#include "core/jobs/job_manager.h"
#include "gui/gui_test_support.h"
#include "gui/imageclass_fixture.h"
#include "gui/workbench_window.h"
#include "timeseries_fixture.h"
#include "ui/catalog/catalog_service.h"
#include "ui/main_window.h"
#include "ui/message_presenter.h"
#include "ui/training/schema_form.h"
#include "ui/training/training_curves.h"
#include "ui/training/training_monitor.h"
#include "ui/training/training_workspace.h"
#include "ui/workbench_context.h"

#include <QDir>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTest>
#include <qcustomplot.h>

#include <memory>

using namespace dw;
using namespace Qt::StringLiterals;

class TestLiveCurves : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void liveCurves_data();
    void liveCurves();
    void retrainTakesTheParentsScale();  // after liveCurves: its super-resolution module is the parent

private:
    QTemporaryDir m_settings, m_data;
    std::unique_ptr<test::TestCatalog> m_catalog;
    std::unique_ptr<MainWindow> m_window;
    TrainingWorkspace *m_train = nullptr;
};

void TestLiveCurves::initTestCase()
{
    test::isolateSettings(m_settings.path());
    test::usePluginsFromTheBuild();
    m_catalog = std::make_unique<test::TestCatalog>();
    QVERIFY(test::writeShapeDataset(m_data.filePath(u"shapes"_s), 16, 1));
    QVERIFY(test::writeSineCsv(m_data.filePath(u"sine.csv"_s), 600));
    m_window = test::openWorkbenchWindow();
    QVERIFY(m_window);
    m_train = m_window->workspace<TrainingWorkspace>();
    QVERIFY(m_train);
    QVERIFY(m_window->setCurrentWorkspace(u"train"_s));
}

void TestLiveCurves::cleanupTestCase()
{
    if (m_window) {
        m_window->context().jobs().cancelAll();
        m_window->context().jobs().waitForAll(30000);
    }
    m_window.reset();
    m_catalog.reset();
}

void TestLiveCurves::liveCurves_data()
{
    QTest::addColumn<QString>("task");
    QTest::addColumn<QVariantMap>("args");
    QTest::addColumn<QString>("metric");  // the task's own graph
    QTest::addColumn<int>("epochs");

    const int epochs = 4;
    QVariantMap images = test::quickTrainArguments(m_data.filePath(u"shapes"_s), u"live-shapes"_s, QString(), epochs);
    images.remove(u"output"_s);
    QTest::newRow("image classification") << u"image-classification"_s << images << u"val_accuracy"_s << epochs;

    const QVariantMap series{{u"csv"_s, m_data.filePath(u"sine.csv"_s)},
                             {u"target"_s, u"value"_s},
                             {u"window"_s, 16},
                             {u"hidden"_s, 16},
                             {u"layers"_s, 1},
                             {u"epochs"_s, epochs},
                             {u"batch"_s, 16},
                             {u"name"_s, u"live-sine"_s}};
    QTest::newRow("time series") << u"time-series"_s << series << u"val_loss"_s << epochs;

    const QVariantMap raster{{u"raster"_s, QStringList{QStringLiteral(DW_SHARED_DATA_DIR "/L7_ETMs.tif")}},
                             {u"scale"_s, 2},
                             {u"blocks"_s, 1},
                             {u"filters"_s, 8},
                             {u"patch"_s, 24},
                             {u"patches-per-epoch"_s, 96},
                             {u"batch"_s, 8},
                             {u"epochs"_s, epochs},
                             {u"name"_s, u"live-l7"_s}};
    QTest::newRow("super-resolution") << u"super-resolution"_s << raster << u"val_psnr"_s << epochs;
}

void TestLiveCurves::liveCurves()
{
    QFETCH(QString, task);
    QFETCH(QVariantMap, args);
    QFETCH(QString, metric);
    QFETCH(int, epochs);

    QVERIFY2(m_train->newModule(task), qPrintable(task));
    for (auto it = args.begin(); it != args.end(); ++it)
        m_train->form()->setValue(it.key(), it.value());
    m_train->monitor()->clearCurves();

    // What the curves hold each time the job reports while it still runs.
    JobManager &jobs = m_window->context().jobs();
    int epochsWhileRunning = 0, batchesWhileRunning = 0;
    QString jobId;
    const QMetaObject::Connection watch = connect(&jobs, &JobManager::jobChanged, this, [&](const QString &id) {
        if (id != jobId || jobs.job(id).state != JobState::Running)
            return;
        TrainingCurves *curves = m_train->monitor()->curves();
        epochsWhileRunning = std::max(epochsWhileRunning, curves->epochCount());
        batchesWhileRunning = std::max(batchesWhileRunning, curves->batchCount());
    });
    QSignalSpy finished(m_train, &TrainingWorkspace::trainingFinished);
    QSignalSpy stopped(m_train, &TrainingWorkspace::trainingStopped);
    jobId = m_train->startTraining();
    QVERIFY2(!jobId.isEmpty(),
             qPrintable(u"the training did not start: "_s + m_window->context().messages().lastText()));
    QVERIFY2(finished.wait(120000), stopped.isEmpty() ? "no signal" : qPrintable(stopped.first().first().toString()));
    disconnect(watch);

    TrainingCurves *curves = m_train->monitor()->curves();
    qInfo("%s: %d epoch point(s) and %d batch point(s) while running; %d epochs at the end", qPrintable(task),
          epochsWhileRunning, batchesWhileRunning, curves->epochCount());
    QVERIFY2(batchesWhileRunning >= 1, "no batch point arrived while the training ran");
    QVERIFY2(epochsWhileRunning >= 1, "no epoch point arrived while the training ran");
    QCOMPARE(curves->epochCount(), epochs);
    QVERIFY2(curves->graph(u"train_loss"_s), qPrintable(curves->metricNames().join(u", "_s)));
    QVERIFY2(curves->graph(metric), qPrintable(curves->metricNames().join(u", "_s)));
    QCOMPARE(curves->graph(metric)->dataCount(), epochs);
    if (metric == u"val_accuracy"_s) {  // per cent on the metric plot
        bool ok = false;
        const QCPRange range = curves->graph(metric)->getValueRange(ok);
        QVERIFY(ok && range.lower >= 0.0 && range.upper <= 100.0 && range.upper > 1.0);
    }
    if (metric == u"val_psnr"_s) {
        QVERIFY2(curves->accuracyPlot()->yAxis->label().contains(u"PSNR"_s),
                 qPrintable(curves->accuracyPlot()->yAxis->label()));
        QVERIFY(curves->graph(metric)->data()->at(0)->value > 10.0);  // dB, not a fraction
    }
    // scripts/live_curves_screenshots.sh: the Train workspace of each task after its run, for the docs.
    if (const QString folder = qEnvironmentVariable("DW_SCREENSHOT_DIR"); !folder.isEmpty()) {
        QVERIFY(m_window->setCurrentWorkspace(u"train"_s));
        m_train->tabs()->setCurrentWidget(m_train->monitor());
        QTest::qWait(200);
        curves->lossPlot()->replot();
        curves->accuracyPlot()->replot();
        QVERIFY(m_window->grab().save(QDir(folder).filePath(u"train-curves-%1.png"_s.arg(task))));
    }
}

// Re-train in the workbench starts a super-resolution child at its parent's scale (a ×3
// parent cannot make a ×2 child), as deepwb retrain does.
void TestLiveCurves::retrainTakesTheParentsScale()
{
    CatalogService &catalog = m_window->context().catalog();
    QTRY_VERIFY_WITH_TIMEOUT(!catalog.isScanning() && catalog.find(u"live-l7"_s), 20000);
    const CatalogEntry *trained = catalog.find(u"live-l7"_s);
    // The same module as if it were ×3: a copy with its manifest's scale changed.
    const QString copy = QDir(catalog.userDirectory()).filePath(u"live-l7-x3"_s);
    QVERIFY(QDir().mkpath(copy));
    for (const QString &file : QDir(trained->path).entryList(QDir::Files))
        QVERIFY(QFile::copy(QDir(trained->path).filePath(file), QDir(copy).filePath(file)));
    ManifestReadResult read = readManifest(copy);
    QCOMPARE(read.manifest.inputs.value(u"scale"_s).toInt(), 2);
    read.manifest.id = u"live-l7-x3"_s;
    read.manifest.inputs.insert(u"scale"_s, 3);
    QVERIFY(writeManifest(read.manifest, copy));
    QSignalSpy scanned(&catalog, &CatalogService::scanFinished);
    QVERIFY(!catalog.rescan().isEmpty());
    QVERIFY(scanned.wait(20000));

    QVERIFY(m_train->retrain(u"live-l7-x3"_s));
    QCOMPARE(m_train->form()->value(u"scale"_s).toInt(), 3);
    QCOMPARE(m_train->form()->value(u"name"_s).toString(), u"live-l7-x3-retrained"_s);
    QVERIFY(m_train->retrain(u"live-l7"_s));
    QCOMPARE(m_train->form()->value(u"scale"_s).toInt(), 2);
}

QTEST_MAIN(TestLiveCurves)
#include "test_live_curves.moc"
