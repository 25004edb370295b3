#pragma once
// What the task commands (train, retrain, evaluate, predict) share: the schema of a task
// call, a first look at the command line to find the task or module before the plugin's
// own flags are known, the --device option, and how errors end the command.
#include "cli_output.h"
#include "command_parser.h"
#include "module_locator.h"
#include "schema_options.h"

#include "core/task/task_plugin.h"

#include <QCommandLineOption>
#include <QString>
#include <QStringList>

#include <optional>

namespace dw::cli {

enum class TaskCall { Train, Predict, Evaluate };

class TaskCommand {
public:
    static ArgumentSchema schemaOf(const TaskPlugin &plugin, TaskCall call);
    // Every loaded plugin's schema for the call, merged: the flags accepted before the
    // plugin is known (a name declared twice keeps the later declaration).
    static ArgumentSchema unionSchema(TaskCall call);

    // The positional arguments and --catalog, read with every plugin's flags known so that
    // "--epochs 3" is not taken for a positional. Parse errors are left to the real parse.
    struct Peek {
        QStringList positional;
        QString catalog;
        bool help = false;
    };
    static Peek peek(const QStringList &args, const SchemaOptions &options, const QList<QCommandLineOption> &extra);

    static QCommandLineOption deviceOption();
    // --threads N: LibTorch's CPU threads (else DEEPWB_THREADS, OMP_NUM_THREADS, the cores).
    static QCommandLineOption threadsOption();
    // DeviceService::resolve(--device) and configureThreads() with --threads; prints the error
    // when either is wrong.
    static std::optional<QString> resolveDevice(const CommandParser &cmd);

    // The plugin for task, or nullptr after printing why (no such plugin, or it failed to load).
    static TaskPlugin *pluginFor(const QString &task);

    // The trained module named by the first positional (catalog id or folder) and its task's
    // plugin. Nothing found (no positional, or --help): ok with plugin null. A failure has been
    // printed: returns its exit code.
    static std::optional<int> locateTrained(const Peek &peek, LocatedModule &module, TaskPlugin *&plugin);

    // "--arch: must be one of ..." on stderr; returns ExitUsage.
    static int argumentError(const Error &error, const QString &command);
    // The message on stderr; returns ExitFailure.
    static int failed(const Error &error);
    // The user catalog's folder for a new module `name` (catalogDirectory empty: the default),
    // or an error when a module of that id or a folder of that name exists already.
    static Result<QString> freeModuleFolder(const QString &catalogDirectory, const QString &name);
};

}  // namespace dw::cli
