// JobListModel under QAbstractItemModelTester: jobs appear newest first, their progress
// and state show up, cancel goes through the model, failures carry their message. Also
// the Jobs dock's Cancel button and error details.
#include "core/jobs/job_manager.h"
#include "ui/jobs/job_delegate.h"
#include "ui/jobs/job_list_model.h"
#include "ui/jobs/jobs_dock.h"

#include <QAbstractItemModelTester>
#include <QLabel>
#include <QListView>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QTest>
#include <QThread>

#include <atomic>

using namespace dw;

namespace {

// Reports half-way, then waits for cancellation (or for `release`).
JobSpec waitingJob(const QString &title, std::atomic_bool *release = nullptr)
{
    JobSpec spec;
    spec.title = title;
    spec.kind = QStringLiteral("test");
    spec.function = [release](JobContext &context) -> Result<QVariant> {
        context.setProgress(0.5, QStringLiteral("half-way"));
        while (!context.isCancelled() && !(release && release->load()))
            QThread::msleep(2);
        return QVariant(42);
    };
    return spec;
}

JobSpec failingJob()
{
    JobSpec spec;
    spec.title = QStringLiteral("Doomed");
    spec.function = [](JobContext &) -> Result<QVariant> {
        return failure(QStringLiteral("the disk is full: free some space and run it again"));
    };
    return spec;
}

}  // namespace

class TestJobListModel : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void emptyManager();
    void progressAndStateShowUp();
    void cancelThroughTheModel();
    void failureCarriesItsMessage();
    void removeFinishedKeepsActiveJobs();
    void listsJobsSubmittedBefore();
    void formatEta_data();
    void formatEta();
    void dockCancelButtonAndErrorDetails();
    void housekeepingLeavesWhenItSucceeds();
    void finishedJobsGoBelowRunningOnes();
    void dockFollowsTheNewestJobAndSaysWhenEmpty();
};

void TestJobListModel::emptyManager()
{
    JobManager manager;
    JobListModel model(&manager);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model.rowCount(), 0);
    QVERIFY(!model.cancel(0));
    QVERIFY(model.roleNames().contains(JobListModel::ProgressRole));
    JobListModel detached(nullptr);
    QCOMPARE(detached.rowCount(), 0);
}

void TestJobListModel::progressAndStateShowUp()
{
    JobManager manager;
    JobListModel model(&manager);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    std::atomic_bool release = false;
    const QString id = manager.submit(waitingJob(QStringLiteral("Train plankton"), &release));
    QCOMPARE(model.rowCount(), 1);
    const QModelIndex index = model.index(0);
    QCOMPARE(index.data(Qt::DisplayRole).toString(), QStringLiteral("Train plankton"));
    QCOMPARE(index.data(JobListModel::IdRole).toString(), id);
    QTRY_COMPARE_WITH_TIMEOUT(index.data(JobListModel::StateRole).toInt(), int(JobState::Running), 5000);
    QTRY_COMPARE_WITH_TIMEOUT(index.data(JobListModel::ProgressRole).toDouble(), 0.5, 5000);
    QCOMPARE(index.data(JobListModel::StateNameRole).toString(), QStringLiteral("running"));
    QVERIFY(index.data(JobListModel::CancellableRole).toBool());
    QVERIFY(index.data(JobListModel::StatusTextRole).toString().contains(QLatin1String("50%")));
    QTRY_VERIFY_WITH_TIMEOUT(index.data(JobListModel::MessageRole).toString() == QLatin1String("half-way"), 5000);
    QCOMPARE(model.activeCount(), 1);

    // A second job goes on top.
    const QString second = manager.submit(waitingJob(QStringLiteral("Predict")));
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.index(0).data(JobListModel::IdRole).toString(), second);
    QCOMPARE(model.rowOf(id), 1);

    release = true;
    QTRY_COMPARE_WITH_TIMEOUT(model.index(1).data(JobListModel::StateRole).toInt(), int(JobState::Done), 5000);
    QVERIFY(model.index(1).data(JobListModel::FinishedRole).toBool());
    QVERIFY(!model.index(1).data(JobListModel::CancellableRole).toBool());
    QCOMPARE(model.jobAt(1).result.toInt(), 42);
    QVERIFY(model.cancel(model.index(0)));
    QVERIFY(manager.waitForAll(5000));
}

