// Run records: written by the job manager at the start and the end of every job (and for
// a job cancelled while queued), valid JSON with the final state, read back by readRunRecord.
#include "core/jobs/job_manager.h"
#include "core/jobs/run_record.h"
#include "core/task/task_result.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

using namespace dw;
using namespace Qt::StringLiterals;

namespace {

JobFunction steppingJob(int steps, int stepMs)
{
    return [steps, stepMs](JobContext &context) -> Result<QVariant> {
        for (int i = 0; i < steps; ++i) {
            if (context.isCancelled())
                return failure(u"cancelled at step %1"_s.arg(i));
            QThread::msleep(stepMs);
            context.setProgress(i + 1, steps);
        }
        return QVariant(steps);
    };
}

JobSpec spec(JobFunction function, JobQueue queue = JobQueue::Cpu)
{
    return JobSpec{u"test job"_s, u"test"_s, queue, u"cpu"_s, std::move(function)};
}

bool waitFinished(QSignalSpy &spy, const QString &id, int timeoutMs = 10000)
{
    QElapsedTimer timer;
    timer.start();
    for (;;) {
        for (const QList<QVariant> &args : spy) {
            if (args.value(0).toString() == id)
                return true;
        }
        const int left = timeoutMs - int(timer.elapsed());
        if (left <= 0 || !spy.wait(left))
            return false;
    }
}

}  // namespace

class TestRunRecord : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void runRecordWritten();
    void runRecordAtStart();
    void runRecordOfFailedAndQueuedCancelledJobs();
    void unwritableFolderDoesNotFailTheJob();
    void readErrors();
    void taskResultInRecord();
    void jobInfoJsonRoundTrip();
};

void TestRunRecord::runRecordWritten()
{
    QTemporaryDir dir;
    QString id;
    {
        JobManager manager(dir.path());
        QCOMPARE(manager.runsDirectory(), dir.path());
        QSignalSpy finished(&manager, &JobManager::jobFinished);
        id = manager.submit(JobSpec{u"Train flowers"_s, u"train"_s, JobQueue::Gpu, u"cpu"_s,
                                    [](JobContext &context) -> Result<QVariant> {
                                        context.log(u"loading 120 images"_s);
                                        context.setProgress(0.5, u"epoch 1/2"_s);
                                        context.log(u"epoch 1: loss 0.42"_s);
                                        return QVariant(QJsonObject{{u"accuracy"_s, 0.93}});
                                    }});
        QVERIFY(waitFinished(finished, id));
    }  // the destructor waits for the record to be on disk
    QFile file(runRecordPath(dir.path(), id));
    QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(file.fileName()));
    QJsonParseError error{};
    const QJsonObject record = QJsonDocument::fromJson(file.readAll(), &error).object();
    QCOMPARE(error.error, QJsonParseError::NoError);
    QCOMPARE(record.value(u"id"_s).toString(), id);
    QCOMPARE(record.value(u"title"_s).toString(), u"Train flowers"_s);
    QCOMPARE(record.value(u"kind"_s).toString(), u"train"_s);
    QCOMPARE(record.value(u"queue"_s).toString(), u"gpu"_s);
    QCOMPARE(record.value(u"state"_s).toString(), u"done"_s);
    QCOMPARE(record.value(u"progress"_s).toDouble(), 1.0);
    QCOMPARE(record.value(u"log"_s).toArray(), (QJsonArray{u"loading 120 images"_s, u"epoch 1: loss 0.42"_s}));
    QCOMPARE(record.value(u"result"_s).toObject().value(u"accuracy"_s).toDouble(), 0.93);
    QVERIFY(!record.value(u"finished"_s).toString().isEmpty());
    QVERIFY(record.value(u"duration_seconds"_s).toDouble() >= 0.0);

    const Result<JobInfo> back = readRunRecord(file.fileName());
    QVERIFY(back.ok());
    QCOMPARE(back->state, JobState::Done);
    QCOMPARE(back->id, id);
}

void TestRunRecord::runRecordAtStart()
{
    QTemporaryDir dir;
    JobManager manager(dir.path());
    QSignalSpy finished(&manager, &JobManager::jobFinished);
    // The job reads its own record: it was written before the job began.
    const QString runs = dir.path();
    const QString id = manager.submit(spec([runs](JobContext &context) -> Result<QVariant> {
        const Result<JobInfo> record = readRunRecord(runRecordPath(runs, context.jobId()));
        if (!record)
            return record.error();
        return QVariant(jobStateName(record->state));
    }));
    QVERIFY(waitFinished(finished, id));
    QCOMPARE(manager.job(id).error, QString());
    QCOMPARE(manager.job(id).result.toString(), u"running"_s);
}

