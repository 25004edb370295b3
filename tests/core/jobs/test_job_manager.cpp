// JobManager: progress and results reach the test (GUI) thread, cancellation is quick,
// failures and exceptions arrive as messages, the GPU queue runs one job at a time in
// order while the CPU pool runs jobs side by side. Run records: test_run_record.cpp.
#include "core/jobs/job_manager.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <atomic>
#include <memory>
#include <mutex>
#include <stdexcept>

using namespace dw;
using namespace Qt::StringLiterals;

namespace {

// A cooperative job: `steps` steps of `stepMs`, checking the flag before each.
JobFunction steppingJob(int steps, int stepMs)
{
    return [steps, stepMs](JobContext &context) -> Result<QVariant> {
        for (int i = 0; i < steps; ++i) {
            if (context.isCancelled())
                return failure(u"cancelled at step %1"_s.arg(i));
            QThread::msleep(stepMs);
            context.setProgress(i + 1, steps, u"step %1/%2"_s.arg(i + 1).arg(steps));
        }
        return QVariant(steps);
    };
}

JobSpec spec(JobFunction function, JobQueue queue = JobQueue::Cpu, const QString &title = u"test job"_s)
{
    return JobSpec{title, u"test"_s, queue, u"cpu"_s, std::move(function)};
}

// Waits until the job with `id` has finished (the spy may have caught it already).
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

struct Interval {
    int index;
    qint64 startNs;
    qint64 endNs;
};

}  // namespace

class TestJobManager : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void progressReachesGuiThread();
    void progressIsThrottled();
    void cancelCooperativeJobWithin100ms();
    void failingJobDeliversMessage();
    void exceptionBecomesFailure_data();
    void exceptionBecomesFailure();
    void gpuQueueRunsOneJobAtATimeInOrder();
    void cpuJobsRunConcurrently();
    void cancelQueuedJob();
    void idsAreUniqueAndSortable();
    void logIsCapped();
    void contextCarriesDeviceAndFolder();
    void waitForAllTimesOut();
    void forgetOnlyFinishedJobs();
    void destructorCancelsAndWaits();
};

void TestJobManager::progressReachesGuiThread()
{
    JobManager manager;
    QThread *const testThread = QThread::currentThread();
    QList<double> progress;
    QList<qint64> etas;
    bool allOnTestThread = true;
    QString id;
    connect(&manager, &JobManager::jobChanged, this, [&](const QString &changed) {
        allOnTestThread = allOnTestThread && QThread::currentThread() == testThread;
        const JobInfo info = manager.job(changed);
        if (info.state == JobState::Running) {
            progress << info.progress;
            etas << info.etaSeconds;
        }
    });
    QSignalSpy added(&manager, &JobManager::jobAdded);
    QSignalSpy finished(&manager, &JobManager::jobFinished);
    id = manager.submit(spec(steppingJob(25, 40)));
    QCOMPARE(added.count(), 1);
    QCOMPARE(added.first().first().toString(), id);
    QVERIFY(waitFinished(finished, id));

    QVERIFY(allOnTestThread);
    QVERIFY2(progress.size() >= 5, qPrintable(QString::number(progress.size())));
    for (qsizetype i = 1; i < progress.size(); ++i)
        QVERIFY(progress.at(i) >= progress.at(i - 1));
    QVERIFY(progress.last() > 0.5);
    // With a second left and work still to do, the estimate is a positive number of seconds.
    QVERIFY(std::any_of(etas.cbegin(), etas.cend(), [](qint64 eta) { return eta > 0; }));

    const JobInfo info = manager.job(id);
    QCOMPARE(info.state, JobState::Done);
    QCOMPARE(info.progress, 1.0);
    QCOMPARE(info.etaSeconds, 0);
    QCOMPARE(info.result, QVariant(25));
    QVERIFY(info.error.isEmpty());
    QVERIFY(info.started.isValid() && info.finished.isValid() && info.created <= info.started);
    QCOMPARE(manager.activeCount(), 0);
}

