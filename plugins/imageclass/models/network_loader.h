#pragma once
// The network behind a module's weights file, whatever produced it: one of our
// architectures built by name and loaded strictly from its state dict, or a TorchScript model
// (architecture "torchscript") loaded as it is.
#include "plugins/imageclass/models/classifier.h"

#include <memory>
#include <string>

namespace dw::imageclass {

inline constexpr const char *kTorchScriptArchitecture = "torchscript";

// nullptr and *error set when the network cannot be built or the file does not fit it.
std::shared_ptr<ClassifierImpl> loadNetwork(const ModelSpec &spec, const std::string &weightsPath, std::string *error);

}  // namespace dw::imageclass
