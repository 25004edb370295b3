#pragma once
// A real task plugin for the tests: task "test-echo". predict echoes its arguments back;
// train counts through epochs and steps, reporting progress and honouring cancellation.
#include "core/task/task_plugin.h"

#include <QObject>

namespace dw::test {

class EchoPlugin : public QObject, public TaskPlugin {
    Q_OBJECT
    Q_PLUGIN_METADATA(IID DW_TASK_PLUGIN_IID FILE "plugin.json")
    Q_INTERFACES(dw::TaskPlugin)
public:
    TaskMetadata metadata() const override;
    ArgumentSchema trainArguments() const override;
    ArgumentSchema predictArguments() const override;
    Result<void> warm(const QString &moduleDirectory, JobContext &context) override;
    Result<TaskResult> train(const QVariantMap &args, JobContext &context) override;
    Result<TaskResult> predict(const QVariantMap &args, JobContext &context) override;
};

}  // namespace dw::test
