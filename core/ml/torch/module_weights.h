#pragma once
// weights.pt of a trained module (forecaster, super-resolution network, ...): a network's
// parameters and buffers by name in LibTorch's archive format, written atomically (a crash
// leaves the old file, never half a new one).
#include "core/util/result.h"

#include <torch/nn/module.h>
#include <torch/types.h>

#include <QString>

namespace dw::ml {

class ModuleWeights {
public:
    static Result<void> save(const torch::nn::Module &model, const QString &path);
    // The network must have the architecture the file was written for; a mismatch (another
    // shape, more layers) is an error that says so, and leaves the network as it was.
    static Result<void> load(torch::nn::Module &model, const QString &path, const torch::Device &device);
};

}  // namespace dw::ml
