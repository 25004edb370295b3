#pragma once
// The zip format of Python's torch.save (PyTorch >= 1.6), read and written from C++.
//
// Reading takes a state_dict() as it comes: an OrderedDict carrying a _metadata attribute.
// Why this exists: LibTorch 1.13's torch::pickle_load reads torch.save files, but its
// unpickler turns every collections.OrderedDict into None (it expects them only as the unused
// backward-hooks argument of a tensor) and cannot BUILD a dict's attributes, so
// torch.save(model.state_dict(), path) fails with "Expected GenericDict but got None"
// (pytorch/pytorch#100741, fixed only in PyTorch 2.6). Rather than asking every user to save
// dict(model.state_dict()), the pickle program is rewritten before LibTorch's own Unpickler
// runs it: each OrderedDict() becomes an empty dict and the _metadata state is dropped; and
// as 1.13's unpickler lacks the single-item SETITEM and APPEND that Python writes for dicts
// and lists of one entry ({"x": tensor}), those become their batched forms.
// Everything else (tensor storages, dtypes, CUDA-saved tensors, mapped to the CPU) is
// LibTorch's unchanged code path.
#include <ATen/core/ivalue.h>

#include <optional>
#include <string>
#include <vector>

namespace dw::imageclass {

// The object a zip-format torch.save file holds (tensors on the CPU); nullopt and *error set
// when the bytes are not such a file or use something LibTorch cannot represent.
std::optional<c10::IValue> readTorchSave(const std::vector<char> &bytes, std::string *error);

// Writing: torch::pickle_save tags typed containers with torch.jit._pickle.restore_type_tag,
// which torch.load refuses by default since PyTorch 2.6 (weights_only=True). writeTorchSave
// pickles without those tags, so the file holds only what weights_only allows: dicts,
// strings, numbers and tensors rebuilt by torch._utils._rebuild_tensor_v2.
std::vector<char> writeTorchSave(const c10::IValue &value);

// The pickle program with OrderedDict construction replaced by plain dicts, dict state
// (BUILD) dropped and SETITEM/APPEND batched; the input unchanged when it holds anything
// this rewrite does not know.
std::vector<char> rewriteOrderedDicts(const std::vector<char> &pickle);

}  // namespace dw::imageclass
