#pragma once
// This process's place in a data-parallel training run on PyTorch's c10d: the rendezvous (a
// c10d TCPStore served by rank 0), the process group (ProcessGroupGloo on the CPU,
// ProcessGroupNCCL on CUDA where the LibTorch build has it) and the collectives training needs:
// the network from rank 0, gradients averaged in buckets after every backward pass, a pass's
// metrics summed, the weights' digest compared. A collective that fails (a rank died, the
// network broke, a rank stopped answering within the timeout) is an Error that names the
// ranks that did not answer and the cause; none waits past the timeout.
//
// One run per process: the CLI joins (DistributedSession) before any data is read; the group
// is then active() for the trainers, the optimiser and the epoch skeleton, which ask for it.
#include "core/ml/distributed_launch.h"
#include "core/ml/distributed_shard.h"
#include "core/util/result.h"

#include <torch/types.h>

#include <chrono>
#include <memory>
#include <vector>

namespace torch::nn {
class Module;
}

namespace dw::ml {

class DistributedGroup {
public:
    // Joins the run: the store's rendezvous (every rank arrives within `timeout`, or an error
    // lists the ranks that did not), then the process group. device: "cpu" or "cuda[:N]".
    static Result<std::unique_ptr<DistributedGroup>> join(const DistributedLaunch &launch, const QString &device,
                                                          std::chrono::milliseconds timeout);
    ~DistributedGroup();
    DistributedGroup(const DistributedGroup &) = delete;
    DistributedGroup &operator=(const DistributedGroup &) = delete;

    // The group of this process's run; nullptr outside a distributed run.
    static DistributedGroup *active();
    void activate();
    void deactivate();

    const DistributedLaunch &launch() const;
    int rank() const { return launch().rank; }
    int worldSize() const { return launch().worldSize; }
    bool isLeader() const { return rank() == 0; }
    DistributedShard shard() const { return {rank(), worldSize()}; }
    // The active run's shard; the whole data outside a distributed run.
    static DistributedShard currentShard()
    {
        const DistributedGroup *group = active();
        return group ? group->shard() : DistributedShard{};
    }
    QString backend() const;  // "gloo" or "nccl"

    // Rank 0's parameters and buffers into every rank's network.
    Result<void> broadcastState(torch::nn::Module &network);
    // Rank 0's buffers (batch-norm running statistics) into every rank's network.
    Result<void> broadcastBuffers(torch::nn::Module &network);
    // Every rank's gradients replaced by their mean over the ranks, in flattened buckets of at
    // most 25 MB (one all-reduce each). A parameter without a gradient counts as zeros.
    Result<void> averageGradients(const std::vector<torch::Tensor> &parameters);
    // The element-wise sums of every rank's values (in double precision).
    Result<std::vector<double>> sum(const std::vector<double> &values);
    // An error naming the ranks whose weights differ from rank 0's (a 64-bit digest each).
    Result<void> checkSameWeights(torch::nn::Module &network);
    // SHA-256 of the network's parameters and buffers, as hex.
    static QString weightsDigest(torch::nn::Module &network);

private:
    struct Impl;
    explicit DistributedGroup(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m;
};

}  // namespace dw::ml
