#include "ui/catalog/lineage_tree.h"

#include "core/catalog/catalog_entry.h"
#include "core/catalog/module_lineage.h"

#include <QHeaderView>
#include <QTreeWidgetItemIterator>

#include <algorithm>

namespace dw {

LineageTree::LineageTree(QWidget *parent) : QTreeWidget(parent)
{
    setObjectName(QStringLiteral("lineageTree"));
    setColumnCount(2);
    setHeaderLabels({tr("Family"), tr("Relation")});
    header()->setStretchLastSection(false);
    header()->setSectionResizeMode(0, QHeaderView::Stretch);
    header()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    setRootIsDecorated(true);
    setUniformRowHeights(true);
    setExpandsOnDoubleClick(false);
    setAccessibleName(tr("Module family"));
    setToolTip(
        tr("The modules this one was re-trained from, its siblings and its children: click one to open its page"));
    connect(this, &QTreeWidget::itemClicked, this, &LineageTree::onItemClicked);
    connect(this, &QTreeWidget::itemActivated, this, &LineageTree::onItemClicked);  // keyboard: Enter
    hide();
}

QTreeWidgetItem *LineageTree::addNode(QTreeWidgetItem *parent, const QString &id, const QString &relation)
{
    const bool known = m_titles.contains(id);
    const QString title = m_titles.value(id);
    auto *item = parent ? new QTreeWidgetItem(parent) : new QTreeWidgetItem(this);
    item->setText(0, known ? (title.isEmpty() || title == id ? id : QStringLiteral("%1 (%2)").arg(title, id))
                           : tr("%1 (not in this catalog)").arg(id));
    item->setData(0, IdRole, id);
    item->setData(0, RelationRole, relation);
    static const QHash<QString, const char *> names{{QStringLiteral("ancestor"), QT_TR_NOOP("ancestor")},
                                                    {QStringLiteral("parent"), QT_TR_NOOP("parent")},
                                                    {QStringLiteral("self"), QT_TR_NOOP("this module")},
                                                    {QStringLiteral("sibling"), QT_TR_NOOP("sibling")},
                                                    {QStringLiteral("child"), QT_TR_NOOP("child")}};
    item->setText(1, tr(names.value(relation, "")));
    item->setToolTip(0, relation == QLatin1String("self") ? tr("The module shown above")
                                                          : tr("Open the page of %1").arg(id));
    if (relation == QLatin1String("self")) {
        QFont bold = font();
        bold.setBold(true);
        item->setFont(0, bold);
        item->setFont(1, bold);
    }
    if (!known)
        item->setForeground(0, palette().brush(QPalette::Disabled, QPalette::Text));
    return item;
}

void LineageTree::showModule(const QList<CatalogEntry> &entries, const QString &id)
{
    clear();
    m_id = id;
    m_titles.clear();
    if (id.isEmpty()) {
        hide();
        return;
    }
    for (const CatalogEntry &entry : entries)
        if (!m_titles.contains(entry.id()) || !entry.builtIn)
            m_titles.insert(entry.id(), entry.manifest.title);
    const ModuleLineage lineage = moduleLineage(entries, id);
    if (lineage.isEmpty()) {
        hide();
        return;
    }

    // Oldest ancestor at the top; a missing one above the oldest known.
    QStringList chain = lineage.ancestors;
    std::reverse(chain.begin(), chain.end());
    if (!lineage.missingAncestor.isEmpty())
        chain.prepend(lineage.missingAncestor);
    QTreeWidgetItem *above = nullptr;
    for (int i = 0; i < chain.size(); ++i)
        above =
            addNode(above, chain.at(i), i == chain.size() - 1 ? QStringLiteral("parent") : QStringLiteral("ancestor"));

    // The module among its siblings, in id order.
    QStringList generation = lineage.siblings;
    generation << id;
    std::sort(generation.begin(), generation.end());
    QTreeWidgetItem *self = nullptr;
    for (const QString &member : std::as_const(generation)) {
        QTreeWidgetItem *item =
            addNode(above, member, member == id ? QStringLiteral("self") : QStringLiteral("sibling"));
        if (member == id)
            self = item;
    }
    for (const QString &child : lineage.children)
        addNode(self, child, QStringLiteral("child"));
    if (lineage.cycle)
        self->setToolTip(0,
                         tr("The parents of this module form a loop (a module is its own ancestor): check \"parent\" "
                            "in their module.json"));
    expandAll();
    setCurrentItem(self);
    fitHeight();
    scrollToTop();
    scrollToItem(self);
    show();
}

void LineageTree::fitHeight()
{
    // As tall as the family, up to kMaxRows rows: the page above keeps the rest.
    int rows = 0;
    for (QTreeWidgetItemIterator it(this); *it; ++it)
        ++rows;
    const int row = qMax(rowHeight(indexFromItem(topLevelItem(0))), fontMetrics().height() + 2);
    setFixedHeight(header()->sizeHint().height() + qMin(rows, kMaxRows) * row + 2 * frameWidth() + 2);
}

QTreeWidgetItem *LineageTree::itemFor(const QString &id) const
{
    for (QTreeWidgetItemIterator it(const_cast<LineageTree *>(this)); *it; ++it)
        if ((*it)->data(0, IdRole).toString() == id)
            return *it;
    return nullptr;
}

void LineageTree::onItemClicked(QTreeWidgetItem *item)
{
    const QString id = item ? item->data(0, IdRole).toString() : QString();
    if (!id.isEmpty() && id != m_id)
        Q_EMIT moduleLinkActivated(id);
}

}  // namespace dw
