#include "core/catalog/catalog_filter_proxy.h"

#include "core/catalog/catalog_model.h"

namespace dw {

CatalogFilterProxy::CatalogFilterProxy(QObject *parent) : QSortFilterProxyModel(parent)
{
    // Rescans and plugin loads change the source; the view must follow without a reset.
    setDynamicSortFilter(true);
    setSortCaseSensitivity(Qt::CaseInsensitive);
}

void CatalogFilterProxy::setSourceModel(QAbstractItemModel *sourceModel)
{
    QSortFilterProxyModel::setSourceModel(sourceModel);
    sort(0, Qt::AscendingOrder);
}

void CatalogFilterProxy::setText(const QString &text)
{
    CatalogQuery q = m_query;
    q.text = text;
    apply(q);
}

void CatalogFilterProxy::setTask(const QString &task)
{
    CatalogQuery q = m_query;
    q.task = task;
    apply(q);
}

void CatalogFilterProxy::setKeywords(const QStringList &keywords)
{
    CatalogQuery q = m_query;
    q.keywords = keywords;
    apply(q);
}

void CatalogFilterProxy::setValidOnly(bool validOnly)
{
    CatalogQuery q = m_query;
    q.validOnly = validOnly;
    apply(q);
}

void CatalogFilterProxy::setUsableOnly(bool usableOnly)
{
    if (usableOnly == m_usableOnly)
        return;
    m_usableOnly = usableOnly;
    invalidateFilter();
    Q_EMIT queryChanged();
}

void CatalogFilterProxy::setQuery(const CatalogQuery &query)
{
    apply(query);
}

void CatalogFilterProxy::apply(const CatalogQuery &query)
{
    if (query == m_query)
        return;
    m_query = query;
    invalidateFilter();
    Q_EMIT queryChanged();
}

bool CatalogFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    if (sourceParent.isValid())
        return false;
    const auto *catalog = qobject_cast<const CatalogModel *>(sourceModel());
    if (!catalog)
        return true;
    const CatalogEntry *entry = catalog->entryAt(sourceRow);
    if (!entry || (m_usableOnly && (!entry->isValid() || entry->manifest.isTemplate())))
        return false;
    return m_query.matches(*entry);
}

bool CatalogFilterProxy::lessThan(const QModelIndex &left, const QModelIndex &right) const
{
    const int byTitle = left.data(CatalogModel::TitleRole)
                            .toString()
                            .compare(right.data(CatalogModel::TitleRole).toString(), Qt::CaseInsensitive);
    if (byTitle != 0)
        return byTitle < 0;
    return left.data(CatalogModel::IdRole).toString() < right.data(CatalogModel::IdRole).toString();
}

}  // namespace dw
