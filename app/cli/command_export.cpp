// deepwb export MODULE --format onnx -o FILE.onnx [--fold-normalization]: a trained module
// written in a format other programs run (ONNX for QGIS Deepness, OpenCV, ONNX Runtime).
#include "cli_output.h"
#include "command_parser.h"
#include "commands.h"
#include "job_runner.h"
#include "module_locator.h"
#include "task_command.h"

#include "core/task/task_plugin.h"

#include <QFileInfo>

namespace dw::cli {

using namespace Qt::StringLiterals;

int runExportCommand(const QStringList &args)
{
    CommandParser cmd(u"export"_s, u"Write a trained MODULE as an ONNX file with the metadata QGIS Deepness, OpenCV "
                                   "and ONNX Runtime need (labels, input size, bands, window, normalisation)."_s);
    cmd.addPositional(u"MODULE"_s, u"A trained module: a catalog id or a module folder."_s);
    cmd.addOption(
        {u"format"_s, u"The file format: onnx (the default and only one for now)."_s, u"FORMAT"_s, u"onnx"_s});
    cmd.addOption(
        {{u"o"_s, u"output"_s}, u"The file to write (replaced whole, never left half-written)."_s, u"FILE"_s});
    cmd.addOption({u"fold-normalization"_s,
                   u"Put the input normalisation (and its undoing for super-resolution) into the graph, so that it "
                   "takes pixels in [0, 1] (classifiers) or the raster's own values (super-resolution)."_s});
    if (auto stop = cmd.parse(args, 1, 1))
        return *stop;
    const ModuleLocator locator(cmd.catalogDirectory());
    Result<LocatedModule> module = locator.locateTrained(cmd.positional().first());
    if (!module)
        return TaskCommand::failed(module.error());
    TaskPlugin *plugin = TaskCommand::pluginFor(module->manifest.task);
    if (!plugin)
        return ExitUsage;
    const QString output = cmd.parser().value(u"output"_s);
    if (output.isEmpty())
        return TaskCommand::argumentError(Error::at(u"output"_s, u"give the file to write: -o FILE.onnx"_s),
                                          u"export"_s);
    const QVariantMap callArgs{{u"module"_s, module->directory},
                               {u"output"_s, QFileInfo(output).absoluteFilePath()},
                               {u"format"_s, cmd.parser().value(u"format"_s)},
                               {u"fold_normalization"_s, cmd.parser().isSet(u"fold-normalization"_s)}};
    JobRunner runner(u"cpu"_s);
    runner.setCancelNote(u"the export stops and leaves no file"_s);
    const Result<TaskResult> result = runner.run(
        u"export-"_s + module->id, [&](JobContext &context) { return plugin->exportModel(callArgs, context); });
    if (!result)
        return TaskCommand::failed(result.error());
    const QJsonObject json = taskResultToJson(*result);
    const Output out = cmd.output();
    out.document(json);
    out.line(u"exported '%1' (%2) to %3: ONNX opset %4, %5 nodes, %6 bytes"_s.arg(module->id, module->manifest.task)
                 .arg(json.value(u"path"_s).toString())
                 .arg(json.value(u"opset"_s).toInteger())
                 .arg(json.value(u"nodes"_s).toInteger())
                 .arg(json.value(u"bytes"_s).toInteger()));
    return ExitOk;
}

}  // namespace dw::cli
