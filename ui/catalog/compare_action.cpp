#include "ui/catalog/compare_action.h"

#include "core/catalog/catalog_entry.h"
#include "core/catalog/catalog_model.h"
#include "ui/catalog/compare_view.h"

#include <QAbstractItemView>
#include <QAbstractProxyModel>
#include <QAction>
#include <QDialog>
#include <QDialogButtonBox>
#include <QItemSelectionModel>
#include <QVBoxLayout>

#include <algorithm>

namespace dw {

CompareAction::CompareAction(QAbstractItemView *view, const CatalogModel *model, QObject *parent)
    : QObject(parent), m_view(view), m_model(model)
{
    m_action = new QAction(tr("&Compare"), this);
    m_action->setObjectName(QStringLiteral("compareAction"));
    m_action->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C));
    m_action->setToolTip(tr("Compare the training curves, metrics and settings of 2 to 4 selected modules "
                            "(Ctrl+click to select several)"));
    connect(m_action, &QAction::triggered, this, [this] { open(); });
    connect(view->selectionModel(), &QItemSelectionModel::selectionChanged, this, &CompareAction::updateEnabled);
    connect(view->model(), &QAbstractItemModel::modelReset, this, &CompareAction::updateEnabled);
    updateEnabled();
}

QList<CatalogEntry> CompareAction::selectedEntries() const
{
    QModelIndexList rows = m_view->selectionModel()->selectedIndexes();
    std::sort(rows.begin(), rows.end(), [](const QModelIndex &a, const QModelIndex &b) { return a.row() < b.row(); });
    const auto *proxy = qobject_cast<const QAbstractProxyModel *>(m_view->model());
    QList<CatalogEntry> entries;
    for (const QModelIndex &index : std::as_const(rows)) {
        if (index.column() != 0)
            continue;
        const QModelIndex source = proxy ? proxy->mapToSource(index) : index;
        if (const CatalogEntry *entry = m_model->entryAt(source.row()))
            entries << *entry;
    }
    return entries;
}

void CompareAction::updateEnabled()
{
    const qsizetype count = selectedEntries().size();
    m_action->setEnabled(count >= kMinModules && count <= kMaxModules);
}

CompareView *CompareAction::open()
{
    const QList<CatalogEntry> entries = selectedEntries();
    if (entries.size() < kMinModules || entries.size() > kMaxModules)
        return nullptr;
    QStringList names;
    for (const CatalogEntry &entry : entries)
        names << (entry.manifest.title.isEmpty() ? entry.id() : entry.manifest.title);

    auto *dialog = new QDialog(m_view->window());
    dialog->setObjectName(QStringLiteral("compareDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(tr("Compare: %1").arg(names.join(QStringLiteral(", "))));
    auto *view = new CompareView(dialog);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, dialog);
    connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::close);
    auto *layout = new QVBoxLayout(dialog);
    layout->setContentsMargins(0, 0, 8, 8);
    layout->addWidget(view, 1);
    layout->addWidget(buttons);
    dialog->resize(1100, 720);
    view->setModules(entries);
    dialog->show();
    m_last = dialog;
    return view;
}

CompareView *CompareAction::lastView() const
{
    return m_last ? m_last->findChild<CompareView *>() : nullptr;
}

}  // namespace dw
