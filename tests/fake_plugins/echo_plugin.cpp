#include "echo_plugin.h"

#include "core/task/argument_builders.h"

#include <QDir>
#include <QJsonArray>
#include <QThread>

namespace dw::test {

using namespace Qt::StringLiterals;

TaskMetadata EchoPlugin::metadata() const
{
    return {u"test-echo"_s, u"Test echo"_s, u"Echoes its arguments back."_s, u"1.0.0"_s, {u"echo"_s}};
}

ArgumentSchema EchoPlugin::trainArguments() const
{
    ArgumentSchema schema;
    ArgumentSpec epochs = args::spec(u"epochs"_s, ArgType::Int, 3, {}, {}, 1.0, 1000.0);
    epochs.help = u"Passes over the data."_s;
    epochs.group = u"Training"_s;
    schema.add(epochs);
    ArgumentSpec steps = args::spec(u"steps"_s, ArgType::Int, 10, {}, {}, 1.0, 100000.0);
    steps.help = u"Steps per epoch."_s;
    steps.group = u"Training"_s;
    schema.add(steps);
    ArgumentSpec delay = args::spec(u"step-ms"_s, ArgType::Int, 1, {}, {}, 0.0, 10000.0);
    delay.help = u"How long one step takes, in milliseconds."_s;
    delay.group = u"Training"_s;
    schema.add(delay);
    ArgumentSpec rate = args::spec(u"learning-rate"_s, ArgType::Float, 0.01, {}, {}, 0.0, 1.0);
    rate.group = u"Optimiser"_s;
    schema.add(rate);
    ArgumentSpec optimiser = args::spec(u"optimiser"_s, ArgType::Enum, u"adam"_s, {}, {});
    optimiser.choices = {u"sgd"_s, u"adam"_s};
    optimiser.group = u"Optimiser"_s;
    schema.add(optimiser);
    ArgumentSpec augment = args::spec(u"augment"_s, ArgType::Bool, true, {}, {});
    augment.group = u"Data"_s;
    schema.add(augment);
    ArgumentSpec data = args::spec(u"data"_s, ArgType::FolderPath, {}, {}, {});
    data.group = u"Data"_s;
    schema.add(data);
    return schema;
}

ArgumentSchema EchoPlugin::predictArguments() const
{
    ArgumentSchema schema;
    ArgumentSpec text = args::spec(u"text"_s, ArgType::String, {}, {}, {});
    text.required = true;
    text.help = u"What to echo."_s;
    schema.add(text);
    schema.add(args::spec(u"repeat"_s, ArgType::Int, 1, {}, {}, 1.0, 10.0));
    ArgumentSpec tags = args::spec(u"tags"_s, ArgType::List, {}, {}, {});
    tags.itemType = ArgType::String;
    schema.add(tags);
    return schema;
}

Result<void> EchoPlugin::warm(const QString &moduleDirectory, JobContext &context)
{
    if (!QDir(moduleDirectory).exists())
        return failure(u"the module folder %1 does not exist"_s.arg(moduleDirectory), u"module"_s);
    context.log(u"warmed %1"_s.arg(moduleDirectory));
    return success();
}

Result<TaskResult> EchoPlugin::train(const QVariantMap &args, JobContext &context)
{
    const int epochs = args.value(u"epochs"_s, 3).toInt();
    const int steps = args.value(u"steps"_s, 10).toInt();
    const int stepMs = args.value(u"step-ms"_s, 1).toInt();
    const qint64 total = qint64(epochs) * steps;
    qint64 done = 0;
    for (int epoch = 1; epoch <= epochs; ++epoch) {
        for (int step = 1; step <= steps; ++step) {
            if (context.isCancelled())
                return failure(u"cancelled at epoch %1, step %2"_s.arg(epoch).arg(step));
            QThread::msleep(stepMs);
            context.setProgress(++done, total,
                                u"epoch %1/%2, step %3/%4"_s.arg(epoch).arg(epochs).arg(step).arg(steps));
        }
        context.log(u"epoch %1 done"_s.arg(epoch));
    }
    return TaskResult{JsonResult{{{u"epochs"_s, epochs}, {u"steps"_s, total}}}};
}

Result<TaskResult> EchoPlugin::predict(const QVariantMap &args, JobContext &context)
{
    Q_UNUSED(context);
    const QString text = args.value(u"text"_s).toString();
    return TaskResult{JsonResult{{{u"task"_s, u"test-echo"_s},
                                  {u"echo"_s, text.repeated(args.value(u"repeat"_s, 1).toInt())},
                                  {u"args"_s, QJsonObject::fromVariantMap(args)}}}};
}

}  // namespace dw::test
