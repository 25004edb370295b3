#pragma once
// A command's part in a data-parallel run, without LibTorch in sight: reads the launcher's
// environment, joins the run (rendezvous and process group, before any data is read) and makes
// its group the active one (DistributedGroup::active()) until destroyed.
#include "core/ml/distributed_launch.h"
#include "core/util/result.h"

#include <QProcessEnvironment>
#include <QString>

#include <chrono>
#include <memory>

namespace dw::ml {

class DistributedGroup;

// True in a distributed run's ranks other than 0: they train, and leave evaluating and writing
// the module to rank 0.
bool isFollowerRank();

class DistributedSession {
public:
    // Where this process stands (distributedLaunchFrom) with its defaults applied: the device
    // of its local rank (cuda -> cuda:LOCAL_RANK) and, unless DEEPWB_THREADS says otherwise, the
    // CPU threads shared out among the local ranks (OMP_NUM_THREADS when the launcher set it).
    // Call before the device is resolved. nullopt: not a distributed run.
    static Result<std::optional<DistributedLaunch>> prepare(const QProcessEnvironment &environment, bool requested);
    // Joins the run on `device` ("cpu", "cuda", "cuda:N"; a bare "cuda" is the local rank's
    // GPU); every rank must arrive within `timeout`.
    static Result<std::unique_ptr<DistributedSession>> join(const DistributedLaunch &launch, const QString &device,
                                                            std::chrono::seconds timeout);
    ~DistributedSession();
    DistributedSession(const DistributedSession &) = delete;
    DistributedSession &operator=(const DistributedSession &) = delete;

    const DistributedLaunch &launch() const { return m_launch; }
    const QString &device() const { return m_device; }
    QString backend() const;

private:
    DistributedSession(DistributedLaunch launch, QString device, std::unique_ptr<DistributedGroup> group);

    DistributedLaunch m_launch;
    QString m_device;
    std::unique_ptr<DistributedGroup> m_group;
};

}  // namespace dw::ml
