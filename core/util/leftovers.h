// Temporary files and folders that a killed process (kill -9, a power cut) leaves behind:
// hidden import folders in the catalog, partial rasters beside an output. Their names carry
// the writer's PID ("<prefix><pid>-<random>"), so that the next run can tell a leftover (its
// process is gone) from the work of a process still running, and sweep only the former.
#pragma once

#include <QString>

namespace dw {

// True when a process with this PID runs on this machine.
bool processIsAlive(qint64 pid);

// "<pid>-": what a temporary name starts with after its prefix.
QString pidTag();

// Removes every entry of folder whose name starts with prefix followed by the PID of a process
// that is gone (files, or folders with what they hold). Returns how many were removed.
int sweepLeftovers(const QString &folder, const QString &prefix);

// The same for hidden names ".<anything><marker><pid>-...": the partial files of every output
// written into folder (".scene.partial-<pid>-..." and ".other.partial-<pid>-..." alike).
int sweepHiddenLeftovers(const QString &folder, const QString &marker);

}  // namespace dw
