#include "core/jobs/slurm_script.h"

#include "core/catalog/module_id.h"

#include <QRegularExpression>

namespace dw {

using namespace Qt::StringLiterals;

namespace {

constexpr int kMaxNodes = 100000;
constexpr int kMaxGpusPerNode = 64;
constexpr int kMaxTasksPerNode = 1024;
constexpr int kMaxCpusPerTask = 4096;

// The value of --flag in a command ("--flag VALUE" or "--flag=VALUE"); empty when absent.
QString flagValue(const QStringList &command, const QString &flag)
{
    const QString option = u"--"_s + flag;
    for (qsizetype i = 0; i < command.size(); ++i) {
        if (command.at(i) == option)
            return command.value(i + 1);
        if (command.at(i).startsWith(option + u'='))
            return command.at(i).mid(option.size() + 1);
    }
    return {};
}

bool hasFlag(const QStringList &command, const QString &flag)
{
    const QString option = u"--"_s + flag;
    for (const QString &word : command)
        if (word == option || word.startsWith(option + u'='))
            return true;
    return false;
}

Result<void> validateTimeLimit(const QString &limit)
{
    static const QRegularExpression hms(u"^(\\d{1,4}):([0-5]\\d):([0-5]\\d)$"_s);
    static const QRegularExpression dhms(u"^(\\d{1,3})-([01]\\d|2[0-3]):([0-5]\\d):([0-5]\\d)$"_s);
    const QString text = limit.trimmed();
    if (text.isEmpty())
        return success();  // the partition's default limit
    if (!hms.match(text).hasMatch() && !dhms.match(text).hasMatch())
        return Error::at(u"time"_s, u"'%1' is not a time limit: write HH:MM:SS (e.g. 12:00:00) or D-HH:MM:SS "
                                    "(e.g. 2-00:00:00 for two days)"_s.arg(limit));
    static const QRegularExpression digits(u"[1-9]"_s);
    if (!digits.match(text).hasMatch())
        return Error::at(u"time"_s, u"the time limit is zero: give the time the training may take, e.g. 04:00:00"_s);
    return success();
}

// Partition and account names go on #SBATCH lines, which sbatch reads without a shell.
Result<void> validateSlurmName(const QString &value, const QString &field, const QString &what)
{
    static const QRegularExpression plain(u"^[A-Za-z0-9_.,+-]*$"_s);
    if (!plain.match(value).hasMatch())
        return Error::at(field, u"'%1' cannot be a Slurm %2: use letters, digits and . _ - + , only (see "
                                "'sinfo' or 'sacctmgr show assoc user=$USER' on the cluster)"_s.arg(value, what));
    return success();
}

Result<void> validateCommand(const QStringList &command)
{
    const QString verb = command.value(0);
    if (verb != u"train"_s && verb != u"retrain"_s)
        return Error::at(u"command"_s,
                         verb.isEmpty()
                             ? u"no command to run: give the deepwb command after '--', e.g. -- train "
                               "image-classification --data DIR --name NAME"_s
                             : u"'%1' cannot run on a cluster: the command must be 'train TASK ...' or 'retrain PARENT "
                               "...' (the other commands do not train)"_s.arg(verb));
    const QString subject = command.value(1);
    if (subject.isEmpty() || subject.startsWith(u'-'))
        return Error::at(u"command"_s,
                         verb == u"train"_s
                             ? u"'train' needs the TASK first, e.g. train image-classification --data DIR"_s
                             : u"'retrain' needs the PARENT module first, e.g. retrain "
                               "fashion-mnist-demo --data DIR"_s);
    const QString name = commandModuleName(command);
    if (name.isEmpty())
        return Error::at(u"name"_s, u"the command has no --name: give the new module's id, e.g. --name plants-v2"_s);
    if (!isValidModuleId(name)) {
        const QString suggestion = moduleIdFromName(name);
        return Error::at(u"name"_s,
                         u"'%1' cannot be a module id: use lower-case letters, digits, '.', '_' and '-'%2"_s.arg(
                             name, suggestion.isEmpty() ? QString() : u", e.g. --name "_s + suggestion));
    }
    if (hasFlag(command, u"catalog"_s))
        return Error::at(u"catalog"_s, u"the command names its own --catalog: leave it out and give the catalog "
                                       "folder on the cluster as the job's catalog (--cluster-catalog)"_s);
    return success();
}

QString hostsAndPort()
{
    return u"# The rendezvous of torch.distributed: the first node of the job, on a port of this job's own.\n"
           "export MASTER_ADDR=$(scontrol show hostnames \"$SLURM_JOB_NODELIST\" | head -n 1)\n"
           "export MASTER_PORT=${MASTER_PORT:-$((20000 + SLURM_JOB_ID % 20000))}\n"
           "if [ -z \"$MASTER_ADDR\" ]; then\n"
           "    echo \"deepwb: 'scontrol show hostnames' named no node of this job; is this run by sbatch?\" >&2\n"
           "    exit 1\n"
           "fi\n"
           "# One thread pool per rank, the size of its CPUs.\n"
           "export OMP_NUM_THREADS=$SLURM_CPUS_PER_TASK\n"_s;
}

QString importStep(const SlurmJob &job)
{
    const QString archive = shellQuote(job.moduleArchive);
    QStringList import{job.deepwb, u"catalog"_s, u"import"_s, job.moduleArchive, u"--replace"_s};
    if (!job.catalog.isEmpty())
        import << u"--catalog"_s << job.catalog;
    // sbatch runs a copy of the script, so the archive is looked for where sbatch was run.
    const QString missing = shellQuote(u"deepwb: %1 is not in "_s.arg(job.moduleArchive)) + u"\"$PWD\""_s +
                            shellQuote(u": run sbatch from the folder that holds the script and the archive"_s);
    return u"# The module this training starts from, archived on the workstation: imported once, before the\n"
           "# ranks start (--replace: a resubmitted job imports the same module again).\n"
           "if [ ! -f %1 ]; then\n"
           "    echo %2 >&2\n"
           "    exit 1\n"
           "fi\n"
           "%3\n"_s.arg(archive, missing, shellCommand(import));
}

// Told once the training has succeeded (set -e stops the script before, when it fails). A
// quoted here-document: nothing in it is expanded.
QString homecoming(const SlurmJob &job, const QString &name)
{
    QStringList exportCommand{job.deepwb, u"catalog"_s, u"export"_s, name, name + u".dwm"_s};
    if (!job.catalog.isEmpty())
        exportCommand << u"--catalog"_s << job.catalog;
    const QString where = job.catalog.isEmpty() ? u"deepwb's default catalog"_s : u"the catalog "_s + job.catalog;
    return u"# Bringing the module home: export it here, import the archive on the workstation.\n"
           "cat <<'DEEPWB_HOMECOMING'\n"
           "deepwb: the module %1 is in %2 on the cluster.\n"
           "To bring it to your workstation, export it here:\n"
           "    %3\n"
           "copy %1.dwm to your workstation and import it there like any module:\n"
           "    deepwb catalog import %1.dwm\n"
           "(or the Catalog's Import in the workbench; copying the folder %1 of that catalog into your\n"
           "own catalog works too).\n"
           "DEEPWB_HOMECOMING\n"_s.arg(name, where, shellCommand(exportCommand));
}

}  // namespace

QString commandModuleName(const QStringList &command)
{
    return flagValue(command, u"name"_s);
}

QString slurmJobName(const SlurmJob &job)
{
    return job.jobName.isEmpty() ? commandModuleName(job.command) : job.jobName;
}

int slurmTasksPerNode(const SlurmJob &job)
{
    if (job.tasksPerNode > 0)
        return job.tasksPerNode;
    return job.gpusPerNode > 0 ? job.gpusPerNode : 1;
}

Result<void> validateSlurmJob(const SlurmJob &job)
{
    if (job.nodes < 1 || job.nodes > kMaxNodes)
        return Error::at(u"nodes"_s,
                         u"%1 nodes: a job needs at least 1 node (at most %2)"_s.arg(job.nodes).arg(kMaxNodes));
    if (job.gpusPerNode < 0 || job.gpusPerNode > kMaxGpusPerNode)
        return Error::at(u"gpus-per-node"_s,
                         u"%1 GPUs per node: give 0 (CPU only) to %2"_s.arg(job.gpusPerNode).arg(kMaxGpusPerNode));
    if (job.gpusPerNode > 0 && job.tasksPerNode > 0 && job.tasksPerNode != job.gpusPerNode)
        return Error::at(u"tasks-per-node"_s,
                         u"%1 tasks per node with %2 GPUs per node: each task trains on one GPU, so leave the tasks "
                         "per node out (or make them %2)"_s.arg(job.tasksPerNode)
                             .arg(job.gpusPerNode));
    if (job.tasksPerNode < 0 || job.tasksPerNode > kMaxTasksPerNode)
        return Error::at(u"tasks-per-node"_s,
                         u"%1 tasks per node: give 1 to %2"_s.arg(job.tasksPerNode).arg(kMaxTasksPerNode));
    if (job.cpusPerTask < 1 || job.cpusPerTask > kMaxCpusPerTask)
        return Error::at(u"cpus-per-task"_s,
                         u"%1 CPUs per task: give 1 to %2"_s.arg(job.cpusPerTask).arg(kMaxCpusPerTask));
    if (Result<void> time = validateTimeLimit(job.timeLimit); !time)
        return time;
    if (Result<void> partition = validateSlurmName(job.partition, u"partition"_s, u"partition"_s); !partition)
        return partition;
    if (Result<void> account = validateSlurmName(job.account, u"account"_s, u"account"_s); !account)
        return account;
    if (job.deepwb.trimmed().isEmpty())
        return Error::at(u"deepwb"_s, u"no deepwb program: give its path on the cluster, or 'deepwb' when it is "
                                      "on the PATH there"_s);
    if (Result<void> command = validateCommand(job.command); !command)
        return command;
    const QString name = slurmJobName(job);
    static const QRegularExpression jobNamePattern(u"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$"_s);
    if (!jobNamePattern.match(name).hasMatch())
        return Error::at(u"job-name"_s,
                         u"'%1' cannot be a job name: use letters, digits, '.', '_' and '-'"_s.arg(name));
    if (!job.moduleArchive.isEmpty() && !job.moduleArchive.endsWith(u".dwm"_s))
        return Error::at(
            u"archive"_s,
            u"'%1' is not a module archive: it must be a .dwm file written by 'deepwb catalog export'"_s.arg(
                job.moduleArchive));
    for (const QString &word : job.command + QStringList{job.deepwb, job.catalog, job.moduleArchive})
        if (word.contains(u'\n') || word.contains(u'\r') || word.contains(QChar(0)))
            return Error::at(u"command"_s, u"an argument holds a line break; no file or module name needs one: "
                                           "check '%1'"_s.arg(word.simplified()));
    return success();
}

Result<QString> slurmScript(const SlurmJob &job)
{
    if (Result<void> valid = validateSlurmJob(job); !valid)
        return valid.error();
    const QString name = commandModuleName(job.command);
    QString script = u"#!/bin/bash\n"
                     "# A DEEP Workbench training on a Slurm cluster (deepwb %1 %2): submit it with sbatch.\n"_s.arg(
                         job.command.at(0), job.command.at(1));
    script += u"#SBATCH --job-name=%1\n"_s.arg(slurmJobName(job));
    script += u"#SBATCH --nodes=%1\n"_s.arg(job.nodes);
    script += u"#SBATCH --ntasks-per-node=%1\n"_s.arg(slurmTasksPerNode(job));
    if (job.gpusPerNode > 0)
        script += u"#SBATCH --gpus-per-node=%1\n"_s.arg(job.gpusPerNode);
    script += u"#SBATCH --cpus-per-task=%1\n"_s.arg(job.cpusPerTask);
    if (!job.partition.isEmpty())
        script += u"#SBATCH --partition=%1\n"_s.arg(job.partition);
    if (!job.timeLimit.trimmed().isEmpty())
        script += u"#SBATCH --time=%1\n"_s.arg(job.timeLimit.trimmed());
    if (!job.account.isEmpty())
        script += u"#SBATCH --account=%1\n"_s.arg(job.account);
    script += u"#SBATCH --output=%x-%j.out\n\nset -euo pipefail\n\n"_s;
    script += hostsAndPort();
    if (!job.moduleArchive.isEmpty())
        script += u"\n"_s + importStep(job);

    script += u"\n# Every task is one rank of the training; rank 0 writes the module.\n"_s +
              shellCommand(slurmRunCommand(job)) + u"\n\n"_s;
    script += homecoming(job, name);
    return script;
}

QStringList slurmRunCommand(const SlurmJob &job)
{
    QStringList run{u"srun"_s, job.deepwb};
    run += job.command;
    // One GPU per rank (cuda becomes cuda:LOCAL_RANK), or the CPUs when the job asks for no GPU.
    if (!hasFlag(job.command, u"device"_s))
        run << u"--device"_s << (job.gpusPerNode > 0 ? u"cuda"_s : u"cpu"_s);
    if (!job.command.contains(u"--distributed"_s))
        run << u"--distributed"_s;
    if (!job.catalog.isEmpty())
        run << u"--catalog"_s << job.catalog;
    return run;
}

QString shellQuote(const QString &word)
{
    static const QRegularExpression safe(u"^[A-Za-z0-9_@%+=:,./-]+$"_s);
    if (safe.match(word).hasMatch())
        return word;
    QString quoted = word;
    quoted.replace(u"'"_s, u"'\\''"_s);
    return u"'"_s + quoted + u"'"_s;
}

QString shellCommand(const QStringList &words)
{
    QStringList quoted;
    quoted.reserve(words.size());
    for (const QString &word : words)
        quoted << shellQuote(word);
    return quoted.join(u' ');
}

}  // namespace dw
