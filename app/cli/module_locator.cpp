#include "module_locator.h"

#include "core/catalog/catalog.h"
#include "core/catalog/manifest_io.h"

#include <QDir>
#include <QFileInfo>

namespace dw::cli {

using namespace Qt::StringLiterals;

namespace {

QString problemsText(const QList<ValidationProblem> &problems)
{
    QStringList lines;
    for (const ValidationProblem &p : problems)
        lines << p.text();
    return lines.join(u"; "_s);
}

}  // namespace

Result<LocatedModule> ModuleLocator::locate(const QString &idOrPath) const
{
    // A module folder wins over an id: "./my-model" and "/data/models/x" are folders whatever
    // the catalog holds. Anything else (a bare word, or a folder that holds no module, such
    // as a dataset named like the module) is looked up in the catalog.
    const QFileInfo info(idOrPath);
    const QString dir = info.isDir() ? info.absoluteFilePath() : info.absolutePath();
    const bool isModuleFolder = (info.isDir() && QFileInfo::exists(dir + u"/module.json"_s)) ||
                                (info.isFile() && info.fileName() == u"module.json"_s);
    if (isModuleFolder) {
        const ManifestReadResult read = readManifest(dir);
        if (!read.isValid())
            return failure(u"the module in %1 is not valid: %2 (check it with 'deepwb catalog validate %1')"_s.arg(
                dir, problemsText(read.problems)));
        LocatedModule module{dir, read.manifest.id.isEmpty() ? QDir(dir).dirName() : read.manifest.id, read.manifest,
                             false};
        return module;
    }

    Catalog catalog(m_catalogDirectory);
    catalog.scan();
    const CatalogEntry *entry = catalog.find(idOrPath);
    if (!entry) {
        if (info.isDir())
            return failure(
                u"%1 is a folder but no module (it has no module.json), and the catalog %2 has no module of that "
                "id (see 'deepwb catalog list')"_s.arg(dir, catalog.userDirectory()));
        const bool looksLikePath = idOrPath.contains(u'/') || idOrPath.startsWith(u'.');
        return failure(
            looksLikePath
                ? u"%1 does not exist: give a module folder or the id of a module in the catalog"_s.arg(idOrPath)
                : u"no module '%1' in the catalog %2 and no such folder (see 'deepwb catalog list')"_s.arg(
                      idOrPath, catalog.userDirectory()));
    }
    if (!entry->isValid())
        return failure(
            u"the module '%1' (%2) is not valid: %3"_s.arg(idOrPath, entry->path, problemsText(entry->problems)));
    return LocatedModule{entry->path, entry->id(), entry->manifest, entry->builtIn};
}

Result<LocatedModule> ModuleLocator::locateTrained(const QString &idOrPath) const
{
    Result<LocatedModule> module = locate(idOrPath);
    if (!module)
        return module;
    if (module->manifest.isTemplate())
        return failure(u"the module '%1' is a template without trained weights: train a module first, e.g. "
                       "'deepwb train %2 --data DIR --name NAME', and use that one"_s.arg(
                           module->id, module->manifest.task.isEmpty() ? u"TASK"_s : module->manifest.task));
    return module;
}

}  // namespace dw::cli
