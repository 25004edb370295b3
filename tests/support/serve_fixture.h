#pragma once
// Shared set-up of the REST API tests and benchmark: a catalog of test modules in a temporary
// folder, and the test plugins (test-echo, test-files) loaded into a PluginManager of its own.
#include "core/catalog/manifest_io.h"
#include "core/task/plugin_manager.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>

namespace dw::test {

inline bool writeTestModule(const QString &catalog, const QString &id, const QString &task, bool trained)
{
    const QString dir = QDir(catalog).filePath(id);
    if (!QDir().mkpath(dir))
        return false;
    ModuleManifest m;
    m.id = id;
    m.title = QStringLiteral("Test module %1").arg(id);
    m.summary = QStringLiteral("A %1 module for the REST tests.").arg(task);
    m.keywords = {QStringLiteral("test")};
    m.license = QStringLiteral("MIT");
    m.authors = {QStringLiteral("The tests")};
    m.task = task;
    if (trained) {
        QFile weights(QDir(dir).filePath(QStringLiteral("weights.bin")));
        if (!weights.open(QIODevice::WriteOnly))
            return false;
        weights.write("weights");
        weights.close();
        m.weights = {QStringLiteral("weights.bin"),
                     QStringLiteral("torch-state-dict"),
                     sha256OfFile(weights.fileName()).valueOr({}),
                     {}};
    }
    return writeManifest(m, dir).ok();
}

// The test plugins, from the build tree (see tests/fake_plugins and tests/CMakeLists.txt).
inline void loadServeTestPlugins(PluginManager &plugins)
{
    plugins.load({QStringLiteral(DW_TEST_PLUGIN_DIR "/libdwtestplugin.so"), QStringLiteral(DW_SERVE_PLUGIN_DIR)});
}

}  // namespace dw::test
