// A task plugin built for an older version of the task interface: refused by its IID.
#include <QObject>
#include <QtPlugin>

class OldInterfacePlugin : public QObject {
    Q_OBJECT
    Q_PLUGIN_METADATA(IID "org.deep-hybrid-datacloud.workbench.TaskPlugin/0.9")
};

#include "old_iid_plugin.moc"
