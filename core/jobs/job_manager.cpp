#include "core/jobs/job_manager.h"

#include "core/jobs/run_record.h"

#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QHash>
#include <QLoggingCategory>
#include <QMutex>
#include <QRandomGenerator>
#include <QRunnable>
#include <QStandardPaths>
#include <QThread>
#include <QThreadPool>
#include <QTimer>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <exception>
#include <optional>

Q_LOGGING_CATEGORY(lcJobs, "dw.jobs", QtInfoMsg)

namespace dw {

using namespace Qt::StringLiterals;

namespace {

constexpr qint64 kNotifyIntervalMs = 50;  // at most 20 jobChanged per second and job
constexpr qsizetype kMaxLogLines = 2000;  // a run of many epochs must not grow without bound

// "20261122-143005-123-0001a7c3": UTC time to the millisecond, then a per-process counter
// (keeps ids that share a millisecond in submission order) and a random part (keeps ids of
// two processes writing the same runs folder apart).
QString newJobId()
{
    static std::atomic<quint32> counter{0};
    const quint32 n = counter.fetch_add(1, std::memory_order_relaxed) & 0xffffu;
    const quint32 r = QRandomGenerator::global()->bounded(0x10000u);
    return QDateTime::currentDateTimeUtc().toString(u"yyyyMMdd-HHmmss-zzz"_s) + u'-' +
           u"%1%2"_s.arg(n, 4, 16, QChar(u'0')).arg(r, 4, 16, QChar(u'0'));
}

// LibTorch's errors carry a C++ backtrace after the message; a scientist needs the message.
QString exceptionMessage(const char *what)
{
    QString text = QString::fromLocal8Bit(what ? what : "");
    const qsizetype backtrace = text.indexOf(u"Exception raised from"_s);
    if (backtrace > 0)
        text.truncate(backtrace);
    text = text.trimmed();
    return text.isEmpty() ? u"the job stopped with an error that has no message"_s : text;
}

}  // namespace

struct JobManager::Private {
    struct Entry {
        JobInfo info;  // guarded by Private::mutex; finished states are set on the manager's thread only
        JobFunction function;
        QString device;
        std::atomic_bool cancel{false};
        QRunnable *runnable = nullptr;  // until a worker picks the job up: lets cancel() take it back
        QThreadPool *pool = nullptr;
        QElapsedTimer running;
        qint64 lastNotifyMs = -kNotifyIntervalMs;
        bool notifyScheduled = false;
    };
    using EntryPtr = std::shared_ptr<Entry>;

    explicit Private(JobManager *manager) : q(manager)
    {
        clock.start();
        // One thread, kept for the life of the manager: jobs on the GPU run one after the
        // other in submission order, and per-thread CUDA state is made only once.
        gpuPool.setMaxThreadCount(1);
        gpuPool.setExpiryTimeout(-1);
        predictPool.setMaxThreadCount(1);
        predictPool.setExpiryTimeout(-1);
        // Never fewer than two, so that a long import does not hold up everything else.
        cpuPool.setMaxThreadCount(std::max(2, QThread::idealThreadCount()));
        recordPool.setMaxThreadCount(1);
    }

    void scheduleNotify(const EntryPtr &e);                // mutex held; any thread
    void deliverNotify(const EntryPtr &e);                 // manager thread
    void run(const EntryPtr &e);                           // worker thread
    void finish(const EntryPtr &e, const JobInfo &final);  // manager thread
    void writeRecord(const JobInfo &info) const;           // worker threads only
    JobContext::Callbacks callbacks(const EntryPtr &e);