void TestJobManager::progressIsThrottled()
{
    JobManager manager;
    int changes = 0;
    connect(&manager, &JobManager::jobChanged, this, [&] { ++changes; });
    QSignalSpy finished(&manager, &JobManager::jobFinished);
    QElapsedTimer timer;
    timer.start();
    // 4000 reports as fast as the job can make them, over about half a second.
    const QString id = manager.submit(spec([](JobContext &context) -> Result<QVariant> {
        for (int i = 1; i <= 4000; ++i) {
            context.setProgress(i, 4000);
            if (i % 40 == 0)
                QThread::usleep(5000);
        }
        return QVariant();
    }));
    QVERIFY(waitFinished(finished, id));
    const qint64 elapsedMs = timer.elapsed();
    qInfo("%d jobChanged for 4000 progress reports in %lld ms", changes, elapsedMs);
    // At most 20 per second, plus the start and the finish.
    QVERIFY2(changes <= elapsedMs / 50 + 4, qPrintable(u"%1 changes in %2 ms"_s.arg(changes).arg(elapsedMs)));
    QVERIFY(changes >= 2);
    // The last report is never lost to throttling.
    QCOMPARE(manager.job(id).progress, 1.0);
}

void TestJobManager::cancelCooperativeJobWithin100ms()
{
    JobManager manager;
    QSignalSpy changed(&manager, &JobManager::jobChanged);
    QSignalSpy finished(&manager, &JobManager::jobFinished);
    const QString id = manager.submit(spec(steppingJob(100000, 2)));
    // Wait until it is really running and reporting.
    while (!(manager.job(id).state == JobState::Running && manager.job(id).progress > 0))
        QVERIFY(changed.wait(5000));

    QElapsedTimer timer;
    timer.start();
    QVERIFY(manager.cancel(id));
    QVERIFY(waitFinished(finished, id, 5000));
    const qint64 elapsedMs = timer.elapsed();
    qInfo("cancel() to jobFinished: %lld ms", elapsedMs);
    QVERIFY2(elapsedMs < 100, qPrintable(u"cancellation took %1 ms"_s.arg(elapsedMs)));

    const JobInfo info = manager.job(id);
    QCOMPARE(info.state, JobState::Cancelled);
    QVERIFY(info.error.isEmpty());
    QVERIFY(!manager.cancel(id));  // already finished
}

void TestJobManager::failingJobDeliversMessage()
{
    JobManager manager;
    QSignalSpy finished(&manager, &JobManager::jobFinished);
    const QString id = manager.submit(spec([](JobContext &) -> Result<QVariant> {
        return failure(u"the folder /data/flowers has no images; add one folder per class"_s, u"data"_s);
    }));
    QVERIFY(waitFinished(finished, id));
    const JobInfo info = manager.job(id);
    QCOMPARE(info.state, JobState::Failed);
    QCOMPARE(info.error, u"data: the folder /data/flowers has no images; add one folder per class"_s);
    QVERIFY(!info.result.isValid());
    QVERIFY(info.log.last().contains(info.error));
}

void TestJobManager::exceptionBecomesFailure_data()
{
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("message");
    QTest::newRow("std::runtime_error") << 0 << u"out of memory while allocating 12 GB"_s;
    QTest::newRow("LibTorch-style backtrace") << 1 << u"shape mismatch: [2, 3] vs [3, 2]"_s;
    QTest::newRow("not an exception class") << 2 << u"the job stopped with an unknown error"_s;
}

void TestJobManager::exceptionBecomesFailure()
{
    QFETCH(int, kind);
    QFETCH(QString, message);
    JobManager manager;
    QSignalSpy finished(&manager, &JobManager::jobFinished);
    const QString id = manager.submit(spec(
        [kind](JobContext &) -> Result<QVariant> {
            if (kind == 0)
                throw std::runtime_error("out of memory while allocating 12 GB");
            if (kind == 1)
                throw std::runtime_error("shape mismatch: [2, 3] vs [3, 2]\nException raised from check at x.cpp:12 "
                                         "(most recent call first):\nframe #0: ...");
            throw 42;
        },
        JobQueue::Gpu));
    QVERIFY(waitFinished(finished, id));
    const JobInfo info = manager.job(id);
    QCOMPARE(info.state, JobState::Failed);
    QCOMPARE(info.error, message);
    // The worker thread survives: the queue runs the next job.
    const QString next = manager.submit(spec(steppingJob(1, 0), JobQueue::Gpu));
    QVERIFY(waitFinished(finished, next));
    QCOMPARE(manager.job(next).state, JobState::Done);
}

