#include "core/catalog/module_lineage.h"

#include <QHash>
#include <QSet>

#include <algorithm>

namespace dw {

namespace {

// id -> parent id, one per id: the user's module wins over a built-in one of the same id.
QHash<QString, QString> parentsById(const QList<CatalogEntry> &entries)
{
    QHash<QString, QString> parents;
    QSet<QString> fromUser;
    for (const CatalogEntry &entry : entries) {
        const QString id = entry.id();
        if (id.isEmpty() || (parents.contains(id) && (fromUser.contains(id) || entry.builtIn)))
            continue;
        parents.insert(id, entry.manifest.parent.trimmed());
        if (!entry.builtIn)
            fromUser.insert(id);
    }
    return parents;
}

QStringList sorted(QStringList ids)
{
    ids.removeDuplicates();
    std::sort(ids.begin(), ids.end());
    return ids;
}

}  // namespace

ModuleLineage moduleLineage(const QList<CatalogEntry> &entries, const QString &id)
{
    ModuleLineage lineage;
    lineage.id = id;
    const QHash<QString, QString> parents = parentsById(entries);

    QSet<QString> seen{id};
    for (QString next = parents.value(id); !next.isEmpty(); next = parents.value(next)) {
        if (seen.contains(next)) {
            lineage.cycle = true;
            break;
        }
        if (!parents.contains(next)) {
            lineage.missingAncestor = next;
            break;
        }
        seen.insert(next);
        lineage.ancestors << next;
    }

    const QString parent = parents.value(id);
    QStringList children, siblings;
    for (auto it = parents.cbegin(); it != parents.cend(); ++it) {
        if (it.key() == id)
            continue;
        if (it.value() == id)
            children << it.key();
        else if (!parent.isEmpty() && it.value() == parent)
            siblings << it.key();
    }
    lineage.children = sorted(children);
    lineage.siblings = sorted(siblings);
    return lineage;
}

}  // namespace dw
