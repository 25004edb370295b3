// The training-time estimate of the Train workspace (TrainingEstimateLabel beside the Train
// button): after choosing a small dataset the label says "Estimated time: about ... on this
// CPU (measured: ...)" for each task, measured by the task plugin's TrainingEstimator as a
// job; twice the epochs give about twice the time; without a dataset it says why there is no
// estimate; while a training runs no probe runs. The wording of durations is checked on its own.
#include "core/jobs/job_manager.h"
#include "gui/gui_test_support.h"
#include "gui/imageclass_fixture.h"
#include "gui/workbench_window.h"
#include "timeseries_fixture.h"
#include "ui/main_window.h"
#include "ui/message_presenter.h"
#include "ui/training/dataset_page.h"
#include "ui/training/schema_form.h"
#include "ui/training/training_estimate_label.h"
#include "ui/training/training_workspace.h"
#include "ui/workbench_context.h"

#include <QDir>
#include <QElapsedTimer>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTest>

#include <memory>

using namespace dw;
using namespace Qt::StringLiterals;

namespace {

const QString kScene = QStringLiteral(DW_SHARED_DATA_DIR "/L7_ETMs.tif");

int estimateJobs(const JobManager &jobs)
{
    int count = 0;
    for (const JobInfo &job : jobs.jobs())
        count += job.kind == u"estimate"_s ? 1 : 0;
    return count;
}

bool estimateRuns(const JobManager &jobs)
{
    for (const JobInfo &job : jobs.jobs())
        if (job.kind == u"estimate"_s && job.state == JobState::Running)
            return true;
    return false;
}

}  // namespace

class TestTrainingEstimate : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void durationText_data();
    void durationText();
    void noDatasetNoEstimate();
    void estimateForEachTask_data();
    void estimateForEachTask();
    void noProbeWhileATrainingRuns();

private:
    // Waits until the label has shown what the last change gives.
    bool settle(int timeoutMs = 90000);
    TrainingEstimateLabel *label() const { return m_train->estimateLabel(); }

    QTemporaryDir m_settings, m_data;
    std::unique_ptr<test::TestCatalog> m_catalog;
    std::unique_ptr<MainWindow> m_window;
    TrainingWorkspace *m_train = nullptr;
};

void TestTrainingEstimate::initTestCase()
{
    test::isolateSettings(m_settings.path());
    test::usePluginsFromTheBuild();
    m_catalog = std::make_unique<test::TestCatalog>();
    QVERIFY(m_catalog->isValid());
    QVERIFY(test::writeShapeDataset(m_data.filePath(u"shapes"_s), 16, 1));
    QVERIFY(test::writeSineCsv(m_data.filePath(u"sine.csv"_s), 600));
    m_window = test::openWorkbenchWindow();
    QVERIFY(m_window);
    m_train = m_window->workspace<TrainingWorkspace>();
    QVERIFY(m_train);
    QVERIFY(m_window->setCurrentWorkspace(u"train"_s));
    QVERIFY(label());
    QCOMPARE(label()->objectName(), u"trainingEstimate"_s);
}

void TestTrainingEstimate::cleanupTestCase()
{
    if (m_window) {
        m_window->context().jobs().cancelAll();
        m_window->context().jobs().waitForAll(30000);
    }
    m_window.reset();
    m_catalog.reset();
}

bool TestTrainingEstimate::settle(int timeoutMs)
{
    QElapsedTimer clock;
    clock.start();
    while (label()->isPending() && clock.elapsed() < timeoutMs)
        QTest::qWait(20);
    return !label()->isPending();
}

void TestTrainingEstimate::durationText_data()
{
    QTest::addColumn<double>("seconds");
    QTest::addColumn<QString>("text");
    QTest::newRow("a fraction of a second") << 0.2 << u"about 1 s"_s;
    QTest::newRow("seconds") << 42.4 << u"about 42 s"_s;
    QTest::newRow("a minute") << 61.0 << u"about 1 min"_s;
    QTest::newRow("minutes") << 4 * 60 + 10.0 << u"about 4 min"_s;
    QTest::newRow("an hour and a half") << 5400.0 << u"about 1.5 h"_s;
    QTest::newRow("a day") << 20 * 3600.0 << u"about 20 h"_s;
    QTest::newRow("days") << 3 * 86400.0 << u"about 3 days"_s;
}

