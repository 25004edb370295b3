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
    QString task;         // the task id modules name in module.json: "image-classification"
    QString name;         // human name: "Image classification"
    QString description;
    QString version;      // the plugin's version
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
};

}  // namespace dw

#define DW_TASK_PLUGIN_IID "org.deep-hybrid-datacloud.workbench.TaskPlugin/1.0"
Q_DECLARE_INTERFACE(dw::TaskPlugin, DW_TASK_PLUGIN_IID)
