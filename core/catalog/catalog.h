#pragma once
// The catalog: the user's module folder plus the read-only built-in modules. A scan never
// stops at a broken module; it lists it as invalid with its reasons.
#include "core/catalog/catalog_entry.h"
#include "core/util/result.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace dw {

struct CatalogQuery {
    QString text;          // matched case-insensitively in title, summary, description, keywords
    QString task;          // empty: any
    QStringList keywords;  // every one must be present (case-insensitive)
    bool validOnly = false;
    bool matches(const CatalogEntry &entry) const;
    friend bool operator==(const CatalogQuery &, const CatalogQuery &) = default;
};

class Catalog {
public:
    // userDirectory empty: defaultUserDirectory(). includeBuiltIns: the modules of
    // resources/ compiled into dwcore (":/modules").
    explicit Catalog(QString userDirectory = {}, bool includeBuiltIns = true);

    // The user's folder: DEEPWB_CATALOG if set, else AppDataLocation/modules.
    static QString defaultUserDirectory();
    static QString builtInDirectory() { return QStringLiteral(":/modules"); }

    const QString &userDirectory() const { return m_userDirectory; }
    void scan();  // (re)reads every module folder; creates the user folder if missing
    const QList<CatalogEntry> &entries() const { return m_entries; }
    const CatalogEntry *find(const QString &id) const;  // user modules shadow built-in ones
    QList<CatalogEntry> search(const CatalogQuery &query) const;
    QStringList allKeywords() const;  // sorted, unique, case-folded
    QStringList allTasks() const;

    // A folder for a new module with this id in the user folder: the full path of
    // userDirectory/id, or of id-2, id-3, ... when that one exists. Not created here.
    QString freeFolderFor(const QString &id) const;
    // Removes a user module's folder; built-in modules cannot be removed.
    Result<void> remove(const QString &id);

private:
    QString m_userDirectory;
    bool m_includeBuiltIns = true;
    QList<CatalogEntry> m_entries;
};

}  // namespace dw
