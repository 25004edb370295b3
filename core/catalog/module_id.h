#pragma once
// Module ids: folder-safe names ([a-z0-9][a-z0-9._-]*, at most 64 characters) that the catalog,
// the CLI and REST use to name a module; and the id a person's name for a module becomes.
#include <QString>

namespace dw {

constexpr int kMaxModuleIdLength = 64;

bool isValidModuleId(const QString &id);

// "My FMNIST test" -> "my-fmnist-test", "Étude n°2" -> "etude-n-2": lower case, accents
// dropped, every run of other characters one '-', no leading or trailing separator, cut at
// kMaxModuleIdLength. Empty when nothing usable is left (a name of only punctuation).
QString moduleIdFromName(const QString &name);

}  // namespace dw
