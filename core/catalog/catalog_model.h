#pragma once
// A list model over catalog entries for item views, plus a filter proxy driven by a
// CatalogQuery. Both are Qt Core only, so the CLI and the tests use them too.
#include "core/catalog/catalog_entry.h"

#include <QAbstractListModel>
#include <QList>

namespace dw {

class CatalogModel : public QAbstractListModel {
    Q_OBJECT
public:
    enum Role {
        IdRole = Qt::UserRole + 1,
        TitleRole,  // Qt::DisplayRole gives the title too
        SummaryRole,
        DescriptionRole,
        TaskRole,
        KeywordsRole,  // QStringList
        LicenseRole,
        ValidRole,     // bool
        ProblemsRole,  // QStringList of "field: message"
        BuiltInRole,   // bool
        TemplateRole,  // bool: no weights yet
        PathRole,
        PluginAvailableRole,  // bool: a loaded plugin handles the task
        SearchTextRole,       // title, summary, description and keywords, lower-case, for filtering
        BeingWrittenRole,     // bool: a training or an import is writing the module now
        InterruptedRole,      // bool: a training stopped before it wrote module.json (resumable)
        MetricsRole,          // QJsonObject: the manifest's metrics
    };
    Q_ENUM(Role)

    explicit CatalogModel(QObject *parent = nullptr);

    void setEntries(QList<CatalogEntry> entries);
    void setAvailableTasks(QStringList tasks);  // tasks that have a plugin
    const QList<CatalogEntry> &entries() const { return m_entries; }
    const CatalogEntry *entryAt(int row) const;
    int rowOf(const QString &id) const;  // -1 when absent

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

private:
    QList<CatalogEntry> m_entries;
    QStringList m_availableTasks;
};

}  // namespace dw
