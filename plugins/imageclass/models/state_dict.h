#pragma once
// Weights by parameter/buffer NAME, exchangeable with PyTorch.
//
// Writing: saveStateDict() writes a dict {name: tensor} in the zip format of Python's
// torch.save (torch_save_format.h): in Python, model.load_state_dict(torch.load(path)) reads
// it into the torchvision model of the same architecture, also with PyTorch >= 2.6's
// default weights_only=True.
// Reading: loadStateDict() takes
//   - what Python's torch.save(model.state_dict(), path) writes (zip format, PyTorch >= 1.6;
//     the OrderedDict that LibTorch 1.13 alone cannot read is handled, see
//     torch_save_format.h), a plain dict, or a checkpoint dict holding the weights under
//     "state_dict", "model_state_dict", "model" or "state"; a "module." prefix (DataParallel)
//     is removed;
//   - TorchScript archives: torch.jit.save of a scripted/traced model and LibTorch's
//     torch::save(module), whose parameters and buffers carry the same names;
//   - the files saveStateDict() writes.
// Not readable: the legacy (pre-1.6, _use_new_zipfile_serialization=False) format, pickled
// whole models (torch.save(model)): clear messages say how to re-save.
#include <torch/nn/module.h>
#include <torch/types.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace dw::imageclass {

using NamedTensors = std::vector<std::pair<std::string, torch::Tensor>>;

// Parameters and buffers in the order of PyTorch's state_dict(): for each module its own
// parameters, then its own buffers, then its children's, depth first.
NamedTensors stateDict(const torch::nn::Module &module);

struct LoadOptions {
    // false: load every entry that fits and leave the rest as it is (the problems still go
    // to *error). true: nothing is changed unless every entry fits.
    bool strict = true;
    // Names starting with one of these are neither loaded nor reported (e.g. {"fc."} to keep
    // a freshly replaced head).
    std::vector<std::string> skipPrefixes{};
};

bool saveStateDict(const torch::nn::Module &module, const std::string &path, std::string *error = nullptr);
std::vector<char> stateDictBytes(const torch::nn::Module &module);

// The name -> tensor entries of a weights file (tensors on the CPU); nullopt and *error set
// for a file that cannot be read.
std::optional<NamedTensors> readStateDict(const std::string &path, std::string *error = nullptr);
std::optional<NamedTensors> readStateDictBytes(const std::vector<char> &bytes, std::string *error = nullptr);

// Copies entries into the module's parameters and buffers by name (converting the dtype,
// moving to the module's device). Mismatches are reported one per line:
//   "missing: fc.weight", "unexpected: classifier.1.bias",
//   "layer1.0.conv1.weight: shape [64, 64, 3, 3] in the file, [32, 64, 3, 3] expected".
bool applyStateDict(torch::nn::Module &module, const NamedTensors &entries, std::string *error = nullptr,
                    const LoadOptions &options = {});

// readStateDict + applyStateDict; the message names the file.
bool loadStateDict(torch::nn::Module &module, const std::string &path, std::string *error = nullptr,
                   const LoadOptions &options = {});

}  // namespace dw::imageclass
