#pragma once
// A catalog module as the REST API serves it: its task plugin and the REST forms of the
// plugin's schemas. Arguments the server fills itself (the module folder, the output folder,
// the parent of a re-training) and paths a client could use to write on the server are not
// part of the REST forms; an uploaded file (the form field "data") fills the predict argument
// that takes input files, and the other files predict reads (ArgumentSpec::readsFile: a guided
// super-resolution's "guide") are file fields of their own name.
#include "core/catalog/catalog_entry.h"
#include "core/task/argument_schema.h"

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

namespace dw {

class Catalog;
class PluginManager;
class TaskPlugin;

struct ServedModule {
    QString id;  // the model's name in the URLs
    QString directory;
    ModuleManifest manifest;
    bool builtIn = false;
    TaskPlugin *plugin = nullptr;  // not owned: the plugin manager's
    ArgumentSchema predictSchema;  // what a predict request may send (besides "data" and "accept")
    ArgumentSchema trainSchema;    // what a train request may send
    QString uploadArgument;        // the plugin's predict argument the uploads fill; empty: none
    bool uploadIsList = false;
    bool uploadRequired = false;
    QStringList extraUploads;  // predict arguments that read one more file (readsFile): form file fields of that name
    bool trainFillsParent = false;  // the plugin's train takes "parent" and this module has weights
    bool trainFillsOutput = false;  // the plugin's train takes "output": the server picks the folder

    bool isTemplate() const { return manifest.isTemplate(); }
    // The DEEPaaS model entry: id, name, links and the metadata of module.json.
    QJsonObject toJson(const QString &selfHref) const;

    static ServedModule make(const CatalogEntry &entry, TaskPlugin *plugin);
};

struct ServedModuleSet {
    QList<ServedModule> modules;
    QStringList skipped;  // "id: why", for modules left out of an unfiltered set
    const ServedModule *find(const QString &id) const;

    // Every catalog module whose task has a loaded plugin, or only those named (then a named
    // one that cannot be served is an error saying why).
    static Result<ServedModuleSet> collect(const Catalog &catalog, const PluginManager &plugins,
                                           const QStringList &only = {});
};

}  // namespace dw
