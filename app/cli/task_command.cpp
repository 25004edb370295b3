#include "task_command.h"

#include "core/catalog/catalog.h"
#include "core/ml/device_service.h"
#include "core/task/plugin_manager.h"

#include <QDir>
#include <QFileInfo>

namespace dw::cli {

using namespace Qt::StringLiterals;

ArgumentSchema TaskCommand::schemaOf(const TaskPlugin &plugin, TaskCall call)
{
    switch (call) {
    case TaskCall::Train:
        return plugin.trainArguments();
    case TaskCall::Predict:
        return plugin.predictArguments();
    case TaskCall::Evaluate:
        break;
    }
    return plugin.evaluateArguments();
}

ArgumentSchema TaskCommand::unionSchema(TaskCall call)
{
    PluginManager &manager = PluginManager::instance();
    ArgumentSchema merged;
    for (const QString &task : manager.tasks()) {
        if (const TaskPlugin *plugin = manager.plugin(task)) {
            const ArgumentSchema schema = schemaOf(*plugin, call);  // kept alive for the loop
            for (const ArgumentSpec &spec : schema.specs())
                merged.add(spec);
        }
    }
    return merged;
}

TaskCommand::Peek TaskCommand::peek(const QStringList &args, const SchemaOptions &options,
                                    const QList<QCommandLineOption> &extra)
{
    QCommandLineParser parser;
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    parser.addHelpOption();
    parser.addOption({u"json"_s, u"json"_s});
    parser.addOption({u"catalog"_s, u"catalog"_s, u"DIR"_s});
    for (const QCommandLineOption &option : extra)
        parser.addOption(option);
    options.addTo(parser);
    (void)parser.parse(QStringList{u"deepwb"_s} + args);
    return Peek{parser.positionalArguments(), parser.value(u"catalog"_s), parser.isSet(u"help"_s)};
}

QCommandLineOption TaskCommand::deviceOption()
{
    return QCommandLineOption(u"device"_s,
                              u"Run on DEVICE: auto (CUDA when there is one), cpu, cuda or cuda:N. [default: auto]"_s,
                              u"auto|cpu|cuda"_s, u"auto"_s);
}

QCommandLineOption TaskCommand::threadsOption()
{
    return QCommandLineOption(u"threads"_s,
                              u"CPU threads of the network's computations (1 to 1024). [default: $DEEPWB_THREADS, else "
                              "$OMP_NUM_THREADS, else one per core]"_s,
                              u"N"_s);
}

std::optional<QString> TaskCommand::resolveDevice(const CommandParser &cmd)
{
    const Result<QString> device = DeviceService::resolve(cmd.value(u"device"_s));
    if (!device) {
        Output::error(device.error().text());
        return std::nullopt;
    }
    if (cmd.isSet(u"threads"_s)) {
        bool ok = false;
        const int threads = cmd.value(u"threads"_s).toInt(&ok);
        if (!ok || threads < 1 || threads > 1024) {
            Output::error(
                u"--threads: \"%1\" is not a number of threads from 1 to 1024"_s.arg(cmd.value(u"threads"_s)));
            return std::nullopt;
        }
        qputenv("DEEPWB_THREADS", QByteArray::number(threads));
    }
    DeviceService::configureThreads();
    return *device;
}

std::optional<int> TaskCommand::locateTrained(const Peek &peek, LocatedModule &module, TaskPlugin *&plugin)
{
    plugin = nullptr;
    const QString name = peek.positional.value(0);
    if (name.isEmpty() || peek.help)
        return std::nullopt;
    Result<LocatedModule> located = ModuleLocator(peek.catalog).locateTrained(name);
    if (!located)
        return failed(located.error());
    module = std::move(located).value();
    plugin = pluginFor(module.manifest.task);
    if (!plugin)
        return ExitFailure;
    return std::nullopt;
}

TaskPlugin *TaskCommand::pluginFor(const QString &task)
{
    PluginManager &manager = PluginManager::instance();
    if (TaskPlugin *plugin = manager.plugin(task))
        return plugin;
    QStringList failures;
    for (const PluginRecord &record : manager.records()) {
        if (!record.loaded)
            failures << u"%1 (%2)"_s.arg(QFileInfo(record.file).fileName(), record.error);
    }
    QString message =
        manager.tasks().isEmpty()
            ? u"no task plugin for '%1': no task plugins are installed"_s.arg(task)
            : u"no task plugin for '%1'; the installed ones do: %2"_s.arg(task, manager.tasks().join(u", "_s));
    if (!failures.isEmpty())
        message += u"; plugins that failed to load: "_s + failures.join(u"; "_s);
    Output::error(message + u" (see 'deepwb plugins')"_s);
    return nullptr;
}

int TaskCommand::argumentError(const Error &error, const QString &command)
{
    const QString where = error.field.isEmpty() ? QString() : u"--"_s + error.field + u": "_s;
    Output::error(where + error.message + u" (see 'deepwb %1 --help')"_s.arg(command));
    return ExitUsage;
}

int TaskCommand::failed(const Error &error)
{
    Output::error(error.text());
    return ExitFailure;
}

Result<QString> TaskCommand::freeModuleFolder(const QString &catalogDirectory, const QString &name)
{
    Catalog catalog(catalogDirectory);
    catalog.scan();
    const QString folder = QDir(catalog.userDirectory()).absoluteFilePath(name);
    if (const CatalogEntry *existing = catalog.find(name); existing || QFileInfo::exists(folder))
        return failure(QStringLiteral("a module '%1' already exists (%2): choose another --name")
                           .arg(name, existing ? existing->path : folder));
    return folder;
}

}  // namespace dw::cli
