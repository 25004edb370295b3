#pragma once
// What a MODULE argument names: a module folder (a path that exists), else the id of a
// module in the catalog (--catalog DIR, $DEEPWB_CATALOG, or the default folder).
#include "core/catalog/module_manifest.h"
#include "core/util/result.h"

#include <QString>

namespace dw::cli {

struct LocatedModule {
    QString directory;  // absolute module folder (":/modules/..." for a built-in one)
    QString id;         // the manifest's id, else the folder name
    ModuleManifest manifest;
    bool builtIn = false;
};

class ModuleLocator {
public:
    explicit ModuleLocator(QString catalogDirectory) : m_catalogDirectory(std::move(catalogDirectory)) {}

    // Errors: not a folder and no such id in the catalog; an invalid manifest (its problems).
    Result<LocatedModule> locate(const QString &idOrPath) const;
    // The same, and the module must have trained weights (a template cannot predict).
    Result<LocatedModule> locateTrained(const QString &idOrPath) const;

private:
    QString m_catalogDirectory;
};

}  // namespace dw::cli
