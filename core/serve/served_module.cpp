#include "core/serve/served_module.h"

#include "core/catalog/catalog.h"
#include "core/task/plugin_manager.h"

#include <QJsonArray>

namespace dw {

using namespace Qt::StringLiterals;

namespace {

bool isPath(ArgType type)
{
    return type == ArgType::FilePath || type == ArgType::FolderPath;
}

bool takesFiles(const ArgumentSpec &spec)
{
    return isPath(spec.type) || (spec.type == ArgType::List && isPath(spec.itemType));
}

// Why a catalog entry cannot be served; empty when it can. A task the catalog does not know
// is fine when a plugin for it is loaded: plugins may bring tasks of their own.
QString whyNotServed(const CatalogEntry &entry, const PluginManager &plugins)
{
    if (entry.manifest.task.isEmpty())
        return u"its module.json names no task"_s;
    if (!plugins.plugin(entry.manifest.task))
        return u"no plugin for its task \"%1\" is loaded (see 'deepwb plugins')"_s.arg(entry.manifest.task);
    for (const ValidationProblem &problem : entry.problems) {
        if (problem.field != u"task"_s)
            return u"it is invalid: %1"_s.arg(problem.text());
    }
    return {};
}

}  // namespace

ServedModule ServedModule::make(const CatalogEntry &entry, TaskPlugin *plugin)
{
    ServedModule m;
    m.id = entry.id();
    m.directory = entry.path;
    m.manifest = entry.manifest;
    m.builtIn = entry.builtIn;
    m.plugin = plugin;
    if (!plugin)
        return m;

    const ArgumentSchema predict = plugin->predictArguments();
    const ArgumentSpec *upload = predict.find(u"data"_s);
    if (!upload || !takesFiles(*upload)) {
        upload = nullptr;
        for (const ArgumentSpec &spec : predict.specs()) {
            if (spec.name != u"module"_s && takesFiles(spec) && (spec.required || spec.type == ArgType::List)) {
                upload = &spec;
                break;
            }
        }
    }
    if (upload) {
        m.uploadArgument = upload->name;
        m.uploadIsList = upload->type == ArgType::List;
        m.uploadRequired = upload->required;
    }
    for (const ArgumentSpec &spec : predict.specs()) {
        // module: ours to fill; other paths would let a client read or write where it likes,
        // except that one more input file may come as an upload of its own.
        if (spec.name == u"module"_s || spec.name == m.uploadArgument || spec.name == u"accept"_s)
            continue;
        if (spec.type == ArgType::FilePath && spec.readsFile && spec.name != u"data"_s) {
            m.extraUploads.append(spec.name);
            continue;
        }
        if (takesFiles(spec))
            continue;
        m.predictSchema.add(spec);
    }

    const ArgumentSchema train = plugin->trainArguments();  // kept: specs() refers into it
    for (const ArgumentSpec &spec : train.specs()) {
        if (spec.name == u"output"_s && isPath(spec.type)) {
            m.trainFillsOutput = true;
            continue;
        }
        if (spec.name == u"parent"_s && isPath(spec.type)) {
            m.trainFillsParent = !m.isTemplate();
            continue;
        }
        m.trainSchema.add(spec);  // data paths stay: checked against the server's data roots
    }
    return m;
}

QJsonObject ServedModule::toJson(const QString &selfHref) const
{
    const ModuleManifest &mf = manifest;
    QJsonObject json{{u"id"_s, id},
                     {u"name"_s, id},
                     {u"links"_s, QJsonArray{QJsonObject{{u"rel"_s, u"self"_s}, {u"href"_s, selfHref}}}},
                     {u"title"_s, mf.title},
                     {u"summary"_s, mf.summary},
                     {u"description"_s, mf.description},
                     {u"keywords"_s, QJsonArray::fromStringList(mf.keywords)},
                     {u"license"_s, mf.license},
                     {u"author"_s, mf.authors.join(u", "_s)},
                     {u"version"_s, mf.version},
                     {u"task"_s, mf.task},
                     {u"template"_s, isTemplate()},
                     {u"trainable"_s, plugin != nullptr},
                     {u"predictable"_s, !isTemplate()}};
    if (!mf.architecture.isEmpty())
        json.insert(u"architecture"_s, mf.architecture);
    if (!mf.labels.isEmpty())
        json.insert(u"labels"_s, QJsonArray::fromStringList(mf.labels));
    if (!mf.metrics.isEmpty())
        json.insert(u"metrics"_s, mf.metrics);
    if (!mf.dateCreation.isEmpty())
        json.insert(u"date_creation"_s, mf.dateCreation);
    if (!mf.parent.isEmpty())
        json.insert(u"parent"_s, mf.parent);
    if (!mf.sources.isEmpty())
        json.insert(u"sources"_s, QJsonArray::fromStringList(mf.sources));
    return json;
}

const ServedModule *ServedModuleSet::find(const QString &id) const
{
    for (const ServedModule &m : modules) {
        if (m.id == id)
            return &m;
    }
    return nullptr;
}

Result<ServedModuleSet> ServedModuleSet::collect(const Catalog &catalog, const PluginManager &plugins,
                                                 const QStringList &only)
{
    ServedModuleSet set;
    for (const QString &id : only) {
        const CatalogEntry *entry = catalog.find(id);
        if (!entry)
            return failure(u"there is no module \"%1\" in the catalog %2 (see 'deepwb catalog list')"_s.arg(
                               id, catalog.userDirectory()),
                           u"module"_s);
        const QString why = whyNotServed(*entry, plugins);
        if (!why.isEmpty())
            return failure(u"the module \"%1\" cannot be served: %2"_s.arg(id, why), u"module"_s);
        if (!set.find(id))
            set.modules.append(ServedModule::make(*entry, plugins.plugin(entry->manifest.task)));
    }
    if (!only.isEmpty())
        return set;
    for (const CatalogEntry &entry : catalog.entries()) {
        const QString id = entry.id();
        if (set.find(id))
            continue;  // a user module shadows the built-in one of the same id
        const QString why = whyNotServed(entry, plugins);
        if (!why.isEmpty()) {
            set.skipped.append(u"%1: %2"_s.arg(id, why));
            continue;
        }
        set.modules.append(ServedModule::make(entry, plugins.plugin(entry.manifest.task)));
    }
    return set;
}

}  // namespace dw