void TestTrainingEstimate::durationText()
{
    QFETCH(double, seconds);
    QFETCH(QString, text);
    QCOMPARE(TrainingEstimateLabel::durationText(seconds), text);
}

void TestTrainingEstimate::noDatasetNoEstimate()
{
    QVERIFY(m_train->newModule(QString::fromLatin1(test::imageClassTask())));
    m_train->datasetPage()->setPath(QString());
    m_train->form()->setValue(u"data"_s, QString());
    QVERIFY(label()->isPending());
    QCOMPARE(label()->text(), u"Estimating…"_s);
    QVERIFY(settle());
    QCOMPARE(label()->text(), u"No estimate: choose a dataset first"_s);
    QVERIFY(!label()->estimate());
}

void TestTrainingEstimate::estimateForEachTask_data()
{
    QTest::addColumn<QString>("task");
    QTest::addColumn<QVariantMap>("args");
    QTest::addColumn<QString>("how");  // a piece of the "measured: ..." text

    QVariantMap images = test::quickTrainArguments(m_data.filePath(u"shapes"_s), u"estimate-shapes"_s, QString(), 10);
    images.remove(u"output"_s);
    images.insert(u"image-size"_s, 32);
    images.insert(u"init"_s, u"random"_s);
    QTest::newRow("image classification") << u"image-classification"_s << images << u"smallcnn at 32 px"_s;

    const QVariantMap series{{u"csv"_s, m_data.filePath(u"sine.csv"_s)},
                             {u"target"_s, u"value"_s},
                             {u"window"_s, 16},
                             {u"hidden"_s, 16},
                             {u"layers"_s, 1},
                             {u"epochs"_s, 10},
                             {u"batch"_s, 16},
                             {u"name"_s, u"estimate-sine"_s}};
    QTest::newRow("time series") << u"time-series"_s << series << u"window 16"_s;

    const QVariantMap raster{{u"raster"_s, QStringList{kScene}},
                             {u"scale"_s, 2},
                             {u"blocks"_s, 1},
                             {u"filters"_s, 8},
                             {u"patch"_s, 24},
                             {u"patches-per-epoch"_s, 96},
                             {u"batch"_s, 8},
                             {u"epochs"_s, 10},
                             {u"name"_s, u"estimate-l7"_s}};
    QTest::newRow("super-resolution") << u"super-resolution"_s << raster << u"24 px patches"_s;
}

