#pragma once
// Where this process stands in a data-parallel run, read from the environment its launcher
// set, before anything else happens (no data read, no network touched):
//   torchrun / torch.distributed.launch  RANK, WORLD_SIZE, LOCAL_RANK, MASTER_ADDR, MASTER_PORT
//   Slurm (srun)                         SLURM_PROCID, SLURM_NTASKS, SLURM_LOCALID and the
//                                        first host of SLURM_JOB_NODELIST (or SLURM_NODELIST)
//   Open MPI (mpirun)                    OMPI_COMM_WORLD_RANK, _SIZE, _LOCAL_RANK
// MASTER_ADDR and MASTER_PORT, when set, win over what a launcher implies; the port defaults
// to 29500 as in PyTorch. A wrong environment (a world size of 0, a rank out of range, a port
// that is not one) is an Error that says which variable and what to set.
#include "core/util/result.h"

#include <QProcessEnvironment>
#include <QString>

#include <optional>

namespace dw::ml {

struct DistributedLaunch {
    QString launcher;  // "torchrun", "slurm", "mpi", "environment"
    int rank = 0;
    int worldSize = 1;
    int localRank = 0;
    QString masterAddress;
    quint16 masterPort = 29500;
    // torchrun's agent already serves the rendezvous store (TORCHELASTIC_USE_AGENT_STORE):
    // rank 0 joins it instead of opening its own.
    bool storeServedByLauncher = false;

    bool isLeader() const { return rank == 0; }
    // "rank 1 of 2 (torchrun, rendezvous 127.0.0.1:29500)"
    QString describe() const;
};

// `requested`: the user asked for --distributed. Without it only torchrun's and mpirun's
// environments (with a world size above 1) start a distributed run on their own; Slurm's needs
// --distributed, since a plain command in a batch script sees SLURM_NTASKS too.
// nullopt: not a distributed run. An error: the environment is there but wrong, or
// --distributed was asked for without any launcher's environment.
Result<std::optional<DistributedLaunch>> distributedLaunchFrom(const QProcessEnvironment &environment, bool requested);

// The first host of a Slurm node list: "node[03-05,9],gpu01" -> "node03", "a,b" -> "a".
QString firstSlurmHost(const QString &nodeList);

}  // namespace dw::ml
