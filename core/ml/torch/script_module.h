#pragma once
// TorchScript models brought by the user (torch.jit.script(model).save(path) or
// torch.jit.trace(...).save(path) in PyTorch): loaded on the CPU with messages that say what
// the file is when it is not a TorchScript archive, run with one tensor in and one tensor
// out, and saved back atomically after fine-tuning.
#include "core/util/result.h"

#include <QString>

#include <torch/script.h>

namespace dw::ml {

// The archive's model on the CPU. Errors name the file and what was found instead: a state
// dict (torch.save(model.state_dict())), a pickled whole model, PyTorch's legacy format, or
// not a PyTorch file at all.
Result<torch::jit::Module> loadScriptModule(const QString &path);

// forward(x) of a model that takes one tensor and returns one tensor; a tuple, list or dict
// output is an error that says what came back. Throws c10::Error like any LibTorch call.
torch::Tensor runScriptModule(torch::jit::Module &module, const torch::Tensor &x);

// What went wrong in a script, in one line: TorchScript reports its interpreter's errors as a
// generic first line and a traceback of the script; the last line says what failed ("mat1 and
// mat2 shapes cannot be multiplied (2x16384 and 16x4)"). Errors the interpreter raises are not
// c10::Error: catch std::exception around a script.
std::string scriptErrorText(const std::exception &error);

// Writes the model (with its current parameters) to path through a temporary file.
Result<void> saveScriptModule(const torch::jit::Module &module, const QString &path);

// The qualified type name of a scripted module ("__torch__.torch.nn.modules.linear.Linear").
std::string scriptTypeName(const torch::jit::Module &module);

}  // namespace dw::ml
