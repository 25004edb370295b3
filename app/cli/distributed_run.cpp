#include "distributed_run.h"

#include "cli_output.h"

#include <QProcessEnvironment>

namespace dw::cli {

using namespace Qt::StringLiterals;

namespace {
constexpr int kDefaultTimeoutSeconds = 600;
}

QList<QCommandLineOption> DistributedRun::options()
{
    return {QCommandLineOption(
                u"distributed"_s,
                u"Train as one rank of a data-parallel run started by torchrun, srun or mpirun (rank, world size and "
                "rendezvous from their environment; torchrun and mpirun are recognised without this flag). Each "
                "rank trains on its share of every epoch with --batch-size images; the gradients are averaged over "
                "the ranks; rank 0 writes the module."_s),
            QCommandLineOption(
                u"distributed-timeout"_s,
                u"Seconds a rank waits for the others, at the start and at every exchange, before it "
                "stops with an error naming the ranks that did not answer (default %1)."_s.arg(kDefaultTimeoutSeconds),
                u"SECONDS"_s)};
}

std::optional<int> DistributedRun::prepare(const CommandParser &cmd, std::optional<ml::DistributedLaunch> &launch)
{
    Result<std::optional<ml::DistributedLaunch>> read =
        ml::DistributedSession::prepare(QProcessEnvironment::systemEnvironment(), cmd.isSet(u"distributed"_s));
    if (!read) {
        Output::error(read.error().text());
        return ExitUsage;
    }
    launch = *read;
    return std::nullopt;
}

std::optional<int> DistributedRun::join(const CommandParser &cmd, const ml::DistributedLaunch &launch,
                                        const QString &device, std::unique_ptr<ml::DistributedSession> &session)
{
    int seconds = kDefaultTimeoutSeconds;
    if (cmd.isSet(u"distributed-timeout"_s)) {
        bool ok = false;
        seconds = cmd.value(u"distributed-timeout"_s).toInt(&ok);
        if (!ok || seconds < 1) {
            Output::error(u"--distributed-timeout: '%1' is not a number of seconds (at least 1)"_s.arg(
                cmd.value(u"distributed-timeout"_s)));
            return ExitUsage;
        }
    }
    Result<std::unique_ptr<ml::DistributedSession>> joined =
        ml::DistributedSession::join(launch, device, std::chrono::seconds(seconds));
    if (!joined) {
        Output::error(joined.error().text());
        return ExitFailure;
    }
    session = std::move(joined).value();
    return std::nullopt;
}

}  // namespace dw::cli
