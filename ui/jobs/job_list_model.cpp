#include "ui/jobs/job_list_model.h"

#include "core/jobs/job_manager.h"

#include <algorithm>

namespace dw {

JobListModel::JobListModel(JobManager *manager, QObject *parent) : QAbstractListModel(parent), m_manager(manager)
{
    if (!manager)
        return;
    const QList<JobInfo> existing = manager->jobs();
    for (const JobInfo &job : existing)
        if (!(isFinished(job.state) && job.state != JobState::Failed && isHousekeeping(job.kind)))
            m_jobs.prepend(job);
    std::stable_partition(m_jobs.begin(), m_jobs.end(), [](const JobInfo &job) { return !isFinished(job.state); });
    connect(manager, &JobManager::jobAdded, this, &JobListModel::onJobAdded);
    connect(manager, &JobManager::jobChanged, this, &JobListModel::onJobChanged);
    connect(manager, &JobManager::jobFinished, this, &JobListModel::onJobChanged);
}

int JobListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_jobs.size());
}

QString JobListModel::formatEta(qint64 seconds)
{
    if (seconds < 0)
        return {};
    if (seconds < 60)
        return tr("%1 s left").arg(seconds);
    if (seconds < 3600)
        return tr("%1 min %2 s left").arg(seconds / 60).arg(seconds % 60, 2, 10, QLatin1Char('0'));
    return tr("%1 h %2 min left").arg(seconds / 3600).arg((seconds % 3600) / 60, 2, 10, QLatin1Char('0'));
}

QString JobListModel::statusText(const JobInfo &job)
{
    QStringList parts{jobStateName(job.state)};
    if (job.state == JobState::Running) {
        parts << QStringLiteral("%1%").arg(qRound(job.progress * 100));
        if (const QString eta = formatEta(job.etaSeconds); !eta.isEmpty())
            parts << eta;
    }
    if (job.state == JobState::Failed && !job.error.isEmpty())
        parts << job.error.section(QLatin1Char('\n'), 0, 0);
    else if (!job.message.isEmpty() && !isFinished(job.state))
        parts << job.message;
    else if (job.state == JobState::Done && job.started.isValid() && job.finished.isValid())
        parts << tr("took %1 s").arg(QString::number(job.started.msecsTo(job.finished) / 1000.0, 'f', 1));
    return parts.join(QStringLiteral(" · "));
}

QVariant JobListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const JobInfo &job = m_jobs.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case TitleRole:
        return job.title;
    case Qt::ToolTipRole:
        return job.state == JobState::Failed ? job.error : statusText(job);
    case IdRole:
        return job.id;
    case KindRole:
        return job.kind;
    case StateRole:
        return int(job.state);
    case StateNameRole:
        return jobStateName(job.state);
    case ProgressRole:
        return job.progress;
    case MessageRole:
        return job.message;
    case EtaSecondsRole:
        return job.etaSeconds;
    case StatusTextRole:
        return statusText(job);
    case ErrorRole:
        return job.error;
    case LogRole:
        return job.log;
    case CancellableRole:
        return !isFinished(job.state);
    case FinishedRole:
        return isFinished(job.state);
    case QueueRole:
        return job.queue == JobQueue::Gpu ? QStringLiteral("gpu") : QStringLiteral("cpu");
    default:
        return {};
    }
}

QHash<int, QByteArray> JobListModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractListModel::roleNames();
    names.insert({{IdRole, "id"},
                  {TitleRole, "title"},
                  {KindRole, "kind"},
                  {StateRole, "state"},
                  {StateNameRole, "stateName"},
                  {ProgressRole, "progress"},
                  {MessageRole, "message"},
                  {EtaSecondsRole, "etaSeconds"},
                  {StatusTextRole, "statusText"},
                  {ErrorRole, "error"},
                  {LogRole, "log"},
                  {CancellableRole, "cancellable"},
                  {FinishedRole, "finished"},
                  {QueueRole, "queue"}});
    return names;
}

JobInfo JobListModel::jobAt(int row) const
{
    return row >= 0 && row < m_jobs.size() ? m_jobs.at(row) : JobInfo{};
}

int JobListModel::rowOf(const QString &id) const
{
    for (int row = 0; row < m_jobs.size(); ++row)
        if (m_jobs.at(row).id == id)
            return row;
    return -1;
}

bool JobListModel::cancel(const QModelIndex &index)
{
    // Views may ask for a row that has just gone: that is no mistake, just nothing to do.
    if (!index.isValid() || index.model() != this || index.row() >= m_jobs.size() || !m_manager)
        return false;
    const JobInfo &job = m_jobs.at(index.row());
    if (isFinished(job.state))
        return false;
    return m_manager->cancel(job.id);
}

void JobListModel::removeFinished()
{
    for (int row = int(m_jobs.size()) - 1; row >= 0; --row)
        if (isFinished(m_jobs.at(row).state))
            removeRow(row);
}

void JobListModel::removeRow(int row)
{
    beginRemoveRows({}, row, row);
    m_removed.insert(m_jobs.at(row).id);
    m_jobs.removeAt(row);
    endRemoveRows();
}

bool JobListModel::isHousekeeping(const QString &kind)
{
    return kind == QLatin1String("catalog-scan") || kind == QLatin1String("dataset") ||
           kind == QLatin1String("estimate");
}

int JobListModel::activeCount() const
{
    return int(
        std::count_if(m_jobs.cbegin(), m_jobs.cend(), [](const JobInfo &job) { return !isFinished(job.state); }));
}

void JobListModel::onJobAdded(const QString &id)
{
    if (!m_manager || rowOf(id) >= 0 || m_removed.contains(id))
        return;
    const JobInfo job = m_manager->job(id);
    if (job.id.isEmpty())
        return;
    beginInsertRows({}, 0, 0);
    m_jobs.prepend(job);
    endInsertRows();
}

void JobListModel::onJobChanged(const QString &id)
{
    const int row = rowOf(id);
    if (row < 0) {
        onJobAdded(id);
        return;
    }
    if (!m_manager)
        return;
    const JobInfo job = m_manager->job(id);
    if (job.id.isEmpty())
        return;
    const bool newlyFailed = job.state == JobState::Failed && m_jobs.at(row).state != JobState::Failed;
    const bool newlyFinished = isFinished(job.state) && !isFinished(m_jobs.at(row).state);
    // A housekeeping job cancelled because a newer one replaces it leaves as well.
    if (newlyFinished && job.state != JobState::Failed && isHousekeeping(job.kind)) {
        removeRow(row);
        return;
    }
    m_jobs[row] = job;
    Q_EMIT dataChanged(index(row), index(row));
    if (newlyFinished) {
        // Below the jobs still running, above the older finished ones.
        int target = row;
        while (target + 1 < m_jobs.size() && !isFinished(m_jobs.at(target + 1).state))
            ++target;
        if (target != row && beginMoveRows({}, row, row, {}, target + 1)) {
            m_jobs.move(row, target);
            endMoveRows();
        }
    }
    if (newlyFailed)
        Q_EMIT jobFailed(job.id, job.error);
}

}  // namespace dw
