#pragma once
// A copy of a network's parameters and buffers by name: the best epoch's weights kept during
// training (and stored in checkpoints) and put back at the end.
#include <torch/nn/module.h>
#include <torch/types.h>

#include <string>
#include <utility>
#include <vector>

namespace dw::ml {

using NamedTensors = std::vector<std::pair<std::string, torch::Tensor>>;

// Detached clones of every parameter and buffer, on the module's device.
NamedTensors snapshotOf(const torch::nn::Module &module);
// Copies the tensors back into the parameters and buffers of the same names (others are
// left alone); nothing happens for an empty snapshot.
void restoreSnapshot(torch::nn::Module &module, const NamedTensors &snapshot);

}  // namespace dw::ml
