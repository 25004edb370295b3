#pragma once
// The task interface: the DEEPaaS model interface in C++. One Qt plugin per task kind
// (image classification, super-resolution, time series) implements it; the GUI, the CLI
// and the REST API only ever talk to a task through it.
#include "core/jobs/job_context.h"
#include "core/task/argument_schema.h"
#include "core/task/task_result.h"
#include "core/util/result.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <QtPlugin>

namespace dw {

struct TaskMetadata {
    QString task;  // the task id modules name in module.json: "image-classification"
    QString name;  // human name: "Image classification"
    QString description;
    QString version;            // the plugin's version
    QStringList architectures;  // the architectures it can train and run
    QJsonObject toJson() const;
};

class TaskPlugin {
public:
    virtual ~TaskPlugin() = default;

    virtual TaskMetadata metadata() const = 0;
    virtual ArgumentSchema trainArguments() const = 0;
    virtual ArgumentSchema predictArguments() const = 0;

    // Loads what predict needs for a module (weights, labels) ahead of the first request.
    virtual Result<void> warm(const QString &moduleDirectory, JobContext &context) = 0;
    // args have been validated against trainArguments()/predictArguments().
    virtual Result<TaskResult> train(const QVariantMap &args, JobContext &context) = 0;
    virtual Result<TaskResult> predict(const QVariantMap &args, JobContext &context) = 0;

    // Evaluation of a trained module on labelled data. Both have defaults, so that tasks
    // without an evaluation keep compiling; they are declared last so that the vtable only
    // grows at its end and the IID can stay the same.
    // The arguments of evaluate(); empty for a task that cannot evaluate.
    virtual ArgumentSchema evaluateArguments() const { return {}; }
    // args have been validated against evaluateArguments().
    virtual Result<TaskResult> evaluate(const QVariantMap &args, JobContext &context)
    {
        Q_UNUSED(args);
        Q_UNUSED(context);
        return failure(QStringLiteral("the task '%1' cannot evaluate a module: it has no evaluation on labelled data")
                           .arg(metadata().task));
    }

    // Bringing a model made elsewhere into the catalog (a TorchScript archive from PyTorch):
    // the arguments of importModel(), empty for a task that imports nothing; then the import,
    // which writes a complete module folder at args["output"] or leaves nothing behind.
    // Declared after evaluate() for the same reason: the vtable only grows at its end.
    virtual ArgumentSchema importArguments() const { return {}; }
    // args have been validated against importArguments().
    virtual Result<TaskResult> importModel(const QVariantMap &args, JobContext &context)
    {
        Q_UNUSED(args);
        Q_UNUSED(context);
        return failure(QStringLiteral("the task '%1' cannot import models made elsewhere").arg(metadata().task));
    }

    // Writing a trained module in a format other programs read. args: "module" (the folder),
    // "output" (the file), "format" (exportFormats()), "fold_normalization" (bool: the graph
    // takes the raw input and normalises it itself). The file appears whole or not at all.
    // Declared last for the same reason: the vtable only grows at its end.
    virtual QStringList exportFormats() const { return {}; }
    virtual Result<TaskResult> exportModel(const QVariantMap &args, JobContext &context)
    {
        Q_UNUSED(args);
        Q_UNUSED(context);
        return failure(QStringLiteral("the task '%1' cannot export modules to other formats").arg(metadata().task));
    }
};

}  // namespace dw

#define DW_TASK_PLUGIN_IID "org.deep-hybrid-datacloud.workbench.TaskPlugin/1.0"
Q_DECLARE_INTERFACE(dw::TaskPlugin, DW_TASK_PLUGIN_IID)
