#include "core/ml/distributed_session.h"

#include "core/ml/distributed_group.h"

#include <QThread>

#include <algorithm>

namespace dw::ml {

namespace {

// How many ranks of the run share this machine, where the launcher says it.
int localWorldSize(const QProcessEnvironment &env)
{
    for (const char *name : {"LOCAL_WORLD_SIZE", "OMPI_COMM_WORLD_LOCAL_SIZE"}) {
        bool ok = false;
        const int n = env.value(QString::fromLatin1(name)).toInt(&ok);
        if (ok && n > 0)
            return n;
    }
    return 1;
}

}  // namespace

bool isFollowerRank()
{
    const DistributedGroup *group = DistributedGroup::active();
    return group && !group->isLeader();
}

Result<std::optional<DistributedLaunch>> DistributedSession::prepare(const QProcessEnvironment &env, bool requested)
{
    Result<std::optional<DistributedLaunch>> launch = distributedLaunchFrom(env, requested);
    if (!launch || !launch->has_value())
        return launch;
    if (!env.contains(QStringLiteral("DEEPWB_THREADS"))) {
        bool ok = false;
        int threads = env.value(QStringLiteral("OMP_NUM_THREADS")).toInt(&ok);
        if (!ok || threads < 1)
            threads = std::max(1, QThread::idealThreadCount() / localWorldSize(env));
        qputenv("DEEPWB_THREADS", QByteArray::number(threads));
    }
    return launch;
}

Result<std::unique_ptr<DistributedSession>>
DistributedSession::join(const DistributedLaunch &launch, const QString &device, std::chrono::seconds timeout)
{
    // One GPU per local rank.
    const QString mine = device == QLatin1String("cuda") || device == QLatin1String("cuda:0")
                             ? QStringLiteral("cuda:%1").arg(launch.localRank)
                             : device;
    Result<std::unique_ptr<DistributedGroup>> group = DistributedGroup::join(launch, mine, timeout);
    if (!group)
        return group.error();
    (*group)->activate();
    return std::unique_ptr<DistributedSession>(new DistributedSession(launch, mine, std::move(group).value()));
}

DistributedSession::DistributedSession(DistributedLaunch launch, QString device,
                                       std::unique_ptr<DistributedGroup> group)
    : m_launch(std::move(launch)), m_device(std::move(device)), m_group(std::move(group))
{}

DistributedSession::~DistributedSession() = default;

QString DistributedSession::backend() const
{
    return m_group->backend();
}

}  // namespace dw::ml
