#pragma once
// A training checkpoint: everything a run needs to continue exactly where it stopped —
// the model's parameters and buffers, the optimiser's state (momenta, Adam moments, step
// counts), the epoch, the random generators, the best model so far and free-form metadata
// (history, early stopping, normalisation) as JSON. One file in LibTorch's archive format,
// written atomically: a crash while saving leaves the previous checkpoint intact.
#include "core/ml/torch/random_state.h"
#include "core/util/result.h"

#include <torch/nn/module.h>
#include <torch/optim/optimizer.h>
#include <torch/types.h>

#include <QJsonObject>
#include <QString>

#include <string>
#include <utility>
#include <vector>

namespace dw::ml {

struct CheckpointData {
    int epoch = 0;  // the last completed epoch
    QJsonObject meta;
    std::vector<std::pair<std::string, torch::Tensor>> bestState;  // by name; may be empty
    RandomState random;
};

class TrainingCheckpoint {
public:
    static Result<void> save(const QString &path, const torch::nn::Module &model,
                             const torch::optim::Optimizer &optimizer, const CheckpointData &data);
    // Loads model and optimizer state in place (they must have the same structure as when
    // saved: same architecture, classes and parameter groups) and returns the rest. The
    // random state is returned, not applied. Tensors go to device.
    static Result<CheckpointData> load(const QString &path, torch::nn::Module &model,
                                       torch::optim::Optimizer &optimizer, const torch::Device &device);
    // Only the epoch and the metadata, e.g. to check that a checkpoint fits a request.
    static Result<CheckpointData> peek(const QString &path);
};

}  // namespace dw::ml
