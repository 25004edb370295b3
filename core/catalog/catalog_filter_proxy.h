#pragma once
// Filters and sorts a CatalogModel for the catalog views. The filter is a CatalogQuery, so
// the list in the window, `deepwb catalog list` and the REST API agree on what matches.
#include "core/catalog/catalog.h"

#include <QSortFilterProxyModel>
#include <QStringList>

namespace dw {

class CatalogFilterProxy : public QSortFilterProxyModel {
    Q_OBJECT
public:
    explicit CatalogFilterProxy(QObject *parent = nullptr);

    // The source must be a CatalogModel; rows of any other model are all accepted.
    void setSourceModel(QAbstractItemModel *sourceModel) override;

    void setText(const QString &text);
    void setTask(const QString &task);  // empty: any task
    void setKeywords(const QStringList &keywords);
    void setValidOnly(bool validOnly);
    // Only modules that can be used now: valid and trained (no templates).
    void setUsableOnly(bool usableOnly);
    bool usableOnly() const { return m_usableOnly; }
    void setQuery(const CatalogQuery &query);
    const CatalogQuery &query() const { return m_query; }

Q_SIGNALS:
    void queryChanged();

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;
    // By title, case-insensitively, then by id so that equal titles keep a stable order.
    bool lessThan(const QModelIndex &left, const QModelIndex &right) const override;

private:
    void apply(const CatalogQuery &query);

    CatalogQuery m_query;
    bool m_usableOnly = false;
};

}  // namespace dw
