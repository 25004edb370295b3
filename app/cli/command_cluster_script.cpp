// deepwb cluster-script -o DIR --nodes N [...] -- train|retrain ...: a Slurm batch script that
// trains a module with `deepwb ... --distributed` on a cluster, plus the archive of the module
// a re-training starts from (docs/cluster.md).
#include "cli_output.h"
#include "command_parser.h"
#include "commands.h"
#include "job_runner.h"

#include "core/catalog/catalog.h"
#include "core/jobs/cluster_job_files.h"

#include <QDir>
#include <QFileInfo>

namespace dw::cli {

using namespace Qt::StringLiterals;

namespace {

const QString kUsage = u"deepwb cluster-script -o DIR --nodes N [options] -- train TASK ... | retrain PARENT ..."_s;

int usageError(const QString &message)
{
    Output::error(message + u" (see 'deepwb cluster-script --help')"_s);
    return ExitUsage;
}

// A whole number option; nothing when absent (the job's default stays).
std::optional<int> integerOption(const CommandParser &cmd, const QString &name, bool &ok)
{
    if (!cmd.isSet(name))
        return std::nullopt;
    bool parsed = false;
    const int value = cmd.value(name).trimmed().toInt(&parsed);
    if (!parsed) {
        usageError(u"--%1: '%2' is not a whole number"_s.arg(name, cmd.value(name)));
        ok = false;
    }
    return value;
}

void addOptions(CommandParser &cmd)
{
    cmd.addOption({{u"o"_s, u"output"_s}, u"The folder to write the script (and module archive) to."_s, u"DIR"_s});
    cmd.addOption({u"nodes"_s, u"Cluster nodes to train on (required)."_s, u"N"_s});
    cmd.addOption({u"gpus-per-node"_s, u"GPUs per node, one rank each; 0 trains on CPUs [default: 0]."_s, u"G"_s});
    cmd.addOption({u"tasks-per-node"_s, u"Ranks per node [default: one per GPU, else 1]."_s, u"T"_s});
    cmd.addOption({u"cpus-per-task"_s, u"CPU cores per rank (data loading, CPU training) [default: 1]."_s, u"C"_s});
    cmd.addOption({u"partition"_s, u"The Slurm partition [default: the cluster's]."_s, u"P"_s});
    cmd.addOption({u"time"_s, u"The time limit, HH:MM:SS or D-HH:MM:SS [default: the partition's]."_s, u"HH:MM:SS"_s});
    cmd.addOption({u"account"_s, u"The Slurm account to charge [default: yours]."_s, u"A"_s});
    cmd.addOption({u"deepwb"_s, u"The deepwb program on the cluster [default: deepwb, on the PATH]."_s, u"PATH"_s});
    cmd.addOption({u"cluster-catalog"_s,
                   u"The module catalog on the cluster, on a file system every node sees (the run's --catalog) "
                   "[default: deepwb's default catalog there]."_s,
                   u"DIR"_s});
}

}  // namespace

int runClusterScriptCommand(const QStringList &args)
{
    // Everything after "--" is the deepwb command the cluster runs; its flags are not ours.
    const qsizetype split = args.indexOf(u"--"_s);
    const QStringList own = split < 0 ? args : args.mid(0, split);
    QStringList command = split < 0 ? QStringList() : args.mid(split + 1);

    CommandParser cmd(u"cluster-script"_s,
                      u"Write a Slurm batch script that trains a module with 'deepwb train|retrain ... --distributed' "
                      "on a cluster, and the archive of the module a re-training starts from.\n"_s +
                          kUsage);
    cmd.addPositional(u"-- COMMAND"_s, u"The training to run: train TASK ... or retrain PARENT ..., as for deepwb."_s,
                      u"-- train|retrain ..."_s);
    addOptions(cmd);
    // "... --nodes 2 train TASK --name N": the training's flags would read as unknown options.
    const bool help = own.contains(u"--help"_s) || own.contains(u"-h"_s);
    for (qsizetype i = 0; split < 0 && !help && i < own.size(); ++i) {
        const bool isValue = i > 0 && own.at(i - 1).startsWith(u'-') && !own.at(i - 1).contains(u'=') &&
                             own.at(i - 1) != u"--json"_s;  // "--partition train"
        if ((own.at(i) == u"train"_s || own.at(i) == u"retrain"_s) && !isValue)
            return usageError(
                u"put '--' before the training: deepwb cluster-script -o DIR --nodes N -- %1 ..."_s.arg(own.at(i)));
    }
    if (auto stop = cmd.parse(own, 0, 0))
        return *stop;
    if (split < 0)
        return usageError(u"give the training to run after '--', e.g. -- train image-classification --data DIR "
                          "--name NAME"_s);
    const QString folder = cmd.value(u"output"_s);
    if (folder.isEmpty())
        return usageError(u"give the folder to write the script to: -o DIR"_s);
    if (!cmd.isSet(u"nodes"_s))
        return usageError(u"give the number of nodes: --nodes N"_s);

    SlurmJob job;
    bool ok = true;
    job.nodes = integerOption(cmd, u"nodes"_s, ok).value_or(job.nodes);
    job.gpusPerNode = integerOption(cmd, u"gpus-per-node"_s, ok).value_or(job.gpusPerNode);
    job.tasksPerNode = integerOption(cmd, u"tasks-per-node"_s, ok).value_or(job.tasksPerNode);
    job.cpusPerTask = integerOption(cmd, u"cpus-per-task"_s, ok).value_or(job.cpusPerTask);
    if (!ok)
        return ExitUsage;
    if (cmd.isSet(u"tasks-per-node"_s) && job.tasksPerNode < 1)
        return usageError(u"--tasks-per-node: give at least 1"_s);
    job.partition = cmd.value(u"partition"_s);
    job.timeLimit = cmd.value(u"time"_s);
    job.account = cmd.value(u"account"_s);
    if (cmd.isSet(u"deepwb"_s))
        job.deepwb = cmd.value(u"deepwb"_s);
    job.catalog = cmd.value(u"cluster-catalog"_s);

    // The module a re-training (or --init) starts from goes along as an archive, when it is ours.
    Catalog catalog(cmd.catalogDirectory());
    catalog.scan();
    Result<std::optional<ShippedModule>> shipped = shipModuleOf(command, catalog);
    if (!shipped)
        return usageError(shipped.error().text());
    job.command = command;
    if (Result<void> valid = validateSlurmJob(job); !valid) {
        // "--time: ..." for our own options; the command's problems speak for themselves.
        const bool ours = cmd.parser().optionNames().contains(valid.error().field);
        return usageError(ours ? u"--"_s + valid.error().text() : valid.error().message);
    }

    ClusterJobFiles files;
    JobRunner runner(u"cpu"_s);
    runner.setCancelNote(u"the archive stops and no file is left"_s);
    const Result<TaskResult> done = runner.run(u"cluster-script"_s, [&](JobContext &context) -> Result<TaskResult> {
        const ArchiveProgress progress = [&context](qint64 bytes, qint64 total) {
            if (total > 0)
                context.setProgress(bytes, total, u"archiving"_s);
            return !context.isCancelled();
        };
        Result<ClusterJobFiles> written = writeClusterJob(job, folder, *shipped, progress);
        if (!written)
            return written.error();
        files = *written;
        return TaskResult(JsonResult{});
    });
    if (!done) {
        Output::error(done.error().text());
        return ExitFailure;
    }

    const QString scriptName = QFileInfo(files.script).fileName();
    const QString submit = u"cd %1 && sbatch %2"_s.arg(shellQuote(QDir::cleanPath(folder)), shellQuote(scriptName));
    const Output out = cmd.output();
    out.document(QJsonObject{{u"script"_s, files.script},
                             {u"archive"_s, files.archive},
                             {u"module"_s, commandModuleName(job.command)},
                             {u"nodes"_s, job.nodes},
                             {u"tasks_per_node"_s, slurmTasksPerNode(job)},
                             {u"gpus_per_node"_s, job.gpusPerNode},
                             {u"submit"_s, submit}});
    out.line(u"wrote %1: %2 node(s) x %3 rank(s)%4"_s.arg(files.script)
                 .arg(job.nodes)
                 .arg(slurmTasksPerNode(job))
                 .arg(job.gpusPerNode > 0 ? u", one GPU each"_s : u" on CPUs"_s));
    if (!files.archive.isEmpty())
        out.line(u"wrote %1: the module '%2' the training starts from (%3 bytes), imported by the script"_s
                     .arg(files.archive, (*shipped)->id)
                     .arg(QFileInfo(files.archive).size()));
    out.line(u"copy the folder %1 to the cluster, then submit the job there from that folder:"_s.arg(
        QDir(folder).absolutePath()));
    out.line(u"  "_s + submit);
    return ExitOk;
}

}  // namespace dw::cli