void TestJobManager::gpuQueueRunsOneJobAtATimeInOrder()
{
    JobManager manager;
    QElapsedTimer clock;
    clock.start();
    std::mutex mutex;
    QList<Interval> intervals;
    const int count = 5;
    for (int i = 0; i < count; ++i) {
        manager.submit(spec(
            [&, i](JobContext &) -> Result<QVariant> {
                const qint64 start = clock.nsecsElapsed();
                QThread::msleep(40);
                const qint64 end = clock.nsecsElapsed();
                std::lock_guard lock(mutex);
                intervals.append({i, start, end});
                return QVariant(i);
            },
            JobQueue::Gpu));
    }
    QVERIFY(manager.waitForAll(20000));
    QCOMPARE(intervals.size(), count);
    for (int i = 0; i < count; ++i) {
        QCOMPARE(intervals.at(i).index, i);  // FIFO: recorded in submission order
        if (i > 0)
            QVERIFY2(intervals.at(i).startNs >= intervals.at(i - 1).endNs, "two GPU jobs overlapped");
    }
    for (const JobInfo &info : manager.jobs())
        QCOMPARE(info.state, JobState::Done);
}

void TestJobManager::cpuJobsRunConcurrently()
{
    JobManager manager;
    // Each job waits for the other to have started: both finish only if they run side by side.
    auto arrived = std::make_shared<std::atomic_int>(0);
    const JobFunction meet = [arrived](JobContext &) -> Result<QVariant> {
        arrived->fetch_add(1);
        QElapsedTimer timer;
        timer.start();
        while (arrived->load() < 2) {
            if (timer.elapsed() > 5000)
                return failure(u"the other CPU job never started"_s);
            QThread::msleep(1);
        }
        return QVariant(true);
    };
    const QString a = manager.submit(spec(meet));
    const QString b = manager.submit(spec(meet));
    QVERIFY(manager.waitForAll(20000));
    QCOMPARE(manager.job(a).state, JobState::Done);
    QCOMPARE(manager.job(b).state, JobState::Done);
}

void TestJobManager::cancelQueuedJob()
{
    JobManager manager;
    QSignalSpy finished(&manager, &JobManager::jobFinished);
    const QString blocker = manager.submit(spec(steppingJob(100000, 2), JobQueue::Gpu));
    auto ran = std::make_shared<std::atomic_bool>(false);
    const QString queued = manager.submit(spec(
        [ran](JobContext &) -> Result<QVariant> {
            ran->store(true);
            return QVariant();
        },
        JobQueue::Gpu));
    QCOMPARE(manager.job(queued).state, JobState::Queued);
    QCOMPARE(manager.activeCount(), 2);

    QVERIFY(manager.cancel(queued));
    // At once: no waiting for the job ahead of it.
    QCOMPARE(manager.job(queued).state, JobState::Cancelled);
    QCOMPARE(finished.count(), 1);
    QCOMPARE(finished.first().first().toString(), queued);
    QCOMPARE(manager.activeCount(), 1);

    QVERIFY(manager.cancel(blocker));
    QVERIFY(waitFinished(finished, blocker));
    QCOMPARE(manager.job(blocker).state, JobState::Cancelled);
    QVERIFY(manager.waitForAll(5000));
    QVERIFY(!ran->load());
    QVERIFY(!manager.cancel(u"no-such-job"_s));
}

void TestJobManager::idsAreUniqueAndSortable()
{
    JobManager manager;
    QStringList ids;
    for (int i = 0; i < 50; ++i)
        ids << manager.submit(spec(steppingJob(1, 0)));
    QVERIFY(manager.waitForAll(20000));
    QStringList sorted = ids;
    sorted.sort();
    QCOMPARE(sorted, ids);
    sorted.removeDuplicates();
    QCOMPARE(sorted.size(), ids.size());
    QList<JobInfo> jobs = manager.jobs();
    QCOMPARE(jobs.size(), 50);
    for (int i = 0; i < 50; ++i)
        QCOMPARE(jobs.at(i).id, ids.at(i));
    QVERIFY(manager.job(u"unknown"_s).id.isEmpty());
}

