#include "core/ml/distributed_launch.h"

#include <QRegularExpression>

namespace dw::ml {

namespace {

struct Names {
    const char *launcher, *rank, *size, *localRank;
};
constexpr Names kTorchrun{"torchrun", "RANK", "WORLD_SIZE", "LOCAL_RANK"};
constexpr Names kMpi{"mpi", "OMPI_COMM_WORLD_RANK", "OMPI_COMM_WORLD_SIZE", "OMPI_COMM_WORLD_LOCAL_RANK"};
constexpr Names kSlurm{"slurm", "SLURM_PROCID", "SLURM_NTASKS", "SLURM_LOCALID"};

// A whole number read from the environment, or an error naming the variable.
Result<int> integer(const QProcessEnvironment &env, const QString &name, int fallback, const QString &launcher)
{
    if (!env.contains(name))
        return fallback;
    bool ok = false;
    const int value = env.value(name).trimmed().toInt(&ok);
    if (!ok)
        return failure(QStringLiteral("%1=%2 is not a whole number (set by %3): fix the launch command")
                           .arg(name, env.value(name), launcher),
                       name);
    return value;
}

Result<DistributedLaunch> read(const QProcessEnvironment &env, const Names &names)
{
    DistributedLaunch launch;
    launch.launcher = QString::fromLatin1(names.launcher);
    const QString rankName = QString::fromLatin1(names.rank), sizeName = QString::fromLatin1(names.size);
    Result<int> size = integer(env, sizeName, 1, launch.launcher);
    Result<int> rank = integer(env, rankName, 0, launch.launcher);
    Result<int> local = integer(env, QString::fromLatin1(names.localRank), 0, launch.launcher);
    for (const Result<int> *r : {&size, &rank, &local}) {
        if (!*r)
            return r->error();
    }
    if (*size < 1)
        return failure(QStringLiteral("%1=%2: a distributed run needs a world size of at least 1 (the number of "
                                      "processes); check the launcher's process count")
                           .arg(sizeName)
                           .arg(*size),
                       sizeName);
    if (*rank < 0 || *rank >= *size)
        return failure(QStringLiteral("%1=%2 is out of range for %3=%4: ranks go from 0 to %5")
                           .arg(rankName)
                           .arg(*rank)
                           .arg(sizeName)
                           .arg(*size)
                           .arg(*size - 1),
                       rankName);
    if (*local < 0)
        return failure(QStringLiteral("%1=%2: a local rank cannot be negative")
                           .arg(QString::fromLatin1(names.localRank))
                           .arg(*local),
                       QString::fromLatin1(names.localRank));
    launch.worldSize = *size;
    launch.rank = *rank;
    launch.localRank = *local;

    if (launch.launcher == QLatin1String("slurm")) {
        QString nodes = env.value(QStringLiteral("SLURM_JOB_NODELIST"), env.value(QStringLiteral("SLURM_NODELIST")));
        launch.masterAddress = firstSlurmHost(nodes);
    } else if (launch.launcher == QLatin1String("mpi")) {
        // All ranks on this machine: the loopback; across machines MASTER_ADDR must be passed on.
        if (env.value(QStringLiteral("OMPI_COMM_WORLD_LOCAL_SIZE")) == env.value(sizeName))
            launch.masterAddress = QStringLiteral("127.0.0.1");
    }
    if (env.contains(QStringLiteral("MASTER_ADDR")))
        launch.masterAddress = env.value(QStringLiteral("MASTER_ADDR")).trimmed();
    if (launch.masterAddress.isEmpty())
        return failure(QStringLiteral("the rendezvous host is not known: set MASTER_ADDR to the address of the "
                                      "machine of rank 0 (with mpirun: mpirun -x MASTER_ADDR=host ...)"),
                       QStringLiteral("MASTER_ADDR"));
    if (env.contains(QStringLiteral("MASTER_PORT"))) {
        bool ok = false;
        const int port = env.value(QStringLiteral("MASTER_PORT")).trimmed().toInt(&ok);
        if (!ok || port < 1 || port > 65535)
            return failure(QStringLiteral("MASTER_PORT=%1 is not a TCP port: give a free port from 1024 to 65535 "
                                          "(all ranks the same)")
                               .arg(env.value(QStringLiteral("MASTER_PORT"))),
                           QStringLiteral("MASTER_PORT"));
        launch.masterPort = static_cast<quint16>(port);
    }
    launch.storeServedByLauncher =
        env.value(QStringLiteral("TORCHELASTIC_USE_AGENT_STORE")).compare(QLatin1String("true"), Qt::CaseInsensitive) ==
        0;
    return launch;
}

}  // namespace

QString DistributedLaunch::describe() const
{
    return QStringLiteral("rank %1 of %2 (%3, rendezvous %4:%5)")
        .arg(rank)
        .arg(worldSize)
        .arg(launcher, masterAddress)
        .arg(masterPort);
}

QString firstSlurmHost(const QString &nodeList)
{
    const QString list = nodeList.trimmed();
    // The first entry: up to a comma outside brackets.
    int depth = 0, end = 0;
    for (; end < list.size(); ++end) {
        const QChar c = list.at(end);
        if (c == u'[')
            ++depth;
        else if (c == u']')
            --depth;
        else if (c == u',' && depth == 0)
            break;
    }
    const QString first = list.left(end);
    const int open = first.indexOf(u'[');
    if (open < 0)
        return first;
    // prefix[03-05,9]suffix: the first number of the range, zero padding kept.
    static const QRegularExpression range(QStringLiteral("^([^\\[]*)\\[([0-9]+)[^\\]]*\\](.*)$"));
    const QRegularExpressionMatch m = range.match(first);
    return m.hasMatch() ? m.captured(1) + m.captured(2) + m.captured(3) : QString();
}

Result<std::optional<DistributedLaunch>> distributedLaunchFrom(const QProcessEnvironment &env, bool requested)
{
    const auto has = [&](const char *name) { return env.contains(QString::fromLatin1(name)); };
    const Names *names = nullptr;
    if (has("RANK") || has("WORLD_SIZE"))
        names = &kTorchrun;
    else if (has("OMPI_COMM_WORLD_SIZE"))
        names = &kMpi;
    else if (requested && has("SLURM_PROCID"))
        names = &kSlurm;
    if (!names) {
        if (!requested)
            return std::optional<DistributedLaunch>();
        return failure(QStringLiteral("--distributed needs a launcher's environment and none is set: start the "
                                      "command with torchrun (torchrun --nproc_per_node=N --no_python deepwb ...), "
                                      "srun or mpirun, or set RANK, WORLD_SIZE, MASTER_ADDR and MASTER_PORT"),
                       QStringLiteral("distributed"));
    }
    if (names == &kTorchrun && !(has("RANK") && has("WORLD_SIZE")))
        return failure(QStringLiteral("only one of RANK and WORLD_SIZE is set: a torchrun-style launch needs both "
                                      "(and MASTER_ADDR, MASTER_PORT)"),
                       has("RANK") ? QStringLiteral("WORLD_SIZE") : QStringLiteral("RANK"));
    Result<DistributedLaunch> launch = read(env, *names);
    if (!launch)
        return launch.error();
    // RANK and WORLD_SIZE set by hand rather than by torchrun's agent.
    if (names == &kTorchrun && !has("TORCHELASTIC_RUN_ID"))
        launch->launcher = QStringLiteral("environment");
    // A world of one outside --distributed is an ordinary run.
    if (launch->worldSize == 1 && !requested)
        return std::optional<DistributedLaunch>();
    return std::optional<DistributedLaunch>(std::move(launch).value());
}

}  // namespace dw::ml
