#pragma once
// A module's family in the catalog, from the "parent" of each manifest: the chain of
// ancestors up to the first module that has none, its children and its siblings (modules
// re-trained from the same parent). Manifests are written by hand and copied between
// machines, so a parent may be missing from this catalog or the parents may form a loop:
// the chain then stops and says why, it never runs forever.
#include "core/catalog/catalog_entry.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace dw {

struct ModuleLineage {
    QString id;               // the module asked about
    QStringList ancestors;    // parent first, then its parent, ...; only modules in the catalog
    QString missingAncestor;  // the id of the first ancestor that is not in the catalog, if any
    bool cycle = false;       // the chain came back to a module already in it: stopped there
    QStringList children;     // modules whose parent is id, sorted
    QStringList siblings;     // other modules with the same (non-empty) parent, sorted

    QString parent() const { return ancestors.isEmpty() ? missingAncestor : ancestors.first(); }
    bool isEmpty() const { return parent().isEmpty() && children.isEmpty(); }  // no family at all
};

// entries: a catalog scan (user modules shadow built-in ones of the same id, as in
// Catalog::find). An id not in entries still gets its children.
ModuleLineage moduleLineage(const QList<CatalogEntry> &entries, const QString &id);

}  // namespace dw
