#pragma once
// A Slurm batch job that trains a module with `deepwb train|retrain ... --distributed` on
// one or more cluster nodes, and the batch script (sbatch) that runs it: one task per GPU,
// the torch.distributed rendezvous on the first node, the module a re-training starts from
// imported once before the ranks start. Plain text, no Slurm library: the script is written
// on the workstation and submitted on the cluster.
#include "core/util/result.h"

#include <QString>
#include <QStringList>

namespace dw {

struct SlurmJob {
    QString jobName;  // #SBATCH --job-name; empty: the command's --name
    int nodes = 1;
    int gpusPerNode = 0;   // 0: CPU only
    int tasksPerNode = 0;  // ranks per node; 0: one per GPU, or 1 on CPUs only
    int cpusPerTask = 1;
    QString partition;                          // empty: the cluster's default
    QString timeLimit;                          // HH:MM:SS or D-HH:MM:SS; empty: the partition's default
    QString account;                            // empty: the user's default
    QString deepwb = QStringLiteral("deepwb");  // the program on the cluster (a path or a name on PATH)
    QString catalog;  // the run's --catalog DIR on the cluster; empty: deepwb's default catalog there
    // `train TASK ...` or `retrain PARENT ...`, as typed after "deepwb"; the script adds
    // --distributed, --catalog and, when the command has none, --device cuda (GPUs) or cpu.
    QStringList command;
    // A module archive (.dwm) to import into the catalog before the run, relative to the
    // folder sbatch is run from (or absolute); empty: none.
    QString moduleArchive;
};

// Errors, each saying what to change: nodes, GPUs, tasks or CPUs out of range, a time limit
// that is not HH:MM:SS or D-HH:MM:SS, names Slurm cannot take, a command that is not train
// or retrain, lacks its TASK/PARENT or a valid --name, or carries its own --catalog.
Result<void> validateSlurmJob(const SlurmJob &job);

// The tasks (ranks) per node the job runs: tasksPerNode, else one per GPU, else 1.
int slurmTasksPerNode(const SlurmJob &job);
// The command's --name (the new module's id); empty when it has none.
QString commandModuleName(const QStringList &command);
// The job's name: jobName, else the command's --name.
QString slurmJobName(const SlurmJob &job);

// The line every rank runs: srun DEEPWB COMMAND... [--device cuda|cpu] --distributed [--catalog DIR].
QStringList slurmRunCommand(const SlurmJob &job);
// The batch script, after validateSlurmJob().
Result<QString> slurmScript(const SlurmJob &job);

// One word for bash: as it is when it holds only characters bash leaves alone, else in single
// quotes (a quote inside becomes '\''). Empty: ''.
QString shellQuote(const QString &word);
// The words quoted and joined by spaces.
QString shellCommand(const QStringList &words);

}  // namespace dw
