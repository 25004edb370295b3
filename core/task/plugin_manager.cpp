#include "core/task/plugin_manager.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QHash>
#include <QLibrary>
#include <QLoggingCategory>
#include <QPluginLoader>

#include <algorithm>
#include <vector>

// Debug output (each plugin loaded) only on request: QT_LOGGING_RULES="dw.plugins.debug=true".
Q_LOGGING_CATEGORY(lcPlugins, "dw.plugins", QtInfoMsg)

namespace dw {

using namespace Qt::StringLiterals;

struct PluginManager::Private {
    QList<PluginRecord> records;
    QHash<QString, TaskPlugin *> byTask;  // task id -> the plugin that provides it
    QHash<QString, QString> taskFile;     // task id -> the file it came from
    // The loaders of loaded plugins are kept for the life of the manager; plugins are
    // never unloaded, since objects and results they made may outlive any one call.
    std::vector<std::unique_ptr<QPluginLoader>> loaders;
};

namespace {

// The interface name without its version: "....TaskPlugin" of "....TaskPlugin/1.0".
QString iidBase(const QString &iid)
{
    return iid.section(u'/', 0, 0);
}

// Plugin files in a folder (or the path itself when it is a file), sorted so that
// "the first wins" among duplicates means the same thing on every machine.
QStringList pluginFiles(const QString &path)
{
    const QFileInfo info(path);
    if (info.isFile())
        return {info.absoluteFilePath()};
    if (!info.isDir())
        return {};
    QStringList files;
    const QDir dir(path);
    for (const QFileInfo &entry : dir.entryInfoList(QDir::Files | QDir::NoDotAndDotDot, QDir::Name)) {
        if (QLibrary::isLibrary(entry.fileName()))
            files << entry.absoluteFilePath();
    }
    return files;
}

// The dynamic loader's reason without the file name Qt wraps it in twice, and what to do.
QString loadFailure(QString reason, const QString &file)
{
    const qsizetype open = reason.indexOf(u'(');
    if (open >= 0 && reason.endsWith(u')'))
        reason = reason.mid(open + 1).chopped(1);
    reason.remove(file + u": "_s);
    if (reason.contains(u"undefined symbol"_s))
        return u"could not be loaded (%1): it was built against other versions of the workbench or its libraries; rebuild it"_s
            .arg(reason);
    return u"could not be loaded (%1)"_s.arg(reason);
}

}  // namespace

PluginManager::PluginManager() : d(std::make_unique<Private>())
{}

PluginManager::~PluginManager() = default;

QStringList PluginManager::defaultSearchPaths()
{
    QStringList paths;
    const auto addPath = [&paths](const QString &path) {
        if (path.isEmpty())
            return;
        const QString clean = QDir::cleanPath(QDir(path).absolutePath());
        if (!paths.contains(clean))
            paths << clean;
    };
    const QString fromEnvironment = qEnvironmentVariable("DEEPWB_PLUGIN_PATH");
    for (const QString &path : fromEnvironment.split(u':', Qt::SkipEmptyParts))
        addPath(path);
    // The build tree (build/bin/plugins) and a relocated install keep plugins beside the binary;
    // an installed package has them in bin/../lib/deep-workbench/plugins wherever it was unpacked.
    if (QCoreApplication::instance()) {
        addPath(QCoreApplication::applicationDirPath() + u"/plugins"_s);
        addPath(QCoreApplication::applicationDirPath() + u"/"_s + QStringLiteral(DW_PLUGIN_DIR_FROM_BINDIR));
    }
    addPath(QStringLiteral(DW_PLUGIN_INSTALL_DIR));
    return paths;
}

void PluginManager::load(const QStringList &paths)
{
    const QStringList searchPaths = paths.isEmpty() ? defaultSearchPaths() : paths;
    for (const QString &path : searchPaths) {
        for (const QString &file : pluginFiles(path)) {
            const QString canonical = QFileInfo(file).canonicalFilePath();
            const bool seen = std::any_of(d->records.cbegin(), d->records.cend(), [&](const PluginRecord &r) {
                return QFileInfo(r.file).canonicalFilePath() == canonical;
            });
            if (seen)
                continue;  // load() again after adding a path must not report old files twice

            PluginRecord record;
            record.file = file;
            auto loader = std::make_unique<QPluginLoader>(file);
            const QString why = [&]() -> QString {
                // The metadata is read from the file without running any of its code, so
                // a plugin for another interface or version is refused before it is loaded.
                const QJsonObject meta = loader->metaData();
                if (meta.isEmpty()) {
                    // Qt names the file twice in its reason; the record already names it.
                    QString reason = loader->errorString();
                    reason.remove(u"Failed to extract plugin meta data from '%1': "_s.arg(file));
                    reason.remove(u"'%1' is "_s.arg(file));
                    return u"not a Qt plugin (%1)"_s.arg(reason.isEmpty() ? u"no plugin metadata"_s : reason);
                }
                record.json = meta.value(u"MetaData"_s).toObject();
                const QString iid = meta.value(u"IID"_s).toString();
                if (iid != QLatin1StringView(DW_TASK_PLUGIN_IID)) {
                    if (iidBase(iid) == iidBase(QStringLiteral(DW_TASK_PLUGIN_IID)))
                        return u"built for task interface %1, but this workbench needs %2; rebuild the plugin against this version"_s
                            .arg(iid, QStringLiteral(DW_TASK_PLUGIN_IID));
                    return u"not a task plugin: its interface is '%1', expected '%2'"_s.arg(
                        iid, QStringLiteral(DW_TASK_PLUGIN_IID));
                }
                QObject *object = loader->instance();
                if (!object)
                    return loadFailure(loader->errorString(), file);
                TaskPlugin *plugin = qobject_cast<TaskPlugin *>(object);
                if (!plugin) {
                    const QString className = QString::fromLatin1(object->metaObject()->className());
                    loader->unload();  // deletes object: nothing of it may be used after this
                    return u"declares the task interface but does not implement it (%1)"_s.arg(className);
                }
                record.metadata = plugin->metadata();
                const QString task = record.metadata.task;
                if (task.isEmpty()) {
                    loader->unload();
                    return u"its metadata names no task"_s;
                }
                if (d->byTask.contains(task)) {
                    // Not unloaded: if both files are the same library under two names the
                    // loader shares one handle, and unloading would pull the first one away.
                    return u"task '%1' is already provided by %2; this copy is skipped"_s.arg(task,
                                                                                              d->taskFile.value(task));
                }
                d->byTask.insert(task, plugin);
                d->taskFile.insert(task, file);
                return {};
            }();

            if (why.isEmpty()) {
                record.loaded = true;
                d->loaders.push_back(std::move(loader));
                qCDebug(lcPlugins) << "loaded" << record.metadata.task << "from" << file;
            } else {
                record.error = why;
                qCWarning(lcPlugins).noquote() << "skipped plugin" << file << "-" << why;
            }
            d->records.append(std::move(record));
        }
    }
}

const QList<PluginRecord> &PluginManager::records() const
{
    return d->records;
}

QStringList PluginManager::tasks() const
{
    QStringList result;
    for (const PluginRecord &record : d->records) {
        if (record.loaded)
            result << record.metadata.task;
    }
    return result;
}

TaskPlugin *PluginManager::plugin(const QString &task) const
{
    return d->byTask.value(task, nullptr);
}

PluginManager &PluginManager::instance()
{
    // Built and loaded on first use; C++ guarantees this runs once even when the
    // first calls race from several threads.
    struct Loaded {
        PluginManager manager;
        Loaded() { manager.load(); }
    };
    static Loaded loaded;
    return loaded.manager;
}

}  // namespace dw
