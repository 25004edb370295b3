#include "core/jobs/job_context.h"

#include <algorithm>
#include <cmath>

namespace dw {

JobContext::JobContext(QString jobId, const std::atomic_bool *cancelFlag, Callbacks callbacks, QString device,
                       QString workDirectory)
    : m_jobId(std::move(jobId)), m_cancel(cancelFlag), m_callbacks(std::move(callbacks)), m_device(std::move(device)),
      m_workDirectory(std::move(workDirectory))
{}

void JobContext::setProgress(double fraction, const QString &message) const
{
    if (!m_callbacks.progress)
        return;
    // NaN passes through: it means "no new fraction", so only the message changes.
    m_callbacks.progress(std::isnan(fraction) ? fraction : std::clamp(fraction, 0.0, 1.0), message);
}

void JobContext::setProgress(qint64 done, qint64 total, const QString &message) const
{
    // An unknown total reports the message without moving the bar.
    setProgress(total > 0 ? double(done) / double(total) : std::nan(""), message);
}

void JobContext::report(const TrainingProgress &event) const
{
    if (m_callbacks.training)
        m_callbacks.training(event);
    if (event.isStep())
        setProgress(event.fraction(), event.describe());
    else
        log(event.describe());
}

void JobContext::log(const QString &line) const
{
    if (m_callbacks.log)
        m_callbacks.log(line);
}

}  // namespace dw
