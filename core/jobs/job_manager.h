#pragma once
// Runs jobs off the GUI thread: one GPU queue (a single thread, jobs in order) and a CPU
// pool. Lives on the thread that creates it (the GUI thread); its signals arrive there.
// Progress is throttled; every state change is written as a JSON run record.
#include "core/jobs/job.h"
#include "core/jobs/job_context.h"
#include "core/util/result.h"

#include <QList>
#include <QObject>
#include <QString>

#include <functional>
#include <memory>

namespace dw {

using JobFunction = std::function<Result<QVariant>(JobContext &context)>;

struct JobSpec {
    QString title;
    QString kind;
    JobQueue queue = JobQueue::Cpu;
    QString device = QStringLiteral("cpu");  // handed to the job's JobContext
    JobFunction function;
};

class JobManager : public QObject {
    Q_OBJECT
public:
    // runsDirectory: where run records go (<dir>/<job id>.json); empty: none written.
    explicit JobManager(QString runsDirectory = {}, QObject *parent = nullptr);
    ~JobManager() override;  // cancels what runs and waits for it

    // Call these on the manager's thread. A job's function runs on a worker thread; what it
    // throws becomes the job's failure. Its run record (runRecordPath()) is written by the
    // worker when it starts and again just after jobFinished is posted; the destructor waits.
    QString submit(JobSpec spec);  // returns the job id; the job starts when a thread is free
    // Sets the flag; false for an unknown or finished job. A queued job is cancelled at once:
    // its state is Cancelled and jobFinished has been emitted when cancel() returns.
    bool cancel(const QString &id);
    void cancelAll();
    // Drops a finished job from the manager (a long-running server's predictions would
    // otherwise pile up); false for an unknown or unfinished job. Its run record stays.
    bool forget(const QString &id);
    JobInfo job(const QString &id) const;  // a copy; an empty id if unknown
    QList<JobInfo> jobs() const;           // in submission order
    int activeCount() const;               // queued or running
    bool waitForAll(int timeoutMs = -1);   // processes events while waiting (tests, CLI)
    const QString &runsDirectory() const { return m_runsDirectory; }

    // The default place for run records: AppDataLocation/runs.
    static QString defaultRunsDirectory();

Q_SIGNALS:
    void jobAdded(const QString &id);
    void jobChanged(const QString &id);   // progress, message, log or state
    void jobFinished(const QString &id);  // done, failed or cancelled

private:
    struct Private;
    std::unique_ptr<Private> d;
    QString m_runsDirectory;
};

}  // namespace dw