void TestTrainingEstimate::estimateForEachTask()
{
    QFETCH(QString, task);
    QFETCH(QVariantMap, args);
    QFETCH(QString, how);
    if (task == u"super-resolution"_s && !QFile::exists(kScene))
        QSKIP("L7_ETMs.tif is not in the shared data");

    QVERIFY2(m_train->newModule(task), qPrintable(task));
    if (task == u"image-classification"_s) {  // the dataset chosen on its page, as a person does
        QSignalSpy ready(m_train->datasetPage(), &DatasetPage::summaryReady);
        m_train->datasetPage()->setPath(args.value(u"data"_s).toString());
        QVERIFY(ready.wait(10000));
    }
    for (auto it = args.begin(); it != args.end(); ++it)
        m_train->form()->setValue(it.key(), it.value());
    m_train->tabs()->setCurrentIndex(1);  // Parameters
    QCOMPARE(label()->text(), u"Estimating…"_s);
    QVERIFY(settle());
    QVERIFY2(label()->estimate(), qPrintable(label()->text()));
    const QString text = label()->text();
    QVERIFY2(text.startsWith(u"Estimated time: about "_s) && text.contains(u" on this CPU (measured: "_s) &&
                 text.contains(how) && text.contains(u"10 epochs"_s),
             qPrintable(text));
    QVERIFY2(QRegularExpression(u"about [0-9.]+ (s|min|h|days) on"_s).match(text).hasMatch(), qPrintable(text));
    const double ten = label()->estimate()->totalSeconds;
    QVERIFY(ten > 0.0);
    qInfo("%s: %s", qPrintable(task), qPrintable(text));

    if (task == u"image-classification"_s) {
        if (const QString folder = qEnvironmentVariable("DW_SCREENSHOT_DIR"); !folder.isEmpty()) {
            QTest::qWait(100);
            QVERIFY(QDir().mkpath(folder));
            QVERIFY(m_window->grab().save(QDir(folder).filePath(u"train-estimate.png"_s)));
        }
    }

    // Twice the epochs: about twice the time, from the same measurement (the epochs do not
    // change a batch's time).
    const JobManager &jobs = m_window->context().jobs();
    const int probes = estimateJobs(jobs);
    m_train->form()->setValue(u"epochs"_s, 20);
    QVERIFY(label()->isPending());
    QVERIFY(!label()->estimate());  // the old one no longer holds
    QVERIFY(settle());
    QVERIFY2(label()->estimate(), qPrintable(label()->text()));
    QVERIFY2(label()->text().contains(u"20 epochs"_s), qPrintable(label()->text()));
    const double twenty = label()->estimate()->totalSeconds;
    qInfo("%s: 10 epochs %.2f s, 20 epochs %.2f s", qPrintable(task), ten, twenty);
    QVERIFY2(twenty / ten > 1.5 && twenty / ten < 2.5, qPrintable(u"20 epochs / 10 epochs = %1"_s.arg(twenty / ten)));
    QCOMPARE(estimateJobs(jobs), probes);

    // A bigger batch changes a batch's time: measured again.
    m_train->form()->setValue(u"batch"_s, 32);
    QVERIFY(settle());
    QVERIFY2(label()->estimate(), qPrintable(label()->text()));
    QCOMPARE(estimateJobs(jobs), probes + 1);
    QCOMPARE(label()->estimate()->epochs, 20);
}

void TestTrainingEstimate::noProbeWhileATrainingRuns()
{
    QVERIFY(m_train->newModule(QString::fromLatin1(test::imageClassTask())));
    QVariantMap args = test::quickTrainArguments(m_data.filePath(u"shapes"_s), u"estimate-run"_s, QString(), 3);
    args.remove(u"output"_s);
    for (auto it = args.begin(); it != args.end(); ++it)
        m_train->form()->setValue(it.key(), it.value());
    QVERIFY(label()->isPending());
    QSignalSpy finished(m_train, &TrainingWorkspace::trainingFinished);
    QSignalSpy stopped(m_train, &TrainingWorkspace::trainingStopped);
    QVERIFY2(!m_train->startTraining().isEmpty(), qPrintable(m_window->context().messages().lastText()));
    QCOMPARE(label()->text(), u"No estimate while a training runs."_s);
    QVERIFY(!label()->isPending());
    // A change of the form while it runs does not start a probe either.
    JobManager &jobs = m_window->context().jobs();
    m_train->form()->setValue(u"epochs"_s, 4);
    bool probed = false;
    const QMetaObject::Connection watch =
        connect(&jobs, &JobManager::jobChanged, this, [&] { probed = probed || estimateRuns(jobs); });
    QVERIFY2(finished.wait(60000), stopped.isEmpty() ? "no signal" : qPrintable(stopped.first().first().toString()));
    disconnect(watch);
    QVERIFY(!probed);
    // Once it is over the device is free again: the estimate comes back.
    QVERIFY(label()->isPending());
    QVERIFY(settle());
    QVERIFY2(label()->estimate(), qPrintable(label()->text()));
}

QTEST_MAIN(TestTrainingEstimate)
#include "test_training_estimate.moc"
