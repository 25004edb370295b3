// A task plugin that needs a symbol no library provides, as one built against another
// version of a dependency does: its metadata reads fine, loading it fails.
#include "core/task/task_plugin.h"

#include <QObject>

// A variable, not a function: data references are bound when the library is loaded,
// whereas a function call could be bound lazily and load "successfully".
extern "C" int dw_test_missing_symbol;

class UnresolvedPlugin : public QObject, public dw::TaskPlugin {
    Q_OBJECT
    Q_PLUGIN_METADATA(IID DW_TASK_PLUGIN_IID)
    Q_INTERFACES(dw::TaskPlugin)
public:
    dw::TaskMetadata metadata() const override
    {
        return {QStringLiteral("test-unresolved-%1").arg(dw_test_missing_symbol), {}, {}, {}, {}};
    }
    dw::ArgumentSchema trainArguments() const override { return {}; }
    dw::ArgumentSchema predictArguments() const override { return {}; }
    dw::Result<void> warm(const QString &, dw::JobContext &) override { return dw::success(); }
    dw::Result<dw::TaskResult> train(const QVariantMap &, dw::JobContext &) override
    {
        return dw::failure(QStringLiteral("unused"));
    }
    dw::Result<dw::TaskResult> predict(const QVariantMap &, dw::JobContext &) override
    {
        return dw::failure(QStringLiteral("unused"));
    }
};

#include "unresolved_plugin.moc"