void TestJobListModel::cancelThroughTheModel()
{
    JobManager manager;
    JobListModel model(&manager);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    manager.submit(waitingJob(QStringLiteral("Long training")));
    QTRY_COMPARE_WITH_TIMEOUT(model.index(0).data(JobListModel::StateRole).toInt(), int(JobState::Running), 5000);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QVERIFY(model.cancel(0));
    QTRY_COMPARE_WITH_TIMEOUT(model.index(0).data(JobListModel::StateRole).toInt(), int(JobState::Cancelled), 5000);
    QVERIFY(!changed.isEmpty());
    QVERIFY(!model.index(0).data(JobListModel::CancellableRole).toBool());
    QVERIFY(model.index(0).data(JobListModel::StatusTextRole).toString().startsWith(QLatin1String("cancelled")));
    QVERIFY(!model.cancel(0));  // already over
    QCOMPARE(model.activeCount(), 0);
}

void TestJobListModel::failureCarriesItsMessage()
{
    JobManager manager;
    JobListModel model(&manager);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy failed(&model, &JobListModel::jobFailed);
    const QString id = manager.submit(failingJob());
    QVERIFY(failed.wait(5000));
    QCOMPARE(failed.first().at(0).toString(), id);
    const QModelIndex index = model.index(0);
    QCOMPARE(index.data(JobListModel::StateRole).toInt(), int(JobState::Failed));
    QVERIFY(index.data(JobListModel::ErrorRole).toString().contains(QLatin1String("disk is full")));
    QVERIFY(index.data(Qt::ToolTipRole).toString().contains(QLatin1String("disk is full")));
    QVERIFY(index.data(JobListModel::StatusTextRole).toString().contains(QLatin1String("disk is full")));
}

void TestJobListModel::removeFinishedKeepsActiveJobs()
{
    JobManager manager;
    JobListModel model(&manager);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy failed(&model, &JobListModel::jobFailed);
    manager.submit(failingJob());
    QVERIFY(failed.wait(5000));
    const QString running = manager.submit(waitingJob(QStringLiteral("Still going")));
    QCOMPARE(model.rowCount(), 2);
    model.removeFinished();
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.index(0).data(JobListModel::IdRole).toString(), running);
    manager.cancelAll();
    QVERIFY(manager.waitForAll(5000));
    model.removeFinished();
    QCOMPARE(model.rowCount(), 0);
}

void TestJobListModel::listsJobsSubmittedBefore()
{
    JobManager manager;
    const QString id = manager.submit(failingJob());
    QVERIFY(manager.waitForAll(5000));
    JobListModel model(&manager);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.index(0).data(JobListModel::IdRole).toString(), id);
}

void TestJobListModel::formatEta_data()
{
    QTest::addColumn<qint64>("seconds");
    QTest::addColumn<QString>("text");
    QTest::newRow("unknown") << qint64(-1) << QString();
    QTest::newRow("seconds") << qint64(42) << QStringLiteral("42 s left");
    QTest::newRow("minutes") << qint64(125) << QStringLiteral("2 min 05 s left");
    QTest::newRow("hours") << qint64(3 * 3600 + 7 * 60) << QStringLiteral("3 h 07 min left");
}

void TestJobListModel::formatEta()
{
    QFETCH(qint64, seconds);
    QFETCH(QString, text);
    QCOMPARE(JobListModel::formatEta(seconds), text);
}

void TestJobListModel::dockCancelButtonAndErrorDetails()
{
    JobManager manager;
    JobsDock dock(&manager);
    dock.resize(700, 260);
    dock.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dock));
    manager.submit(waitingJob(QStringLiteral("Cancel me")));
    JobListModel *model = dock.model();
    QTRY_COMPARE_WITH_TIMEOUT(model->index(0).data(JobListModel::StateRole).toInt(), int(JobState::Running), 5000);
    QVERIFY(dock.windowTitle().contains(QLatin1String("running")));

    // Click the row's Cancel button.
    QListView *view = dock.view();
    QStyleOptionViewItem option;
    option.initFrom(view);
    option.rect = view->visualRect(model->index(0));
    const QRect button = JobDelegate::cancelButtonRect(option);
    QVERIFY(button.isValid());
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, button.center());
    QTRY_COMPARE_WITH_TIMEOUT(model->index(0).data(JobListModel::StateRole).toInt(), int(JobState::Cancelled), 5000);
    QCOMPARE(dock.windowTitle(), QStringLiteral("Jobs"));

    // A failure is selected and explained without a click.
    manager.submit(failingJob());
    QTRY_VERIFY_WITH_TIMEOUT(dock.details()->toPlainText().contains(QLatin1String("disk is full")), 5000);
    QCOMPARE(view->currentIndex().row(), 0);
}

