#pragma once
// train and retrain in a data-parallel run: the --distributed and --distributed-timeout
// options, and joining the run before any data is read (core/ml/distributed_session.h).
#include "command_parser.h"

#include "core/ml/distributed_session.h"

#include <QCommandLineOption>
#include <QList>

#include <memory>
#include <optional>

namespace dw::cli {

class DistributedRun {
public:
    static QList<QCommandLineOption> options();

    // Where this process stands, read from the launcher's environment; nullopt: an ordinary
    // run. An error (printed) ends the command with the exit code returned.
    static std::optional<int> prepare(const CommandParser &cmd, std::optional<ml::DistributedLaunch> &launch);
    // Joins the run on the resolved device; an error (printed) ends the command.
    static std::optional<int> join(const CommandParser &cmd, const ml::DistributedLaunch &launch, const QString &device,
                                   std::unique_ptr<ml::DistributedSession> &session);
};

}  // namespace dw::cli
