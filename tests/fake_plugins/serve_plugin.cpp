#include "serve_plugin.h"

#include "core/catalog/manifest_io.h"
#include "core/task/argument_builders.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <QThread>

namespace dw::test {

using namespace Qt::StringLiterals;

TaskMetadata ServePlugin::metadata() const
{
    return {u"test-files"_s, u"Test files"_s, u"File in, JSON or a file out."_s, u"1.0.0"_s, {u"files"_s}};
}

ArgumentSchema ServePlugin::predictArguments() const
{
    ArgumentSchema schema;
    ArgumentSpec module = args::spec(u"module"_s, ArgType::FolderPath, {}, {}, {});
    module.required = true;
    schema.add(module);
    ArgumentSpec input = args::spec(u"input"_s, ArgType::FilePath, {}, {}, {});
    input.required = true;
    input.help = u"The file to look at."_s;
    schema.add(input);
    ArgumentSpec mode = args::spec(u"mode"_s, ArgType::Enum, u"json"_s, {}, {});
    mode.choices = {u"json"_s, u"png"_s, u"fail"_s, u"fail-arg"_s, u"slow"_s};
    mode.help = u"What to answer with."_s;
    schema.add(mode);
    ArgumentSpec scale = args::spec(u"scale"_s, ArgType::Float, 1.0, {}, {}, 0.1, 10.0);
    scale.help = u"A number that is echoed back."_s;
    schema.add(scale);
    ArgumentSpec report = args::spec(u"report"_s, ArgType::FilePath, {}, {}, {});
    report.help = u"A path a client must not be able to set."_s;
    schema.add(report);
    return schema;
}

ArgumentSchema ServePlugin::trainArguments() const
{
    ArgumentSchema schema;
    ArgumentSpec name = args::spec(u"name"_s, ArgType::String, {}, {}, {});
    name.required = true;
    schema.add(name);
    schema.add(args::spec(u"steps"_s, ArgType::Int, 20, {}, {}, 1.0, 100000.0));
    schema.add(args::spec(u"step-ms"_s, ArgType::Int, 10, {}, {}, 0.0, 10000.0));
    schema.add(args::spec(u"data"_s, ArgType::FolderPath, {}, {}, {}));
    schema.add(args::spec(u"output"_s, ArgType::FolderPath, {}, {}, {}));
    schema.add(args::spec(u"parent"_s, ArgType::FolderPath, {}, {}, {}));
    return schema;
}

Result<void> ServePlugin::warm(const QString &moduleDirectory, JobContext &context)
{
    Q_UNUSED(context);
    if (!QDir(moduleDirectory).exists())
        return failure(u"no module folder %1"_s.arg(moduleDirectory), u"module"_s);
    return success();
}

Result<TaskResult> ServePlugin::predict(const QVariantMap &args, JobContext &context)
{
    const QString input = args.value(u"input"_s).toString();
    QFile file(input);
    if (!file.open(QIODevice::ReadOnly))
        return failure(u"cannot read %1"_s.arg(input), u"input"_s);
    const QByteArray content = file.readAll();
    const QString mode = args.value(u"mode"_s).toString();
    if (mode == u"fail"_s)
        return failure(u"the model exploded on purpose"_s);
    if (mode == u"fail-arg"_s)
        return failure(u"this scale does not suit the input"_s, u"scale"_s);
    if (mode == u"slow"_s) {
        for (int i = 0; i < 100 && !context.isCancelled(); ++i)
            QThread::msleep(10);
    }
    if (mode == u"png"_s) {
        const QString out = QFileInfo(input).absoluteDir().filePath(u"result.png"_s);
        QSaveFile png(out);
        if (!png.open(QIODevice::WriteOnly))
            return failure(u"cannot write %1"_s.arg(out));
        png.write(QByteArray("\x89PNG\r\n\x1a\n", 8) + content);
        if (!png.commit())
            return failure(u"cannot write %1"_s.arg(out));
        return TaskResult{FilesResult{{out}}};
    }
    return TaskResult{JsonResult{
        {{u"size"_s, int(content.size())},
         {u"sha256"_s, QString::fromLatin1(QCryptographicHash::hash(content, QCryptographicHash::Sha256).toHex())},
         {u"input"_s, input},
         {u"suffix"_s, QFileInfo(input).suffix()},
         {u"module"_s, args.value(u"module"_s).toString()},
         {u"scale"_s, args.value(u"scale"_s).toDouble()},
         {u"has_report"_s, args.contains(u"report"_s) && !args.value(u"report"_s).toString().isEmpty()}}}};
}

Result<TaskResult> ServePlugin::train(const QVariantMap &args, JobContext &context)
{
    const int steps = args.value(u"steps"_s).toInt();
    const int stepMs = args.value(u"step-ms"_s).toInt();
    for (int step = 1; step <= steps; ++step) {
        if (context.isCancelled())
            return failure(u"cancelled at step %1"_s.arg(step));
        QThread::msleep(stepMs);
        context.setProgress(step, steps, u"step %1/%2"_s.arg(step).arg(steps));
    }
    const QString output = args.value(u"output"_s).toString();
    if (output.isEmpty())
        return TaskResult{JsonResult{{{u"steps"_s, steps}}}};
    if (!QDir().mkpath(output))
        return failure(u"cannot create %1"_s.arg(output), u"output"_s);
    QSaveFile weights(QDir(output).filePath(u"weights.bin"_s));
    if (!weights.open(QIODevice::WriteOnly))
        return failure(u"cannot write the weights"_s);
    weights.write("trained");
    if (!weights.commit())
        return failure(u"cannot write the weights"_s);
    ModuleManifest manifest;
    manifest.id = args.value(u"name"_s).toString();
    manifest.title = u"Trained over REST"_s;
    manifest.summary = u"Made by the test-files plugin."_s;
    manifest.task = u"test-files"_s;
    manifest.parent = QFileInfo(args.value(u"parent"_s).toString()).fileName();
    manifest.weights = {u"weights.bin"_s, u"torch-state-dict"_s, sha256OfFile(weights.fileName()).valueOr({}), {}};
    if (Result<void> written = writeManifest(manifest, output); !written)
        return written.error();
    context.log(u"wrote %1"_s.arg(output));
    return TaskResult{JsonResult{{{u"steps"_s, steps}, {u"module"_s, output}, {u"parent"_s, manifest.parent}}}};
}

}  // namespace dw::test
