#pragma once
// The jobs of a JobManager as a list model for the Jobs dock and for any view that follows
// jobs (a training page): the queued and running ones on top, then the finished ones, newest
// first. Housekeeping (a catalog scan, a look at a dataset folder) leaves the list when it
// succeeds; it stays when it fails. Rows are copies of JobInfo refreshed on the manager's
// signals; cancel goes back to the manager.
#include "core/jobs/job.h"

#include <QAbstractListModel>
#include <QList>
#include <QPointer>
#include <QSet>

namespace dw {

class JobManager;

class JobListModel : public QAbstractListModel {
    Q_OBJECT
public:
    enum Role {
        IdRole = Qt::UserRole + 1,
        TitleRole,
        KindRole,
        StateRole,      // int(JobState)
        StateNameRole,  // "running", ...
        ProgressRole,   // double in [0, 1]
        MessageRole,
        EtaSecondsRole,  // qint64, -1 unknown
        StatusTextRole,  // one line: "running · 42% · 1 min 20 s left · epoch 3/10"
        ErrorRole,
        LogRole,          // QStringList
        CancellableRole,  // bool: queued or running
        FinishedRole,     // bool
        QueueRole,        // "gpu" or "cpu"
    };
    Q_ENUM(Role)

    explicit JobListModel(JobManager *manager, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    JobInfo jobAt(int row) const;
    int rowOf(const QString &id) const;  // -1 when absent
    bool cancel(const QModelIndex &index);
    Q_INVOKABLE bool cancel(int row) { return cancel(index(row)); }
    // Drops finished jobs from the list (the manager keeps their records).
    void removeFinished();
    int activeCount() const;

    // Jobs the window runs for itself, not for the user (catalog scans, dataset looks, training-time
    // estimates): listed only while they run or when they fail.
    static bool isHousekeeping(const QString &kind);
    static QString formatEta(qint64 seconds);
    static QString statusText(const JobInfo &job);

Q_SIGNALS:
    // A job failed: views may want to show its error without waiting for a click.
    void jobFailed(const QString &id, const QString &error);

private:
    void onJobAdded(const QString &id);
    void onJobChanged(const QString &id);
    void removeRow(int row);

    QPointer<JobManager> m_manager;
    QList<JobInfo> m_jobs;    // newest first
    QSet<QString> m_removed;  // cleared away by the user: not brought back by late signals
};

}  // namespace dw
