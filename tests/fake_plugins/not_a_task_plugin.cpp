// Claims the task interface in its metadata but does not implement it: qobject_cast fails.
#include "core/task/task_plugin.h"

#include <QObject>

class NotATaskPlugin : public QObject {
    Q_OBJECT
    Q_PLUGIN_METADATA(IID DW_TASK_PLUGIN_IID)
};

#include "not_a_task_plugin.moc"
