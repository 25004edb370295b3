#pragma once
// The files of a cluster training, written on the workstation to be copied to the cluster:
// the Slurm batch script and, when the training starts from a module of the local catalog
// (retrain's PARENT, or --init MODULE), that module's archive, which the script imports
// before the run. Shared by `deepwb cluster-script` and the Train workspace's "Run on a
// cluster…"; the archive can be gigabytes, so call writeClusterJob() from a job.
#include "core/catalog/module_archive.h"
#include "core/jobs/slurm_script.h"
#include "core/util/result.h"

#include <QString>
#include <QStringList>

#include <optional>

namespace dw {

class Catalog;

// A module of the local catalog that a cluster command starts from.
struct ShippedModule {
    QString id;         // its id: what the command names once it is imported on the cluster
    QString directory;  // its folder here (":/modules/..." for a built-in one)
};

// The module the command starts from, when the local catalog has it: retrain's PARENT or
// --init's value, given as a catalog id or as a module folder. The command is changed to name
// it by id (a folder here means nothing on the cluster). Nothing: the command starts from no
// local module (a task's template, ImageNet weights, or a path that only exists on the cluster).
// Error: both a PARENT and an --init module, or a module that is not trained.
Result<std::optional<ShippedModule>> shipModuleOf(QStringList &command, const Catalog &catalog);

// The archive's file name beside the script: "<id>.dwm".
QString shippedArchiveName(const ShippedModule &module);

struct ClusterJobFiles {
    QString script;   // <folder>/<job name>.slurm
    QString archive;  // <folder>/<id>.dwm; empty when no module is shipped
};

// Validates the job, writes the module's archive (when module is set; job.moduleArchive is set
// to its name) and then the script, executable, into folder (made when missing). All or
// nothing: on any error (or a cancel through progress) neither file is left.
Result<ClusterJobFiles> writeClusterJob(SlurmJob job, const QString &folder, const std::optional<ShippedModule> &module,
                                        const ArchiveProgress &progress = {});

}  // namespace dw
