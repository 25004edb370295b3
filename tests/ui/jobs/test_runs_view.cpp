// The Run History: run records read off the GUI thread into a sortable table (title, kind,
// start, duration, device, state, result), unreadable files skipped and counted, a record
// opened with its log and result, and the device a job ran on kept in its record.
#include "core/jobs/job_manager.h"
#include "core/jobs/run_record.h"
#include "core/jobs/run_record_list.h"
#include "ui/jobs/run_record_dialog.h"
#include "ui/jobs/run_record_model.h"
#include "ui/jobs/runs_view.h"

#include <QAbstractItemModelTester>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

using namespace dw;

namespace {

JobInfo record(const QString &id, const QString &title, JobState state, int startMinute, double seconds,
               const QString &device)
{
    JobInfo info;
    info.id = id;
    info.title = title;
    info.kind = title.startsWith(QLatin1String("Train")) ? QStringLiteral("train") : QStringLiteral("predict");
    info.state = state;
    info.device = device;
    info.created = QDateTime(QDate(2026, 11, 22), QTime(14, startMinute), QTimeZone::utc());
    info.started = info.created.addSecs(2);
    info.finished = info.started.addMSecs(qint64(seconds * 1000));
    info.log = {QStringLiteral("started %1").arg(id), QStringLiteral("epoch 1/2"), QStringLiteral("finished")};
    return info;
}

bool writeBytes(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size();
}

}  // namespace

class TestRunsView : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init();
    void listsRecordsAndCountsBadFiles();
    void sortsByDurationAndStart();
    void doubleClickOpensTheRecord();
    void missingFolderIsEmpty();
    void jobManagerRecordsTheDevice();

private:
    bool load(RunsView &view);
    int rowOf(const RunsView &view, const QString &title) const;

    QTemporaryDir m_dir;
    QString m_module;
};

void TestRunsView::init()
{
    QVERIFY(m_dir.isValid());
    const QString runs = m_dir.path();
    m_module = QDir(runs).filePath(QStringLiteral("modules/leaf-child-a"));
    JobInfo trained = record(QStringLiteral("20261122-140000-aaaa"), QStringLiteral("Train leaf-child-a"),
                             JobState::Done, 0, 754.0, QStringLiteral("cuda:0"));
    trained.result = QVariant::fromValue(QJsonValue(QJsonObject{{"kind", "json"},
                                                                {"module", m_module},
                                                                {"id", "leaf-child-a"},
                                                                {"best_epoch", 12},
                                                                {"metrics", QJsonObject{{"val_top1", 0.88}}}}));
    JobInfo failed = record(QStringLiteral("20261122-141000-bbbb"), QStringLiteral("Train leaf-child-b"),
                            JobState::Failed, 10, 3.5, QStringLiteral("cpu"));
    failed.error = QStringLiteral("the data folder has no images\nsecond line");
    JobInfo predicted = record(QStringLiteral("20261122-142000-cccc"), QStringLiteral("Classify 3 images"),
                               JobState::Done, 20, 41.0, QString());
    predicted.result =
        QVariant::fromValue(QJsonValue(QJsonObject{{"kind", "classification"}, {"predictions", QJsonArray{1, 2, 3}}}));
    for (const JobInfo &info : {trained, failed, predicted})
        QVERIFY(writeRunRecord(runs, info));
    QVERIFY(writeBytes(QDir(runs).filePath(QStringLiteral("20261122-143000-dddd.json")), "{\"id\": \"half a rec"));
    QVERIFY(writeBytes(QDir(runs).filePath(QStringLiteral("no-id.json")), "{\"title\": \"no id\"}"));
    QVERIFY(writeBytes(QDir(runs).filePath(QStringLiteral("notes.txt")), "not a record"));
}

bool TestRunsView::load(RunsView &view)
{
    QSignalSpy loaded(&view, &RunsView::loaded);
    view.setDirectory(m_dir.path());
    return !view.isLoading() || loaded.wait(10000);
}

int TestRunsView::rowOf(const RunsView &view, const QString &title) const
{
    const QAbstractItemModel *model = view.table()->model();
    for (int row = 0; row < model->rowCount(); ++row)
        if (model->index(row, RunRecordModel::Title).data().toString() == title)
            return row;
    return -1;
}

