#pragma once
// What a training that was killed before its first checkpoint leaves in its module folder:
// nothing but empty folders and, in checkpoints/, a checkpoint that was being written when the
// process died (QSaveFile's temporary file, never renamed to last.pt). Nothing in it can be
// used or resumed: the catalog does not list it, and a new training of that name may use the
// folder.
#include <QString>

namespace dw {

// True for an empty folder too; false as soon as there is a module.json, a complete checkpoint
// (checkpoints/last.pt) or any other file.
bool holdsNoTrainingYet(const QString &moduleDir);

}  // namespace dw
