#pragma once
// The weights a module loads are the ones its manifest names: their SHA-256 against
// weights.sha256, checked before every load, not only at import (a file damaged or replaced
// since would otherwise predict nonsense). A digest is computed once per file version (path,
// size and modification time) in a process, so a server or the workbench pays for it once.
#include "core/catalog/module_manifest.h"
#include "core/util/result.h"

#include <QString>

namespace dw {

// An error naming the file and both digests when they differ ("copy or download it again");
// nothing to check (no digest recorded) is fine. Thread-safe.
Result<void> checkWeightsDigest(const ModuleManifest &manifest, const QString &moduleDir);

}  // namespace dw
