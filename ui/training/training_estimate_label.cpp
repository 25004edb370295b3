#include "ui/training/training_estimate_label.h"

#include "core/jobs/job_manager.h"
#include "ui/jobs/job_callbacks.h"

#include <QJsonObject>
#include <QTimer>

#include <algorithm>
#include <cmath>

namespace dw {

namespace {

const QString kEstimateKind = QStringLiteral("estimate");
const QString kTrainKind = QStringLiteral("train");
const QString kEpochs = QStringLiteral("epochs");

// What a batch's time depends on: the arguments but those that only say how many epochs run
// or what the module is called, and the device.
QVariantMap measurementKey(QVariantMap args, const QString &device)
{
    for (const char *name : {"epochs", "patience", "name", "title", "output", "resume"})
        args.remove(QString::fromLatin1(name));
    args.insert(QStringLiteral("device"), device);
    return args;
}

}  // namespace

TrainingEstimateLabel::TrainingEstimateLabel(JobManager &jobs, QWidget *parent)
    : QLabel(parent), m_jobs(jobs), m_delay(new QTimer(this))
{
    setObjectName(QStringLiteral("trainingEstimate"));
    setWordWrap(true);
    setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_delay->setSingleShot(true);
    m_delay->setInterval(800);
    connect(m_delay, &QTimer::timeout, this, &TrainingEstimateLabel::start);
    // A training that ends (here or in another workspace) frees the device for a probe.
    connect(&m_jobs, &JobManager::jobFinished, this, [this](const QString &id) {
        if (m_waitingForTraining && m_jobs.job(id).kind == kTrainKind && !trainingRuns())
            schedule();
    });
}

void TrainingEstimateLabel::setDelay(int milliseconds)
{
    m_delay->setInterval(milliseconds);
}

void TrainingEstimateLabel::schedule()
{
    if (!m_job.isEmpty()) {
        m_jobs.cancel(m_job);  // its result would describe the settings before this change
        m_job.clear();
    }
    m_estimate.reset();
    m_waitingForTraining = false;
    setText(tr("Estimating…"));
    setToolTip({});
    m_delay->start();
}

void TrainingEstimateLabel::remeasure()
{
    m_measured.reset();
    m_measuredKey.clear();
    schedule();
}

void TrainingEstimateLabel::stop(const QString &why)
{
    m_delay->stop();
    if (!m_job.isEmpty()) {
        m_jobs.cancel(m_job);
        m_job.clear();
    }
    m_estimate.reset();
    m_waitingForTraining = true;
    setText(why);
    setToolTip({});
}

bool TrainingEstimateLabel::isPending() const
{
    return m_delay->isActive() || isMeasuring();
}

bool TrainingEstimateLabel::trainingRuns() const
{
    const QList<JobInfo> jobs = m_jobs.jobs();
    return std::any_of(jobs.cbegin(), jobs.cend(),
                       [](const JobInfo &job) { return job.kind == kTrainKind && !isFinished(job.state); });
}

void TrainingEstimateLabel::showReason(const QString &reason)
{
    m_estimate.reset();
    setText(tr("No estimate: %1").arg(reason));
    setToolTip({});
    Q_EMIT estimateShown();
}

void TrainingEstimateLabel::start()
{
    if (trainingRuns()) {  // the probe would compete with it for the device, and be measured slower
        stop(tr("No estimate while a training runs."));
        Q_EMIT estimateShown();
        return;
    }
    if (!m_source)
        return;
    Result<Probe> probe = m_source();
    if (!probe) {
        showReason(probe.error().message);
        return;
    }
    const QVariantMap key = measurementKey(probe->args, probe->device);
    if (m_measured && key == m_measuredKey) {  // only the epochs (or the name) changed
        show(m_measured->withEpochs(probe->args.value(kEpochs, m_measured->epochs).toInt()));
        return;
    }
    TrainingEstimator *estimator = probe->estimator;
    const QVariantMap args = probe->args;
    JobSpec spec;
    spec.title = tr("Estimate the training time");
    spec.kind = kEstimateKind;
    spec.device = probe->device;
    spec.queue = probe->queue;  // the trainings' own: on a GPU one job at a time
    spec.function = [estimator, args](JobContext &job) -> Result<QVariant> {
        Result<TrainingEstimate> estimate = estimator->estimateTraining(args, job);
        if (job.isCancelled())
            return failure(QStringLiteral("cancelled"));
        // A reason is the probe's answer, not a failed job: the jobs list stays quiet.
        if (!estimate)
            return QVariant(QJsonObject{{QStringLiteral("error"), estimate.error().message},
                                        {QStringLiteral("field"), estimate.error().field}});
        return QVariant(estimate->toJson());
    };
    setText(tr("Estimating…"));
    const QString id = m_jobs.submit(std::move(spec));
    m_job = id;
    m_probeKey = key;
    whenJobFinished(m_jobs, id, this, [this, id](const JobInfo &job) { finished(id, job); });
}

void TrainingEstimateLabel::finished(const QString &jobId, const JobInfo &job)
{
    if (jobId != m_job)
        return;  // a stale probe: the settings changed since it started
    m_job.clear();
    if (job.state == JobState::Cancelled)
        return;
    if (job.state == JobState::Failed) {
        showReason(job.error);
        return;
    }
    const QJsonObject result = job.result.toJsonObject();
    if (result.contains(QStringLiteral("error"))) {
        const QString field = result.value(QStringLiteral("field")).toString();
        const bool data =
            field == QLatin1String("data") || field == QLatin1String("csv") || field == QLatin1String("raster");
        showReason(data && result.value(QStringLiteral("error")).toString().startsWith(QLatin1String("choose"))
                       ? tr("choose a dataset first")
                       : result.value(QStringLiteral("error")).toString());
        return;
    }
    m_measured = TrainingEstimate::fromJson(result);
    m_measuredKey = m_probeKey;
    show(*m_measured);
}

void TrainingEstimateLabel::show(const TrainingEstimate &estimate)
{
    m_estimate = estimate;
    setText(describe(*m_estimate));
    setToolTip(
        tr("%1 s per batch × %2 batches per epoch × %3 epochs, plus about %4 s of validation per epoch. Early stopping "
           "can end the run sooner; the first epoch, reading images from a slow disk and the final test can make it "
           "longer.")
            .arg(m_estimate->secondsPerStep, 0, 'g', 3)
            .arg(m_estimate->stepsPerEpoch)
            .arg(m_estimate->epochs)
            .arg(m_estimate->validationSecondsPerEpoch, 0, 'g', 2));
    Q_EMIT estimateShown();
}

QString TrainingEstimateLabel::durationText(double seconds)
{
    if (seconds < 59.5)
        return tr("about %1 s").arg(std::max(1, int(std::lround(seconds))));
    if (seconds < 3600 - 30)
        return tr("about %1 min").arg(std::lround(seconds / 60.0));
    const double hours = seconds / 3600.0;
    if (hours < 9.95)
        return tr("about %1 h").arg(hours, 0, 'f', 1);
    if (hours < 48)
        return tr("about %1 h").arg(std::lround(hours));
    return tr("about %1 days").arg(std::lround(hours / 24.0));
}

QString TrainingEstimateLabel::describe(const TrainingEstimate &estimate)
{
    const QString where = estimate.device.startsWith(QLatin1String("cuda")) ? tr("this GPU") : tr("this CPU");
    const QString epochs = estimate.epochs == 1 ? tr("1 epoch") : tr("%1 epochs").arg(estimate.epochs);
    return tr("Estimated time: %1 on %2 (measured: %3, %4)")
        .arg(durationText(estimate.totalSeconds), where, estimate.how, epochs);
}

}  // namespace dw
