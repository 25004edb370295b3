// deepwb train TASK ... and deepwb retrain PARENT ...: a new module in the catalog, trained
// from scratch or from a parent module, with the task plugin's own flags.
#include "commands.h"
#include "distributed_run.h"
#include "job_runner.h"
#include "task_command.h"

#include "core/catalog/catalog.h"
#include "core/catalog/manifest_io.h"
#include "core/catalog/module_id.h"
#include "core/task/guarded_training.h"
#include "core/task/plugin_manager.h"
#include "module_locator.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>

namespace dw::cli {

using namespace Qt::StringLiterals;

namespace {

// Arguments the command fills itself: the module folder comes from --name and the catalog,
// the parent from retrain's PARENT.
const QStringList kTrainSkip{u"output"_s};
const QStringList kRetrainSkip{u"output"_s, u"parent"_s};

QString percent(const QJsonValue &value)
{
    return value.isDouble() ? QString::number(value.toDouble() * 100.0, 'f', 2) + u" %"_s : u"-"_s;
}

void printTrained(const Output &out, const QJsonObject &result)
{
    const QJsonObject metrics = result.value(u"metrics"_s).toObject();
    out.line(
        u"module '%1' written to %2"_s.arg(result.value(u"id"_s).toString(), result.value(u"module"_s).toString()));
    out.line(u"  epochs run:      %1 (best %2, %3)"_s.arg(result.value(u"epochs_run"_s).toInt())
                 .arg(result.value(u"best_epoch"_s).toInt())
                 .arg(result.value(u"stopped"_s).toString()));
    if (result.value(u"task"_s).toString() == u"time-series"_s) {  // per target against the baselines
        for (auto it = metrics.begin(); it != metrics.end(); ++it) {
            const QJsonObject m = it.value().toObject(), baselines = m.value(u"baselines"_s).toObject();
            out.line(u"  %1: MAE %2 (naive %3, seasonal naive %4)"_s.arg(it.key())
                         .arg(m.value(u"mae"_s).toDouble(), 0, 'g', 5)
                         .arg(baselines.value(u"naive"_s).toObject().value(u"mae"_s).toDouble(), 0, 'g', 5)
                         .arg(baselines.value(u"seasonal_naive"_s).toObject().value(u"mae"_s).toDouble(), 0, 'g', 5));
        }
        out.line(u"  time             %1 s (%2 windows/s)"_s.arg(result.value(u"seconds"_s).toDouble(), 0, 'f', 1)
                     .arg(result.value(u"windows_per_second"_s).toDouble(), 0, 'f', 0));
        return;
    }
    if (result.value(u"task"_s).toString() == u"super-resolution"_s) {  // held-out rows against bicubic
        out.line(u"  held-out PSNR    %1 dB (bicubic %2 dB, gain %3 dB)   SSIM %4 (bicubic %5)"_s
                     .arg(metrics.value(u"psnr"_s).toDouble(), 0, 'f', 2)
                     .arg(metrics.value(u"bicubic_psnr"_s).toDouble(), 0, 'f', 2)
                     .arg(metrics.value(u"psnr_gain"_s).toDouble(), 0, 'f', 2)
                     .arg(metrics.value(u"ssim"_s).toDouble(), 0, 'f', 4)
                     .arg(metrics.value(u"bicubic_ssim"_s).toDouble(), 0, 'f', 4));
        out.line(u"  time             %1 s"_s.arg(result.value(u"seconds"_s).toDouble(), 0, 'f', 1));
        return;
    }
    out.line(u"  validation top-1 %1"_s.arg(percent(metrics.value(u"val_top1"_s))));
    out.line(
        u"  test top-1       %1   top-5 %2   (%3 test images%4)"_s
            .arg(percent(metrics.value(u"test_top1"_s)), percent(metrics.value(u"test_top5"_s)))
            .arg(result.value(u"test_images"_s).toInt())
            .arg(result.value(u"test_skipped"_s).toInt() > 0
                     ? u"; %1 more could not be read and are not counted"_s.arg(result.value(u"test_skipped"_s).toInt())
                     : QString()));
    out.line(u"  time             %1 s (%2 images/s)%3"_s.arg(result.value(u"seconds"_s).toDouble(), 0, 'f', 1)
                 .arg(result.value(u"images_per_second"_s).toDouble(), 0, 'f', 1)
                 .arg(result.value(u"skipped"_s).toInt() > 0
                          ? u"; %1 unreadable image(s) skipped"_s.arg(result.value(u"skipped"_s).toInt())
                          : QString()));
}

// The common part of train and retrain once the plugin is known and the flags parsed.
int trainModule(CommandParser &cmd, TaskPlugin &plugin, const SchemaOptions &options, QVariantMap raw,
                const QString &command)
{
    const ArgumentSchema &schema = options.schema();
    Result<QVariantMap> validated = schema.validate(raw);
    if (!validated)
        return TaskCommand::argumentError(validated.error(), command);
    QVariantMap args = std::move(validated).value();

    const QString name = args.value(u"name"_s).toString();
    if (!isValidModuleId(name)) {
        const QString suggestion = moduleIdFromName(name);
        return TaskCommand::argumentError(
            Error::at(u"name"_s, u"'%1' cannot be a module id: use lower-case letters, digits, "
                                 "'.', '_' and '-', starting with a letter or digit (at most %2)%3"_s.arg(name)
                                     .arg(kMaxModuleIdLength)
                                     .arg(suggestion.isEmpty() ? QString() : u", e.g. --name %1"_s.arg(suggestion))),
            command);
    }
    Catalog catalog(cmd.catalogDirectory());
    catalog.scan();
    const QString folder = QDir(catalog.userDirectory()).absoluteFilePath(name);
    const bool resume = args.value(u"resume"_s).toBool();
    const CatalogEntry *existing = catalog.find(name);
    if (!resume && (existing || QFileInfo::exists(folder)))
        return TaskCommand::failed(
            failure(u"a module '%1' already exists (%2): choose another --name, or add --resume to "
                    "continue its interrupted training"_s.arg(name, existing ? existing->path : folder)));
    if (resume && !QFileInfo::exists(folder + u"/checkpoints"_s))
        return TaskCommand::failed(
            failure(u"there is no interrupted training of '%1' to resume in %2: drop --resume to start one"_s.arg(
                name, folder)));
    args.insert(u"output"_s, folder);
    // --init MODULE: a catalog id stands for its folder (the plugin knows folders, not catalogs).
    const QString init = args.value(u"init"_s).toString();
    if (!init.isEmpty() && !QFileInfo::exists(init) &&
        !QStringList{u"auto"_s, u"imagenet"_s, u"random"_s}.contains(init)) {
        if (const CatalogEntry *start = catalog.find(init))
            args.insert(u"init"_s, start->path);
    }

    // A data-parallel run: the launcher's environment is checked and every rank joins before any
    // data is read. Rank 0 alone locks and writes the module folder.
    std::optional<ml::DistributedLaunch> launch;
    if (const std::optional<int> stop = DistributedRun::prepare(cmd, launch))
        return *stop;
    const std::optional<QString> resolved = TaskCommand::resolveDevice(cmd);
    if (!resolved)
        return ExitFailure;
    QString device = *resolved;
    std::unique_ptr<ml::DistributedSession> session;
    if (launch) {
        if (const std::optional<int> stop = DistributedRun::join(cmd, *launch, device, session))
            return *stop;
        device = session->device();
    }
    const bool follower = launch && !launch->isLeader();
    JobRunner runner(device);
    if (follower)
        runner.setFollower(u"rank %1: "_s.arg(launch->rank));
    const Result<TaskResult> result = runner.run(u"train-"_s + name, [&](JobContext &context) {
        return follower ? plugin.train(args, context) : runGuardedTraining(plugin, args, context);
    });
    if (!result) {
        if (runner.wasInterrupted())
            Output::error(u"training cancelled: %1"_s.arg(result.error().text()));
        else
            Output::error(result.error().text());
        return ExitFailure;
    }
    QJsonObject json = taskResultToJson(*result);
    const Output out = cmd.output();
    if (launch) {
        json.insert(u"distributed"_s, QJsonObject{{u"rank"_s, launch->rank},
                                                  {u"world_size"_s, launch->worldSize},
                                                  {u"launcher"_s, launch->launcher},
                                                  {u"backend"_s, session->backend()}});
    }
    if (follower) {  // rank 0 reports the module it wrote
        out.document(json);
        if (!out.json())
            out.line(u"rank %1 of %2 finished; rank 0 wrote the module to %3"_s.arg(launch->rank)
                         .arg(launch->worldSize)
                         .arg(folder));
        return json.value(u"stopped"_s).toString() == u"cancelled"_s ? ExitFailure : ExitOk;
    }
    out.document(json);
    const bool cancelled = json.value(u"stopped"_s).toString() == u"cancelled"_s;
    if (!out.json() && !cancelled)
        printTrained(out, json);
    if (cancelled) {
        const int epochs = json.value(u"epochs_run"_s).toInt();
        if (epochs > 0 && !interruptedCheckpoint(folder).isEmpty())
            Output::error(
                u"training cancelled after epoch %1; the checkpoint is kept in %2/checkpoints: run the same command "
                "with --resume to continue"_s.arg(epochs)
                    .arg(folder));
        else
            Output::error(u"training cancelled during its first epoch: there is no checkpoint to resume from"_s);
        return ExitFailure;
    }
    return ExitOk;
}

QString tasksText()
{
    const QStringList tasks = PluginManager::instance().tasks();
    return tasks.isEmpty() ? u"(no task plugins are installed; see 'deepwb plugins')"_s : tasks.join(u", "_s);
}

}  // namespace

int runTrainCommand(const QStringList &args)
{
    const QList<QCommandLineOption> extra =
        QList<QCommandLineOption>{TaskCommand::deviceOption(), TaskCommand::threadsOption()} +
        DistributedRun::options();
    const TaskCommand::Peek peek =
        TaskCommand::peek(args, SchemaOptions(TaskCommand::unionSchema(TaskCall::Train), kTrainSkip), extra);
    const QString task = peek.positional.value(0);
    TaskPlugin *plugin = nullptr;
    if (!task.isEmpty()) {
        plugin = TaskCommand::pluginFor(task);
        if (!plugin)
            return ExitUsage;
    }
    // Without a task, the help and the usage error list the flags of every plugin.
    const SchemaOptions options(plugin ? plugin->trainArguments() : TaskCommand::unionSchema(TaskCall::Train),
                                kTrainSkip);
    const QString command = task.isEmpty() ? u"train"_s : u"train "_s + task;
    CommandParser cmd(u"train"_s,
                      u"Train a new module of TASK (%1) and add it to the catalog as --name."_s.arg(tasksText()));
    cmd.addPositional(u"TASK"_s, u"The task to train: %1."_s.arg(tasksText()));
    for (const QCommandLineOption &option : extra)
        cmd.addOption(option);
    options.addTo(cmd.parser());
    if (auto stop = cmd.parse(args, 1, 1))
        return *stop;
    if (!plugin)  // the first look at the command line and the real parse disagreed
        return TaskCommand::argumentError(failure(u"give the TASK first, then the options"_s), u"train"_s);
    return trainModule(cmd, *plugin, options, options.values(cmd.parser()), command);
}

int runRetrainCommand(const QStringList &args)
{
    const QList<QCommandLineOption> extra =
        QList<QCommandLineOption>{TaskCommand::deviceOption(), TaskCommand::threadsOption()} +
        DistributedRun::options();
    const TaskCommand::Peek peek =
        TaskCommand::peek(args, SchemaOptions(TaskCommand::unionSchema(TaskCall::Train), kRetrainSkip), extra);
    TaskPlugin *plugin = nullptr;
    LocatedModule parent;
    if (const std::optional<int> exitCode = TaskCommand::locateTrained(peek, parent, plugin))
        return *exitCode;
    const SchemaOptions options(plugin ? plugin->trainArguments() : TaskCommand::unionSchema(TaskCall::Train),
                                kRetrainSkip);
    CommandParser cmd(u"retrain"_s,
                      u"Train a new module from a trained PARENT module on new data (transfer learning, "
                      "fine-tuning): it starts from the parent's network and weights (an image classifier gets "
                      "a new head for the new classes); --freeze chooses what learns."_s);
    cmd.addPositional(u"PARENT"_s, u"The parent module: a catalog id or a module folder."_s);
    for (const QCommandLineOption &option : extra)
        cmd.addOption(option);
    options.addTo(cmd.parser());
    if (auto stop = cmd.parse(args, 1, 1))
        return *stop;
    if (!plugin)  // the first look at the command line and the real parse disagreed
        return TaskCommand::argumentError(failure(u"give the PARENT module first, then the options"_s), u"retrain"_s);

    QVariantMap raw = options.values(cmd.parser());
    raw.insert(u"parent"_s, parent.directory);
    // The child keeps the parent's network unless told otherwise: its weights only fit that one.
    const ArgumentSpec *arch = options.schema().find(u"arch"_s);
    if (!raw.contains(u"arch"_s) && arch && arch->choices.contains(parent.manifest.architecture))
        raw.insert(u"arch"_s, parent.manifest.architecture);
    // ... and its scale (super-resolution): a child works at its parent's scale.
    const QJsonValue scale = parent.manifest.inputs.value(u"scale"_s);
    if (!raw.contains(u"scale"_s) && options.schema().find(u"scale"_s) && scale.isDouble())
        raw.insert(u"scale"_s, scale.toInt());
    return trainModule(cmd, *plugin, options, raw, u"retrain"_s);
}

}  // namespace dw::cli