void TestRunRecord::runRecordOfFailedAndQueuedCancelledJobs()
{
    QTemporaryDir dir;
    QString failed;
    QString queued;
    {
        JobManager manager(dir.path());
        QSignalSpy finished(&manager, &JobManager::jobFinished);
        const QString blocker = manager.submit(spec(steppingJob(100000, 2), JobQueue::Gpu));
        queued = manager.submit(spec(steppingJob(1, 0), JobQueue::Gpu));
        manager.cancel(queued);
        failed = manager.submit(spec([](JobContext &) -> Result<QVariant> { return failure(u"no labels"_s); }));
        QVERIFY(waitFinished(finished, failed));
        manager.cancel(blocker);
    }
    const Result<JobInfo> failedRecord = readRunRecord(runRecordPath(dir.path(), failed));
    QVERIFY(failedRecord.ok());
    QCOMPARE(failedRecord->state, JobState::Failed);
    QCOMPARE(failedRecord->error, u"no labels"_s);
    const Result<JobInfo> queuedRecord = readRunRecord(runRecordPath(dir.path(), queued));
    QVERIFY(queuedRecord.ok());
    QCOMPARE(queuedRecord->state, JobState::Cancelled);
    QVERIFY(!queuedRecord->started.isValid());
}

void TestRunRecord::taskResultInRecord()
{
    ClassificationResult classification;
    classification.items.append({u"a.jpg"_s, {{u"rose"_s, 0.9}}, {}});
    JobInfo info;
    info.id = u"x"_s;
    info.result = QVariant::fromValue(TaskResult{classification});
    const QJsonObject json = runRecordJson(info);
    QCOMPARE(json.value(u"result"_s).toObject().value(u"kind"_s).toString(), u"classification"_s);
    QCOMPARE(json.value(u"result"_s).toObject().value(u"predictions"_s).toArray().size(), 1);
    info.result = QVariant();
    QVERIFY(!runRecordJson(info).contains(u"result"_s));
}

void TestRunRecord::jobInfoJsonRoundTrip()
{
    JobInfo info;
    info.id = u"20261122-143005-123-00013f2a"_s;
    info.title = u"Predict"_s;
    info.kind = u"predict"_s;
    info.queue = JobQueue::Gpu;
    info.state = JobState::Failed;
    info.progress = 0.25;
    info.message = u"tile 3/12"_s;
    info.etaSeconds = 42;
    info.log = QStringList{u"a"_s, u"b"_s};
    info.error = u"out of GPU memory"_s;
    info.created = QDateTime::fromMSecsSinceEpoch(1700000000000LL, Qt::UTC);
    info.started = info.created.addMSecs(1500);
    info.finished = info.started.addSecs(10);
    const QJsonObject json = info.toJson();
    QCOMPARE(json.value(u"state"_s).toString(), u"failed"_s);
    QCOMPARE(json.value(u"duration_seconds"_s).toDouble(), 10.0);
    const JobInfo back = JobInfo::fromJson(json);
    QCOMPARE(back.id, info.id);
    QCOMPARE(back.title, info.title);
    QCOMPARE(back.kind, info.kind);
    QCOMPARE(back.queue, info.queue);
    QCOMPARE(back.state, info.state);
    QCOMPARE(back.progress, info.progress);
    QCOMPARE(back.message, info.message);
    QCOMPARE(back.etaSeconds, info.etaSeconds);
    QCOMPARE(back.log, info.log);
    QCOMPARE(back.error, info.error);
    QCOMPARE(back.created, info.created);
    QCOMPARE(back.started, info.started);
    QCOMPARE(back.finished, info.finished);
    for (JobState state : {JobState::Queued, JobState::Running, JobState::Done, JobState::Failed, JobState::Cancelled})
        QCOMPARE(jobStateFromName(jobStateName(state)), std::optional<JobState>(state));
    QVERIFY(isFinished(JobState::Cancelled) && !isFinished(JobState::Running));
}

void TestRunRecord::unwritableFolderDoesNotFailTheJob()
{
    QTemporaryDir dir;
    // A file where the runs folder should be: records cannot be written, the job still runs.
    const QString blocked = dir.filePath(u"runs"_s);
    QFile file(blocked);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.close();
    JobManager manager(blocked);
    QSignalSpy finished(&manager, &JobManager::jobFinished);
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"cannot create the run record folder"_s));
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"cannot create the run record folder"_s));
    const QString id = manager.submit(spec(steppingJob(1, 0)));
    QVERIFY(waitFinished(finished, id));
    QVERIFY(manager.waitForAll(5000));
    QCOMPARE(manager.job(id).state, JobState::Done);
}

void TestRunRecord::readErrors()
{
    QTemporaryDir dir;
    QVERIFY(!readRunRecord(dir.filePath(u"missing.json"_s)).ok());
    const QString junk = dir.filePath(u"junk.json"_s);
    QFile file(junk);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("{\"id\": ");
    file.close();
    const Result<JobInfo> bad = readRunRecord(junk);
    QVERIFY(!bad.ok());
    QVERIFY(bad.error().message.contains(u"not a valid run record"_s));
}

QTEST_GUILESS_MAIN(TestRunRecord)
#include "test_run_record.moc"
