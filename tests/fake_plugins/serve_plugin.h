#pragma once
// A task plugin for the REST API tests: task "test-files". predict reads its input file and
// answers with JSON about it, or writes a PNG-named file (mode png), fails (mode fail), fails
// naming an argument (mode fail-arg) or takes its time (mode slow). train steps slowly,
// honours cancellation and writes a trained module into its output folder.
#include "core/task/task_plugin.h"

#include <QObject>

namespace dw::test {

class ServePlugin : public QObject, public TaskPlugin {
    Q_OBJECT
    Q_PLUGIN_METADATA(IID DW_TASK_PLUGIN_IID FILE "serve_plugin.json")
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