// Issue 17 item 12: the list does not fill with "Scan the module catalog — took 0.0 s".
void TestJobListModel::housekeepingLeavesWhenItSucceeds()
{
    JobManager manager;
    JobListModel model(&manager);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    std::atomic_bool release = false;
    JobSpec scan = waitingJob(QStringLiteral("Scan the module catalog"), &release);
    scan.kind = QStringLiteral("catalog-scan");
    const QString id = manager.submit(std::move(scan));
    QCOMPARE(model.rowOf(id), 0);  // listed while it runs
    release = true;
    QVERIFY(manager.waitForAll(5000));
    QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), 0, 5000);
    // A failed one stays, with its error.
    JobSpec broken = failingJob();
    broken.kind = QStringLiteral("catalog-scan");
    QSignalSpy failed(&model, &JobListModel::jobFailed);
    const QString brokenId = manager.submit(std::move(broken));
    QVERIFY(failed.wait(5000));
    QCOMPARE(model.rowOf(brokenId), 0);
    QVERIFY(JobListModel::isHousekeeping(QStringLiteral("dataset")));
    QVERIFY(JobListModel::isHousekeeping(QStringLiteral("estimate")));
    QVERIFY(!JobListModel::isHousekeeping(QStringLiteral("train")));
    // One cancelled because a newer one replaces it leaves too (a training-time estimate after
    // each change of the form).
    std::atomic_bool never = false;
    JobSpec stale = waitingJob(QStringLiteral("Estimate the training time"), &never);
    stale.kind = QStringLiteral("estimate");
    const QString staleId = manager.submit(std::move(stale));
    QCOMPARE(model.rowOf(staleId), 0);
    QVERIFY(manager.cancel(staleId));
    QVERIFY(manager.waitForAll(5000));
    QTRY_COMPARE_WITH_TIMEOUT(model.rowOf(staleId), -1, 5000);
    QCOMPARE(model.rowOf(brokenId), 0);
}

// Issue 17 item 12: a running job is not pushed out of view by jobs that finished after it.
void TestJobListModel::finishedJobsGoBelowRunningOnes()
{
    JobManager manager;
    JobListModel model(&manager);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const QString training = manager.submit(waitingJob(QStringLiteral("Train")));
    std::atomic_bool release = false;
    const QString predict = manager.submit(waitingJob(QStringLiteral("Predict"), &release));
    QCOMPARE(model.rowOf(predict), 0);
    QCOMPARE(model.rowOf(training), 1);
    release = true;
    QTRY_COMPARE_WITH_TIMEOUT(model.jobAt(model.rowOf(predict)).state, JobState::Done, 5000);
    QCOMPARE(model.rowOf(training), 0);
    QCOMPARE(model.rowOf(predict), 1);
    // A newer job goes on top; the older finished one stays below the running ones.
    const QString export_ = manager.submit(waitingJob(QStringLiteral("Export")));
    QCOMPARE(model.rowOf(export_), 0);
    QCOMPARE(model.rowOf(training), 1);
    QCOMPARE(model.rowOf(predict), 2);
    manager.cancelAll();
    QVERIFY(manager.waitForAll(5000));
}

// Issue 17 item 12: the details follow the newest job until one is clicked; an empty list
// says what would be there.
void TestJobListModel::dockFollowsTheNewestJobAndSaysWhenEmpty()
{
    JobManager manager;
    JobsDock dock(&manager);
    dock.resize(700, 260);
    dock.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dock));
    QVERIFY(dock.emptyHint()->isVisible());
    QVERIFY(!dock.view()->isVisible());

    std::atomic_bool release = false;
    manager.submit(waitingJob(QStringLiteral("First"), &release));
    QVERIFY(!dock.emptyHint()->isVisible());
    QVERIFY(dock.view()->isVisible());
    QTRY_VERIFY_WITH_TIMEOUT(dock.details()->toPlainText().startsWith(QLatin1String("First")), 5000);
    manager.submit(waitingJob(QStringLiteral("Second"), &release));
    QTRY_VERIFY_WITH_TIMEOUT(dock.details()->toPlainText().startsWith(QLatin1String("Second")), 5000);

    // Once the user picks a job, the details stay on it.
    QListView *view = dock.view();
    const QModelIndex first = dock.model()->index(dock.model()->rowOf(manager.jobs().first().id));
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, view->visualRect(first).topLeft() + QPoint(8, 8));
    QTRY_VERIFY_WITH_TIMEOUT(dock.details()->toPlainText().startsWith(QLatin1String("First")), 5000);
    manager.submit(waitingJob(QStringLiteral("Third"), &release));
    QTest::qWait(50);
    QVERIFY(dock.details()->toPlainText().startsWith(QLatin1String("First")));

    release = true;
    QVERIFY(manager.waitForAll(5000));
    QTRY_COMPARE_WITH_TIMEOUT(dock.model()->activeCount(), 0, 5000);
    dock.model()->removeFinished();
    QVERIFY(dock.emptyHint()->isVisible());
    QVERIFY(dock.emptyHint()->text().contains(QLatin1String("No jobs")));
    QVERIFY(dock.details()->toPlainText().isEmpty());
}

QTEST_MAIN(TestJobListModel)
#include "test_job_list_model.moc"
