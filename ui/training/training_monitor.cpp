#include "ui/training/training_monitor.h"

#include "core/jobs/job_manager.h"
#include "ui/training/training_curves.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSplitter>
#include <QVBoxLayout>

namespace dw {

namespace {

QString duration(qint64 seconds)
{
    if (seconds < 60)
        return QObject::tr("%1 s").arg(seconds);
    if (seconds < 3600)
        return QObject::tr("%1 min %2 s").arg(seconds / 60).arg(seconds % 60);
    return QObject::tr("%1 h %2 min").arg(seconds / 3600).arg(seconds % 3600 / 60);
}

QString idleText()
{
    return QObject::tr("No training running. Choose the data and the parameters, then Train.");
}

QString finishedText(const QString &moduleId)
{
    return QObject::tr("Finished: the module '%1' is in the catalog (Open in Catalog shows it).").arg(moduleId);
}

}  // namespace

TrainingMonitor::TrainingMonitor(JobManager &jobs, QWidget *parent) : QWidget(parent), m_jobs(jobs)
{
    auto *layout = new QVBoxLayout(this);
    auto *row = new QHBoxLayout;
    m_progress = new QProgressBar(this);
    m_progress->setObjectName(QStringLiteral("trainingProgress"));
    m_progress->setRange(0, 1000);
    m_progress->setTextVisible(false);
    row->addWidget(m_progress, 1);
    m_cancel = new QPushButton(tr("Cancel"), this);
    m_cancel->setToolTip(tr("Stop within one batch; the checkpoint of the last finished epoch is kept for resuming."));
    m_cancel->setEnabled(false);
    row->addWidget(m_cancel);
    m_resume = new QPushButton(tr("Resume"), this);
    m_resume->setToolTip(tr("Continue the interrupted training from its last checkpoint."));
    m_resume->setEnabled(false);
    row->addWidget(m_resume);
    m_openModule = new QPushButton(tr("Open in Catalog"), this);
    m_openModule->setObjectName(QStringLiteral("openTrainedModule"));
    m_openModule->setToolTip(tr("Show the module this training wrote in the Catalog."));
    m_openModule->setEnabled(false);
    row->addWidget(m_openModule);
    layout->addLayout(row);
    m_status = new QLabel(idleText(), this);
    m_status->setObjectName(QStringLiteral("trainingStatus"));
    m_status->setWordWrap(true);
    layout->addWidget(m_status);

    auto *splitter = new QSplitter(Qt::Vertical, this);
    m_curves = new TrainingCurves(splitter);
    m_log = new QPlainTextEdit(splitter);
    m_log->setObjectName(QStringLiteral("trainingLog"));
    m_log->setReadOnly(true);
    m_log->setMaximumBlockCount(2000);
    m_log->setLineWrapMode(QPlainTextEdit::NoWrap);
    splitter->setStretchFactor(0, 4);
    splitter->setStretchFactor(1, 1);
    layout->addWidget(splitter, 1);

    connect(m_cancel, &QPushButton::clicked, this, [this] {
        if (!m_jobId.isEmpty())
            m_jobs.cancel(m_jobId);
    });
    connect(m_resume, &QPushButton::clicked, this, &TrainingMonitor::resumeRequested);
    connect(m_openModule, &QPushButton::clicked, this, [this] {
        if (!m_finishedModule.isEmpty())
            Q_EMIT openModuleRequested(m_finishedModule);
    });
    connect(&m_jobs, &JobManager::jobChanged, this, &TrainingMonitor::update);
    connect(&m_jobs, &JobManager::jobFinished, this, &TrainingMonitor::update);
}

void TrainingMonitor::watch(const QString &jobId)
{
    m_jobId = jobId;
    m_logLines = 0;
    m_epochsShown = 0;
    m_lastLine.clear();
    m_resume->setEnabled(false);
    m_cancel->setEnabled(true);
    m_progress->setValue(0);
    m_finishedModule.clear();
    m_openModule->setEnabled(false);
    update(jobId);
}

void TrainingMonitor::forgetFinishedRun()
{
    if (!m_jobId.isEmpty() && !isFinished(m_jobs.job(m_jobId).state))
        return;
    m_jobId.clear();
    m_logLines = 0;
    m_epochsShown = 0;
    m_lastLine.clear();
    m_finishedModule.clear();
    clearCurves();
    m_progress->setValue(0);
    m_cancel->setEnabled(false);
    m_resume->setEnabled(false);
    m_openModule->setEnabled(false);
    m_status->setText(idleText());
}

void TrainingMonitor::setFinishedModule(const QString &moduleId)
{
    m_finishedModule = moduleId;
    m_openModule->setEnabled(!moduleId.isEmpty());
    if (!moduleId.isEmpty())
        m_status->setText(finishedText(moduleId));
}

void TrainingMonitor::setResumable(bool resumable)
{
    m_resume->setEnabled(resumable);
}

void TrainingMonitor::clearCurves()
{
    m_curves->clear();
    m_log->clear();
}

void TrainingMonitor::update(const QString &jobId)
{
    if (jobId != m_jobId || jobId.isEmpty())
        return;
    const JobInfo job = m_jobs.job(jobId);
    // The log is capped at its front, so the count of lines shown is not enough: start
    // after the last line shown, searched from the end.
    const int total = int(job.log.size());
    int start = 0;
    if (m_logLines > 0) {
        start = std::min(m_logLines, total);
        if (start > 0 && job.log.at(start - 1) != m_lastLine) {
            const qsizetype found = job.log.lastIndexOf(m_lastLine);
            start = found >= 0 ? int(found) + 1 : 0;
        }
    }
    for (int i = start; i < total; ++i)
        m_log->appendPlainText(job.log.at(i));
    m_logLines = total;
    if (total > 0)
        m_lastLine = job.log.last();
    // The curves come from the trainer's typed progress, never from the log's text.
    if (job.trainingEpochs.size() < m_epochsShown)
        m_epochsShown = 0;
    for (qsizetype i = m_epochsShown; i < job.trainingEpochs.size(); ++i)
        m_curves->addEpoch(job.trainingEpochs.at(i));
    m_epochsShown = job.trainingEpochs.size();
    if (job.trainingStep)
        m_curves->addBatch(*job.trainingStep);
    m_progress->setValue(int(job.progress * 1000.0));
    QString status;
    switch (job.state) {
    case JobState::Queued:
        status = tr("Waiting for a free worker…");
        break;
    case JobState::Running:
        status = job.message;
        if (job.etaSeconds >= 0 && !job.message.contains(QLatin1String("eta "), Qt::CaseInsensitive))
            status += tr(" — about %1 left").arg(duration(job.etaSeconds));
        break;
    case JobState::Done:
        status = m_finishedModule.isEmpty() ? tr("Finished.") : finishedText(m_finishedModule);
        break;
    case JobState::Failed:
        status = tr("Failed: %1").arg(job.error);
        break;
    case JobState::Cancelled:
        status = tr("Cancelled; the last finished epoch's checkpoint is kept.");
        break;
    }
    m_status->setText(status);
    m_cancel->setEnabled(!isFinished(job.state));
}

}  // namespace dw