void TestJobManager::logIsCapped()
{
    JobManager manager;
    QSignalSpy finished(&manager, &JobManager::jobFinished);
    const QString id = manager.submit(spec([](JobContext &context) -> Result<QVariant> {
        for (int i = 0; i < 5000; ++i)
            context.log(u"line %1"_s.arg(i));
        return QVariant();
    }));
    QVERIFY(waitFinished(finished, id));
    const QStringList log = manager.job(id).log;
    QVERIFY(log.size() <= 2000);
    QVERIFY(log.size() >= 1000);
    QCOMPARE(log.last(), u"line 4999"_s);  // the newest are kept
}

void TestJobManager::contextCarriesDeviceAndFolder()
{
    QTemporaryDir dir;
    JobManager manager(dir.path());
    QSignalSpy finished(&manager, &JobManager::jobFinished);
    const QString id = manager.submit(
        JobSpec{u"t"_s, u"k"_s, JobQueue::Gpu, u"cuda:1"_s, [](JobContext &context) -> Result<QVariant> {
                    return QVariant(QStringList{context.jobId(), context.device(), context.workDirectory()});
                }});
    QVERIFY(waitFinished(finished, id));
    const QStringList seen = manager.job(id).result.toStringList();
    QCOMPARE(seen.value(0), id);
    QCOMPARE(seen.value(1), u"cuda:1"_s);
    QCOMPARE(seen.value(2), dir.filePath(id));
}

void TestJobManager::waitForAllTimesOut()
{
    JobManager manager;
    const QString id = manager.submit(spec(steppingJob(100000, 2)));
    QVERIFY(!manager.waitForAll(100));
    manager.cancelAll();
    QVERIFY(manager.waitForAll(5000));
    QCOMPARE(manager.job(id).state, JobState::Cancelled);
}

void TestJobManager::forgetOnlyFinishedJobs()
{
    JobManager manager;
    const QString running = manager.submit(spec(steppingJob(100000, 2)));
    const QString quick = manager.submit(spec(steppingJob(1, 0)));
    QTRY_COMPARE_WITH_TIMEOUT(manager.job(quick).state, JobState::Done, 5000);
    QVERIFY(!manager.forget(running));  // still running: kept
    QVERIFY(!manager.forget(u"no-such-job"_s));
    QVERIFY(manager.forget(quick));
    QVERIFY(manager.job(quick).id.isEmpty());
    QCOMPARE(manager.jobs().size(), 1);
    QCOMPARE(manager.jobs().constFirst().id, running);
    QVERIFY(!manager.forget(quick));  // already gone
    manager.cancelAll();
    QVERIFY(manager.waitForAll(5000));
    QVERIFY(manager.forget(running));
    QVERIFY(manager.jobs().isEmpty());
}

void TestJobManager::destructorCancelsAndWaits()
{
    auto sawCancel = std::make_shared<std::atomic_int>(0);
    const JobFunction job = [sawCancel](JobContext &context) -> Result<QVariant> {
        while (!context.isCancelled())
            QThread::msleep(1);
        sawCancel->fetch_add(1);
        return failure(u"cancelled"_s);
    };
    QElapsedTimer timer;
    timer.start();
    {
        JobManager manager;
        QSignalSpy changed(&manager, &JobManager::jobChanged);
        manager.submit(spec(job, JobQueue::Gpu));
        manager.submit(spec(job, JobQueue::Cpu));
        manager.submit(spec(job, JobQueue::Gpu));  // queued behind the first: never runs
        while (manager.jobs().at(0).state != JobState::Running || manager.jobs().at(1).state != JobState::Running)
            QVERIFY(changed.wait(5000));
    }
    QVERIFY(timer.elapsed() < 5000);
    QCOMPARE(sawCancel->load(), 2);
}

QTEST_GUILESS_MAIN(TestJobManager)
#include "test_job_manager.moc"
