#pragma once
// Save As for a result that is already a file: copied in chunks through a QSaveFile, so the
// destination appears complete or not at all (an existing file there stays until the copy
// commits); progress and cancellation through the job. Runs inside a job, not on the GUI
// thread.
#include "core/util/result.h"

#include <QString>

namespace dw {

class JobContext;

Result<void> copyFileSafely(const QString &source, const QString &destination, JobContext &job);

}  // namespace dw