void TestRunsView::listsRecordsAndCountsBadFiles()
{
    RunsView view;
    QAbstractItemModelTester tester(view.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QVERIFY(load(view));
    QCOMPARE(view.model()->rowCount(), 3);
    QCOMPARE(view.skippedCount(), 2);
    QVERIFY(view.status()->text().contains(QStringLiteral("3 runs")));
    QVERIFY(view.status()->text().contains(QStringLiteral("2 unreadable files skipped")));
    QVERIFY(view.status()->toolTip().contains(QStringLiteral("no-id.json")));

    const QAbstractItemModel *model = view.table()->model();
    const int trained = rowOf(view, QStringLiteral("Train leaf-child-a"));
    QVERIFY(trained >= 0);
    QCOMPARE(model->index(trained, RunRecordModel::Kind).data().toString(), QStringLiteral("train"));
    QCOMPARE(model->index(trained, RunRecordModel::Device).data().toString(), QStringLiteral("cuda:0"));
    QCOMPARE(model->index(trained, RunRecordModel::Duration).data().toString(), QStringLiteral("12 min 34 s"));
    QCOMPARE(model->index(trained, RunRecordModel::State).data().toString(), QStringLiteral("done"));
    QCOMPARE(model->index(trained, RunRecordModel::Outcome).data().toString(),
             QStringLiteral("module leaf-child-a, best epoch 12, val_top1 0.88"));
    const int failed = rowOf(view, QStringLiteral("Train leaf-child-b"));
    QCOMPARE(model->index(failed, RunRecordModel::Outcome).data().toString(),
             QStringLiteral("the data folder has no images"));
    QCOMPARE(model->index(failed, RunRecordModel::Duration).data().toString(), QStringLiteral("3.5 s"));
    const int predicted = rowOf(view, QStringLiteral("Classify 3 images"));
    QCOMPARE(model->index(predicted, RunRecordModel::Outcome).data().toString(), QStringLiteral("3 predictions"));
    QCOMPARE(model->index(predicted, RunRecordModel::Device).data().toString(), QStringLiteral("—"));
}

void TestRunsView::sortsByDurationAndStart()
{
    RunsView view;
    QVERIFY(load(view));
    const QAbstractItemModel *model = view.table()->model();
    // Newest first by default.
    QCOMPARE(model->index(0, RunRecordModel::Title).data().toString(), QStringLiteral("Classify 3 images"));
    view.table()->sortByColumn(RunRecordModel::Duration, Qt::AscendingOrder);
    QStringList order;
    for (int row = 0; row < model->rowCount(); ++row)
        order << model->index(row, RunRecordModel::Title).data().toString();
    // By seconds, not by the text ("12 min 34 s" < "3.5 s" < "41.0 s" as strings).
    QCOMPARE(order, (QStringList{"Train leaf-child-b", "Classify 3 images", "Train leaf-child-a"}));
    view.table()->sortByColumn(RunRecordModel::Started, Qt::AscendingOrder);
    QCOMPARE(model->index(0, RunRecordModel::Title).data().toString(), QStringLiteral("Train leaf-child-a"));
}

void TestRunsView::doubleClickOpensTheRecord()
{
    RunsView view;
    view.resize(1000, 400);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QVERIFY(load(view));
    const int row = rowOf(view, QStringLiteral("Train leaf-child-a"));
    QTest::qWait(0);
    const QRect cell = view.table()->visualRect(view.table()->model()->index(row, RunRecordModel::Title));
    QVERIFY(view.table()->viewport()->rect().contains(cell.center()));
    QTest::mouseClick(view.table()->viewport(), Qt::LeftButton, {}, cell.center());
    QVERIFY(!view.lastDialog());  // one click selects, it does not open
    QTest::mouseDClick(view.table()->viewport(), Qt::LeftButton, {}, cell.center());
    RunRecordDialog *dialog = view.lastDialog();
    QVERIFY(dialog);
    QVERIFY(dialog->isVisible());
    QCOMPARE(dialog->record().id, QStringLiteral("20261122-140000-aaaa"));
    QVERIFY(dialog->logView()->isReadOnly());
    QCOMPARE(dialog->logView()->toPlainText(), QStringLiteral("started 20261122-140000-aaaa\nepoch 1/2\nfinished"));
    QVERIFY(dialog->resultView()->toPlainText().contains(QStringLiteral("\"best_epoch\": 12")));
    QVERIFY(dialog->openModuleButton());
    QSignalSpy requested(&view, &RunsView::moduleRequested);
    dialog->openModuleButton()->click();
    QCOMPARE(requested.count(), 1);
    QCOMPARE(requested.first().first().toString(), QStringLiteral("leaf-child-a"));

    // A failed run has no module to open, but its error.
    RunRecordDialog *failed = view.openRecord(rowOf(view, QStringLiteral("Train leaf-child-b")));
    QVERIFY(failed);
    QVERIFY(!failed->openModuleButton());
    QCOMPARE(failed->record().error, QStringLiteral("the data folder has no images\nsecond line"));
    failed->close();
}

void TestRunsView::missingFolderIsEmpty()
{
    const RunRecordList list = readRunRecords(m_dir.filePath(QStringLiteral("nowhere")));
    QVERIFY(list.records.isEmpty());
    QVERIFY(list.skipped.isEmpty());
    RunsView view;
    QSignalSpy loaded(&view, &RunsView::loaded);
    view.setDirectory(m_dir.filePath(QStringLiteral("nowhere")));
    QVERIFY(!view.isLoading() || loaded.wait(10000));
    QCOMPARE(view.model()->rowCount(), 0);
}

void TestRunsView::jobManagerRecordsTheDevice()
{
    QTemporaryDir runs;
    JobManager manager(runs.path());
    JobSpec spec;
    spec.title = QStringLiteral("device check");
    spec.device = QStringLiteral("cuda:1");
    spec.function = [](JobContext &) -> Result<QVariant> { return QVariant(QStringLiteral("ok")); };
    const QString id = manager.submit(std::move(spec));
    QVERIFY(manager.waitForAll(10000));
    QCOMPARE(manager.job(id).device, QStringLiteral("cuda:1"));
    JobInfo read;
    const auto finishedRecord = [&] {
        Result<JobInfo> r = readRunRecord(runRecordPath(runs.path(), id));
        if (r)
            read = *r;
        return r && read.state == JobState::Done;
    };
    QTRY_VERIFY_WITH_TIMEOUT(finishedRecord(), 10000);
    QCOMPARE(read.device, QStringLiteral("cuda:1"));
}

QTEST_MAIN(TestRunsView)
#include "test_runs_view.moc"
