#include "job_runner.h"

#include "cli_output.h"
#include "progress_bar.h"

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <exception>
#include <future>
#include <thread>

namespace dw::cli {

using namespace Qt::StringLiterals;

namespace {

// How long a cancelled job may take to stop before the process ends without it;
// DEEPWB_CANCEL_GRACE (seconds) changes it.
std::chrono::seconds cancelGrace()
{
    bool ok = false;
    const int seconds = qEnvironmentVariableIntValue("DEEPWB_CANCEL_GRACE", &ok);
    return std::chrono::seconds(ok && seconds >= 0 ? seconds : 20);
}

// Only a lock-free atomic may be touched from a signal handler.
std::atomic_bool g_cancel{false};
static_assert(std::atomic_bool::is_always_lock_free);

extern "C" void onInterrupt(int)
{
    g_cancel.store(true);
}

// Installs the handler for the lifetime of one run, restoring what was there before.
class InterruptGuard {
public:
    InterruptGuard()
    {
        g_cancel.store(false);
        struct sigaction action {};
        action.sa_handler = onInterrupt;
        // One-shot: the next Ctrl-C takes the default action; the user insists, the process ends.
        action.sa_flags = SA_RESETHAND;
        sigemptyset(&action.sa_mask);
        sigaction(SIGINT, &action, &m_previous);
        sigaction(SIGTERM, &action, &m_previousTerm);
    }
    ~InterruptGuard()
    {
        sigaction(SIGINT, &m_previous, nullptr);
        sigaction(SIGTERM, &m_previousTerm, nullptr);
    }
    InterruptGuard(const InterruptGuard &) = delete;
    InterruptGuard &operator=(const InterruptGuard &) = delete;

private:
    struct sigaction m_previous {};
    struct sigaction m_previousTerm {};
};

}  // namespace

Result<TaskResult> JobRunner::run(const QString &jobId, const TaskFunction &call)
{
    m_interrupted = false;
    ProgressBar bar;
    InterruptGuard guard;
    JobContext::Callbacks callbacks = bar.callbacks();
    if (!m_logPrefix.isEmpty()) {
        callbacks.progress = {};
        callbacks.log = [&bar, prefix = m_logPrefix](const QString &line) { bar.log(prefix + line); };
    }
    JobContext context(jobId, &g_cancel, callbacks, m_device);

    std::promise<Result<TaskResult>> promise;
    std::future<Result<TaskResult>> future = promise.get_future();
    std::thread worker([&] {
        try {
            promise.set_value(call(context));
        } catch (const std::exception &e) {
            promise.set_value(failure(u"internal error: %1"_s.arg(QString::fromLocal8Bit(e.what()))));
        } catch (...) {
            promise.set_value(failure(u"internal error: an unknown exception ended the job"_s));
        }
    });
    // The main thread only watches for Ctrl-C; the worker draws the progress itself.
    bool announced = false;
    const std::chrono::seconds grace = cancelGrace();
    std::chrono::steady_clock::time_point cancelledAt;
    while (future.wait_for(std::chrono::milliseconds(100)) != std::future_status::ready) {
        // One signal is enough: a job that cannot stop (blocked in a read of a network file that
        // never answers) is left after a grace period, as a batch scheduler would kill it.
        if (announced && std::chrono::steady_clock::now() - cancelledAt > grace) {
            bar.finish();
            Output::error(
                u"the job did not stop within %1 s of the signal (it waits for a file or a server); quitting"_s.arg(
                    qint64(grace.count())));
            std::_Exit(1);
        }
        if (g_cancel.load() && !announced) {
            announced = true;
            cancelledAt = std::chrono::steady_clock::now();
            bar.log(u"deepwb: cancelling: %1 (Ctrl-C again to quit at once)"_s.arg(m_cancelNote));
        }
    }
    worker.join();
    m_interrupted = g_cancel.load();
    bar.finish();
    return future.get();
}

}  // namespace dw::cli
