#pragma once
// What a .pt/.pth file dropped on the workbench holds, told from its first bytes and its zip
// directory alone (no LibTorch): a TorchScript program (torch.jit.save: the archive has
// constants.pkl and code), weights or another pickled object (torch.save: data.pkl only),
// PyTorch's legacy pickle format, or something else. Fast: reads a few kilobytes.
#include <QString>

namespace dw {

enum class TorchFileKind { TorchScript, Pickle, LegacyPickle, NotTorch, Unreadable };

TorchFileKind torchFileKind(const QString &path);
// Whether the name ends in .pt, .pth or .ptc (case-insensitive): worth looking into.
bool looksLikeTorchFile(const QString &path);

}  // namespace dw