    JobManager *q;
    mutable QMutex mutex;
    QHash<QString, EntryPtr> entries;
    QStringList order;
    QElapsedTimer clock;
    // Declared last so that they are destroyed (and waited for) before what their jobs use.
    QThreadPool recordPool;
    QThreadPool cpuPool;
    QThreadPool gpuPool;
    QThreadPool predictPool;
};

void JobManager::Private::scheduleNotify(const EntryPtr &e)
{
    // One delivery at a time per job: it reads the latest state when it runs, so updates
    // that arrive meanwhile are folded into it and the last one is never lost.
    if (e->notifyScheduled)
        return;
    e->notifyScheduled = true;
    const qint64 wait = std::max<qint64>(0, e->lastNotifyMs + kNotifyIntervalMs - clock.elapsed());
    QMetaObject::invokeMethod(
        q,
        [this, e, wait] {
            if (wait == 0)
                deliverNotify(e);
            else
                QTimer::singleShot(wait, q, [this, e] { deliverNotify(e); });
        },
        Qt::QueuedConnection);
}

void JobManager::Private::deliverNotify(const EntryPtr &e)
{
    {
        QMutexLocker lock(&mutex);
        e->notifyScheduled = false;
        e->lastNotifyMs = clock.elapsed();
        if (isFinished(e->info.state))
            return;  // jobFinished has said it all
    }
    Q_EMIT q->jobChanged(e->info.id);
}

JobContext::Callbacks JobManager::Private::callbacks(const EntryPtr &e)
{
    JobContext::Callbacks callbacks;
    callbacks.progress = [this, e](double fraction, const QString &message) {
        QMutexLocker lock(&mutex);
        if (isFinished(e->info.state))
            return;
        if (!std::isnan(fraction))
            e->info.progress = fraction;
        if (!message.isEmpty())
            e->info.message = message;
        const double p = e->info.progress;
        if (p >= 1.0) {
            e->info.etaSeconds = 0;
        } else if (p > 0.0) {
            // Linear in the fraction done; rounded up so that "0 s left" means finished.
            const double elapsedS = double(e->running.elapsed()) / 1000.0;
            e->info.etaSeconds = qint64(std::ceil(elapsedS * (1.0 - p) / p));
        }
        scheduleNotify(e);
    };
    callbacks.training = [this, e](const TrainingProgress &event) {
        QMutexLocker lock(&mutex);
        if (isFinished(e->info.state))
            return;
        if (event.isStep()) {
            e->info.trainingStep = event;
        } else {
            QList<TrainingProgress> &epochs = e->info.trainingEpochs;
            // A resumed run redoes the epochs after its checkpoint: the new report replaces the old.
            while (!epochs.isEmpty() && epochs.last().epoch >= event.epoch)
                epochs.removeLast();
            epochs.append(event);
        }
        scheduleNotify(e);
    };
    callbacks.log = [this, e](const QString &line) {
        QMutexLocker lock(&mutex);
        if (isFinished(e->info.state))
            return;
        e->info.log.append(line);
        if (e->info.log.size() > kMaxLogLines)
            e->info.log.remove(0, e->info.log.size() - kMaxLogLines);
        scheduleNotify(e);
    };
    return callbacks;
}

void JobManager::Private::run(const EntryPtr &e)
{
    JobFunction function;
    JobInfo started;
    {
        QMutexLocker lock(&mutex);
        e->runnable = nullptr;
        if (e->info.state != JobState::Queued)
            return;  // cancelled while it waited; cancel() wrote its record
        e->info.state = JobState::Running;
        e->info.started = QDateTime::currentDateTimeUtc();
        e->running.start();
        function = std::move(e->function);
        e->function = {};
        started = e->info;
        scheduleNotify(e);
    }
    writeRecord(started);

    const QString &runs = q->m_runsDirectory;
    JobContext context(started.id, &e->cancel, callbacks(e), e->device,
                       runs.isEmpty() ? QString() : QDir(runs).filePath(started.id));
    std::optional<Result<QVariant>> outcome;
    // Nothing thrown by a job may leave this thread: it becomes the job's failure.
    try {
        if (function)
            outcome.emplace(function(context));
        else
            outcome.emplace(failure(u"the job has nothing to run"_s));
    } catch (const std::exception &ex) {
        outcome.emplace(failure(exceptionMessage(ex.what())));
    } catch (...) {
        outcome.emplace(failure(u"the job stopped with an unknown error"_s));
    }
    function = {};  // release what the job captured here, in the worker, not on the GUI thread

    JobInfo final;
    {
        QMutexLocker lock(&mutex);
        final = e->info;
    }
    final.finished = QDateTime::currentDateTimeUtc();
    const bool cancelled = e->cancel.load();
    if (outcome->ok()) {
        final.result = std::move(*outcome).value();
        // A job that noticed the cancellation may still return what it had (a partial model).
        final.state = cancelled ? JobState::Cancelled : JobState::Done;
        if (!cancelled) {
            final.progress = 1.0;
            final.etaSeconds = 0;
            final.message = u"Done"_s;
        }
    } else if (cancelled) {
        final.state = JobState::Cancelled;
        final.log.append(u"Stopped: %1"_s.arg(outcome->error().text()));
    } else {
        final.state = JobState::Failed;
        final.error = outcome->error().text();
        final.log.append(u"Failed: %1"_s.arg(final.error));
    }
    if (final.state == JobState::Cancelled) {
        final.message = u"Cancelled"_s;
        final.etaSeconds = -1;
    }
    // The result reaches the GUI before the record reaches the disk: a slow disk must
    // not make Cancel feel slow.
    QMetaObject::invokeMethod(
        q, [this, e, final] { finish(e, final); }, Qt::QueuedConnection);
    writeRecord(final);
}

void JobManager::Private::finish(const EntryPtr &e, const JobInfo &final)
{
    {
        QMutexLocker lock(&mutex);
        e->info = final;
    }
    Q_EMIT q->jobChanged(final.id);
    Q_EMIT q->jobFinished(final.id);
}

void JobManager::Private::writeRecord(const JobInfo &info) const
{
    if (q->m_runsDirectory.isEmpty())
        return;
    const Result<void> written = writeRunRecord(q->m_runsDirectory, info);
    if (!written)
        qCWarning(lcJobs).noquote() << written.error().text();
}

JobManager::JobManager(QString runsDirectory, QObject *parent)
    : QObject(parent), d(std::make_unique<Private>(this)), m_runsDirectory(std::move(runsDirectory))
{
    qRegisterMetaType<JobInfo>();
}

JobManager::~JobManager()
{
    // Receivers may be half torn down at this point; a manager on its way out tells no one.
    blockSignals(true);
    cancelAll();
    d->gpuPool.waitForDone();
    d->predictPool.waitForDone();
    d->cpuPool.waitForDone();
    d->recordPool.waitForDone();
}

QString JobManager::submit(JobSpec spec)
{
    auto e = std::make_shared<Private::Entry>();
    e->info.id = newJobId();
    e->info.title = spec.title;
    e->info.kind = spec.kind;
    e->info.device = spec.device;
    e->info.queue = spec.queue;
    e->info.state = JobState::Queued;
    e->info.message = u"Waiting"_s;
    e->info.created = QDateTime::currentDateTimeUtc();
    e->function = std::move(spec.function);
    e->device = spec.device;
    e->pool = spec.queue == JobQueue::Gpu       ? &d->gpuPool
              : spec.queue == JobQueue::Predict ? &d->predictPool
                                                : &d->cpuPool;
    QRunnable *runnable = QRunnable::create([this, e] { d->run(e); });
    const QString id = e->info.id;
    {
        QMutexLocker lock(&d->mutex);
        e->runnable = runnable;
        d->entries.insert(id, e);
        d->order.append(id);
    }
    Q_EMIT jobAdded(id);
    e->pool->start(runnable);
    return id;
}

bool JobManager::cancel(const QString &id)
{
    JobInfo cancelledWhileQueued;
    {
        QMutexLocker lock(&d->mutex);
        const Private::EntryPtr e = d->entries.value(id);
        if (!e || isFinished(e->info.state))
            return false;
        e->cancel.store(true);
        if (e->info.state == JobState::Running) {
            e->info.message = u"Cancelling…"_s;
        } else {
            // Queued: it never runs. Taken out of its pool when still there; a worker that
            // has just picked it up sees the state under this lock and returns.
            if (e->runnable && e->pool->tryTake(e->runnable))
                delete e->runnable;  // tryTake hands ownership back
            e->runnable = nullptr;
            e->function = {};
            e->info.state = JobState::Cancelled;
            e->info.message = u"Cancelled"_s;
            e->info.finished = QDateTime::currentDateTimeUtc();
            e->info.log.append(u"Cancelled before it started"_s);
            cancelledWhileQueued = e->info;
        }
    }
    if (cancelledWhileQueued.id.isEmpty()) {
        Q_EMIT jobChanged(id);
        return true;
    }
    if (!m_runsDirectory.isEmpty())
        d->recordPool.start([this, cancelledWhileQueued] { d->writeRecord(cancelledWhileQueued); });
    Q_EMIT jobChanged(id);
    Q_EMIT jobFinished(id);
    return true;
}

void JobManager::cancelAll()
{
    QStringList ids;
    {
        QMutexLocker lock(&d->mutex);
        ids = d->order;
    }
    // Queued ones first, newest first, so that a freed GPU thread does not start the next one.
    std::reverse(ids.begin(), ids.end());
    for (const QString &id : ids)
        cancel(id);
}

bool JobManager::forget(const QString &id)
{
    QMutexLocker lock(&d->mutex);
    const Private::EntryPtr e = d->entries.value(id);
    if (!e || !isFinished(e->info.state))
        return false;
    d->entries.remove(id);
    d->order.removeOne(id);
    return true;
}

JobInfo JobManager::job(const QString &id) const
{
    QMutexLocker lock(&d->mutex);
    const Private::EntryPtr e = d->entries.value(id);
    return e ? e->info : JobInfo{};
}

QList<JobInfo> JobManager::jobs() const
{
    QMutexLocker lock(&d->mutex);
    QList<JobInfo> list;
    list.reserve(d->order.size());
    for (const QString &id : d->order)
        list.append(d->entries.value(id)->info);
    return list;
}

int JobManager::activeCount() const
{
    QMutexLocker lock(&d->mutex);
    return int(std::count_if(d->entries.cbegin(), d->entries.cend(),
                             [](const Private::EntryPtr &e) { return !isFinished(e->info.state); }));
}

bool JobManager::waitForAll(int timeoutMs)
{
    if (activeCount() == 0)
        return true;
    QEventLoop loop;
    const QMetaObject::Connection finished = connect(this, &JobManager::jobFinished, &loop, [this, &loop] {
        if (activeCount() == 0)
            loop.quit();
    });
    QTimer timer;
    if (timeoutMs >= 0) {
        timer.setSingleShot(true);
        connect(&timer, &QTimer::timeout, &loop, &QEventLoop::quit);
        timer.start(timeoutMs);
    }
    loop.exec();
    disconnect(finished);
    return activeCount() == 0;
}

QString JobManager::defaultRunsDirectory()
{
    return QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)).filePath(u"runs"_s);
}

}  // namespace dw
