// deepwb catalog import-onnx MODEL.onnx --name NAME [--title TITLE]: an ONNX file written by
// `deepwb export` (its metadata names the task, labels and inputs) becomes a catalog module
// of architecture "onnx", run by OpenCV's DNN module for prediction, evaluation and serving.
#include "cli_output.h"
#include "command_parser.h"
#include "commands.h"
#include "job_runner.h"
#include "task_command.h"

#include "core/catalog/module_id.h"
#include "core/onnx/onnx_module_import.h"
#include "core/task/task_plugin.h"

#include <QFileInfo>
#include <QJsonArray>

namespace dw::cli {

using namespace Qt::StringLiterals;

int runCatalogImportOnnx(const QStringList &args)
{
    CommandParser cmd(u"catalog import-onnx"_s,
                      u"Add an ONNX model written by 'deepwb export' to the catalog as --name; the workbench runs it "
                      "with OpenCV's DNN module (predict, evaluate, serve; no training, no heat maps)."_s);
    cmd.addPositional(u"MODEL"_s, u"The .onnx file."_s);
    cmd.addOption({u"name"_s, u"The new module's id (lower-case letters, digits, '.', '_', '-')."_s, u"NAME"_s});
    cmd.addOption({u"title"_s, u"Its title (default: the one in the file)."_s, u"TITLE"_s});
    if (auto stop = cmd.parse(args, 1, 1))
        return *stop;
    const QString file = QFileInfo(cmd.positional().first()).absoluteFilePath();
    const QString name = cmd.parser().value(u"name"_s);
    if (name.isEmpty() || !isValidModuleId(name))
        return TaskCommand::argumentError(
            Error::at(u"name"_s, name.isEmpty() ? u"give the new module's id: --name NAME"_s
                                                : u"'%1' cannot be a module id: use lower-case letters, digits, "
                                                  "'.', '_' and '-', starting with a letter or digit"_s.arg(name)),
            u"catalog import-onnx"_s);
    if (!QFileInfo(file).isFile())
        return TaskCommand::failed(Error::at(u"model"_s, u"%1 is not a file"_s.arg(file)));
    Result<QString> task = onnxFileTask(file);
    if (!task)
        return TaskCommand::failed(task.error());
    TaskPlugin *plugin = TaskCommand::pluginFor(*task);
    if (!plugin)
        return ExitUsage;
    const Result<QString> folder = TaskCommand::freeModuleFolder(cmd.catalogDirectory(), name);
    if (!folder)
        return TaskCommand::failed(folder.error());

    JobRunner runner(u"cpu"_s);
    const Result<TaskResult> result = runner.run(u"import-"_s + name, [&](JobContext &context) -> Result<TaskResult> {
        Result<QJsonObject> imported =
            importOnnxModule({file, *folder, name, cmd.parser().value(u"title"_s)},
                             [&](const QString &staged) { return plugin->warm(staged, context); });
        if (!imported)
            return imported.error();
        return TaskResult{JsonResult{*imported}};
    });
    if (!result)
        return TaskCommand::failed(result.error());
    const QJsonObject json = taskResultToJson(*result);
    const Output out = cmd.output();
    out.document(json);
    out.line(u"imported '%1' (%2, ONNX run by OpenCV) into %3"_s.arg(name, *task, json.value(u"module"_s).toString()));
    const QStringList labels = json.value(u"labels"_s).toVariant().toStringList();
    if (!labels.isEmpty())
        out.line(u"  %1: %2"_s.arg(*task == u"time-series"_s ? u"targets"_s : u"classes"_s, labels.join(u", "_s)));
    return ExitOk;
}

}  // namespace dw::cli
