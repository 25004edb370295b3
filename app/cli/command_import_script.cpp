// deepwb catalog import-torchscript MODEL.pt --task TASK ...: a model scripted in PyTorch
// becomes a catalog module, with the task plugin's own import flags (labels, input size and
// normalisation for a classifier; bands and scale for a super-resolution network).
#include "commands.h"
#include "job_runner.h"
#include "task_command.h"

#include "core/catalog/module_id.h"

#include <QFileInfo>
#include <QJsonArray>

namespace dw::cli {

using namespace Qt::StringLiterals;

namespace {

const QStringList kSkip{u"output"_s, u"model"_s};

// --task before the real parse: the plugin's flags depend on it.
QString taskOf(const QStringList &args)
{
    for (qsizetype i = 0; i < args.size(); ++i) {
        if (args.at(i) == u"--task"_s && i + 1 < args.size())
            return args.at(i + 1);
        if (args.at(i).startsWith(u"--task="_s))
            return args.at(i).mid(7);
    }
    return u"image-classification"_s;
}

}  // namespace

int runCatalogImportTorchScript(const QStringList &args)
{
    const QString task = taskOf(args);
    TaskPlugin *plugin = TaskCommand::pluginFor(task);
    if (!plugin)
        return ExitUsage;
    const ArgumentSchema schema = plugin->importArguments();
    if (schema.isEmpty())
        return TaskCommand::argumentError(
            Error::at(u"task"_s, u"the task '%1' cannot import TorchScript models; "
                                 "image-classification and super-resolution can"_s.arg(task)),
            u"catalog import-torchscript"_s);
    const SchemaOptions options(schema, kSkip);
    CommandParser cmd(
        u"catalog import-torchscript"_s,
        u"Add a model scripted in PyTorch (torch.jit.script(model).save(path)) to the catalog as --name."_s);
    cmd.addPositional(u"MODEL"_s, u"The TorchScript archive (.pt)."_s);
    cmd.addOption({u"task"_s, u"The model's task: image-classification (default) or super-resolution."_s, u"TASK"_s});
    options.addTo(cmd.parser());
    if (auto stop = cmd.parse(args, 1, 1))
        return *stop;

    QVariantMap raw = options.values(cmd.parser());
    raw.insert(u"model"_s, QFileInfo(cmd.positional().first()).absoluteFilePath());
    Result<QVariantMap> validated = schema.validate(raw);
    if (!validated)
        return TaskCommand::argumentError(validated.error(), u"catalog import-torchscript"_s);
    QVariantMap values = std::move(validated).value();
    const QString name = values.value(u"name"_s).toString();
    if (!isValidModuleId(name))
        return TaskCommand::argumentError(
            Error::at(u"name"_s, u"'%1' cannot be a module id: use lower-case letters, digits, "
                                 "'.', '_' and '-', starting with a letter or digit"_s.arg(name)),
            u"catalog import-torchscript"_s);
    const Result<QString> folder = TaskCommand::freeModuleFolder(cmd.catalogDirectory(), name);
    if (!folder)
        return TaskCommand::failed(folder.error());
    values.insert(u"output"_s, *folder);

    JobRunner runner(u"cpu"_s);
    const Result<TaskResult> result =
        runner.run(u"import-"_s + name, [&](JobContext &context) { return plugin->importModel(values, context); });
    if (!result)
        return TaskCommand::failed(result.error());
    const QJsonObject json = taskResultToJson(*result);
    const Output out = cmd.output();
    out.document(json);
    out.line(u"imported '%1' (%2, TorchScript) into %3"_s.arg(name, task, json.value(u"module"_s).toString()));
    if (json.contains(u"labels"_s))
        out.line(u"  classes:   %1"_s.arg(json.value(u"labels"_s).toVariant().toStringList().join(u", "_s)));
    if (json.contains(u"saliency"_s))
        out.line(u"  heat maps: %1"_s.arg(json.value(u"saliency"_s).toString()));
    if (json.contains(u"scale"_s))
        out.line(u"  ×%1, %2 band(s): %3"_s.arg(json.value(u"scale"_s).toInt())
                     .arg(json.value(u"bands"_s).toInt())
                     .arg(json.value(u"band_names"_s).toVariant().toStringList().join(u", "_s)));
    return ExitOk;
}

}  // namespace dw::cli
