#pragma once
// Finds and loads the task plugins: from DEEPWB_PLUGIN_PATH (':'-separated), the
// "plugins" folder next to the executable (the build tree) and the install location.
// A plugin that fails to load is reported and skipped, never fatal.
#include "core/task/task_plugin.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <memory>

namespace dw {

struct PluginRecord {
    QString file;  // the shared object
    bool loaded = false;
    QString error;          // why it was skipped
    TaskMetadata metadata;  // when loaded
    QJsonObject json;       // the plugin.json metadata (MetaData of Q_PLUGIN_METADATA)
};

class PluginManager {
public:
    PluginManager();
    ~PluginManager();
    PluginManager(const PluginManager &) = delete;
    PluginManager &operator=(const PluginManager &) = delete;

    static QStringList defaultSearchPaths();
    // Loads every plugin found in paths (defaultSearchPaths() when empty). Safe to call again.
    void load(const QStringList &paths = {});
    const QList<PluginRecord> &records() const;     // loaded and failed ones
    QStringList tasks() const;                      // task ids with a loaded plugin
    TaskPlugin *plugin(const QString &task) const;  // nullptr when none

    // The one process-wide instance, loaded on first use (GUI, CLI, server).
    static PluginManager &instance();

private:
    struct Private;
    std::unique_ptr<Private> d;
};

}  // namespace dw
