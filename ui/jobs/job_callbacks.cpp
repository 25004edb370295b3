#include "ui/jobs/job_callbacks.h"

#include "core/jobs/job_manager.h"

#include <QPointer>
#include <QTimer>

#include <memory>

namespace dw {

void whenJobFinished(JobManager &jobs, const QString &jobId, QObject *context,
                     std::function<void(const JobInfo &job)> callback)
{
    struct State {
        QMetaObject::Connection connection;
        bool fired = false;
    };
    auto state = std::make_shared<State>();
    QPointer<JobManager> manager(&jobs);
    auto fire = [state, manager, jobId, callback = std::move(callback)] {
        if (state->fired || !manager)
            return;
        state->fired = true;
        QObject::disconnect(state->connection);
        callback(manager->job(jobId));
    };
    state->connection = QObject::connect(&jobs, &JobManager::jobFinished, context, [jobId, fire](const QString &id) {
        if (id == jobId)
            fire();
    });
    // A job refused at submission may already be over: answer it from the event loop too.
    if (isFinished(jobs.job(jobId).state) && !jobs.job(jobId).id.isEmpty())
        QTimer::singleShot(0, context, fire);
}

}  // namespace dw
