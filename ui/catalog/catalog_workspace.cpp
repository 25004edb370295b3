#include "ui/catalog/catalog_workspace.h"

#include "core/catalog/catalog_filter_proxy.h"
#include "core/catalog/catalog_model.h"
#include "core/io/torch_file_kind.h"
#include "core/util/count_text.h"
#include "ui/catalog/catalog_actions.h"
#include "ui/catalog/catalog_service.h"
#include "ui/catalog/compare_action.h"
#include "ui/catalog/filter_chip_bar.h"
#include "ui/catalog/lineage_tree.h"
#include "ui/catalog/module_delegate.h"
#include "ui/catalog/module_page.h"
#include "ui/catalog/task_style.h"
#include "ui/icons.h"
#include "ui/message_presenter.h"
#include "ui/training/module_history_view.h"
#include "ui/workbench_context.h"

#include <QAction>
#include <QButtonGroup>
#include <QCheckBox>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QMenu>
#include <QScrollBar>
#include <QSettings>
#include <QSplitter>
#include <QStackedWidget>
#include <QToolBar>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>

namespace dw {

CatalogWorkspace::CatalogWorkspace(WorkbenchContext &context, QWidget *parent) : Workspace(context, parent)
{
    setObjectName(QStringLiteral("catalogWorkspace"));
    CatalogService &catalog = context.catalog();
    m_actions = new CatalogActions(context, this);

    m_toolBar = new QToolBar(tr("Catalog"), this);
    m_toolBar->setObjectName(QStringLiteral("catalogToolBar"));
    m_toolBar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_toolBar->addAction(m_actions->importAction());
    m_toolBar->addAction(m_actions->exportAction());
    m_toolBar->addAction(m_actions->exportOnnxAction());
    m_toolBar->addAction(m_actions->deleteAction());
    m_toolBar->addSeparator();
    m_toolBar->addAction(m_actions->refreshAction());
    m_toolBar->addAction(m_actions->revealAction());

    m_proxy = new CatalogFilterProxy(this);
    m_proxy->setSourceModel(catalog.model());
    m_proxy->sort(0);

    m_view = new QListView(this);
    m_view->setObjectName(QStringLiteral("catalogView"));
    m_view->setModel(m_proxy);
    m_view->setItemDelegate(new ModuleDelegate(m_view));
    // Several modules can be selected to compare them; the page follows the current one.
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setUniformItemSizes(true);
    m_view->setMouseTracking(true);
    m_view->setResizeMode(QListView::Adjust);
    m_view->setMovement(QListView::Static);
    m_view->setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    m_view->setContextMenuPolicy(Qt::CustomContextMenu);
    m_view->setAccessibleName(tr("Modules"));
    m_view->addAction(m_actions->deleteAction());
    connect(m_view, &QListView::customContextMenuRequested, this, &CatalogWorkspace::showContextMenu);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentChanged, this, &CatalogWorkspace::onCurrentChanged);
    m_compare = new CompareAction(m_view, catalog.model(), this);
    m_toolBar->addSeparator();
    m_toolBar->addAction(m_compare->action());

    m_emptyLabel = new QLabel(this);
    m_emptyLabel->setAlignment(Qt::AlignCenter);
    m_emptyLabel->setWordWrap(true);
    m_emptyLabel->setTextFormat(Qt::RichText);
    m_emptyLabel->setStyleSheet(QStringLiteral("color: palette(placeholder-text); padding: 24px;"));
    connect(m_emptyLabel, &QLabel::linkActivated, this, [this] { clearFilters(); });
    m_listStack = new QStackedWidget(this);
    m_listStack->addWidget(m_view);
    m_listStack->addWidget(m_emptyLabel);

    m_page = new ModulePage(this);
    m_page->setObjectName(QStringLiteral("modulePage"));
    connect(m_page, &ModulePage::moduleLinkActivated, this, &CatalogWorkspace::openLinkedModule);

    m_splitter = new QSplitter(Qt::Horizontal, this);
    m_splitter->addWidget(m_listStack);
    // The page, and under it the curves of the module's history.json when it has one.
    auto *pageSplitter = new QSplitter(Qt::Vertical, this);
    pageSplitter->addWidget(m_page);
    // The module's family (parent, siblings, children): its nodes are links like the page's.
    m_lineage = new LineageTree(pageSplitter);
    connect(m_lineage, &LineageTree::moduleLinkActivated, this, &CatalogWorkspace::openLinkedModule);
    pageSplitter->addWidget(m_lineage);
    m_history = new ModuleHistoryView(true, pageSplitter);
    pageSplitter->addWidget(m_history);
    pageSplitter->setStretchFactor(0, 3);
    pageSplitter->setStretchFactor(1, 1);
    pageSplitter->setStretchFactor(2, 2);
    pageSplitter->setChildrenCollapsible(false);
    m_splitter->addWidget(pageSplitter);
    m_splitter->setStretchFactor(0, 2);
    m_splitter->setStretchFactor(1, 3);
    m_splitter->setChildrenCollapsible(false);
    m_splitter->setSizes({420, 640});
    m_listStack->setMinimumWidth(280);
    m_page->setMinimumWidth(320);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 8, 8, 0);
    layout->setSpacing(6);
    layout->addWidget(buildFilterBar());
    layout->addWidget(m_splitter, 1);

    connect(m_proxy, &QAbstractItemModel::rowsInserted, this, &CatalogWorkspace::updateCountAndEmptyState);
    connect(m_proxy, &QAbstractItemModel::rowsRemoved, this, &CatalogWorkspace::updateCountAndEmptyState);
    connect(m_proxy, &QAbstractItemModel::modelReset, this, &CatalogWorkspace::updateCountAndEmptyState);
    connect(m_proxy, &QAbstractItemModel::layoutChanged, this, &CatalogWorkspace::updateCountAndEmptyState);
    connect(&catalog, &CatalogService::scanStarted, this, &CatalogWorkspace::updateCountAndEmptyState);
    connect(&catalog, &CatalogService::scanFinished, this, &CatalogWorkspace::onScanFinished);
    connect(&context, &WorkbenchContext::moduleRequested, this, [this](const QString &id) {
        if (!selectModule(id))
            m_pendingSelection = id;  // not scanned yet: select it when the scan is in
    });

    auto *find = new QAction(tr("Find Module"), this);
    find->setShortcut(QKeySequence::Find);
    find->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(find, &QAction::triggered, this, [this] {
        m_search->setFocus(Qt::ShortcutFocusReason);
        m_search->selectAll();
    });
    addAction(find);

    setViewMode(ViewMode::List);
    updateCountAndEmptyState();
}

QWidget *CatalogWorkspace::buildFilterBar()
{
    auto *bar = new QWidget(this);
    auto *layout = new QVBoxLayout(bar);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(6);

    auto *top = new QHBoxLayout;
    top->setSpacing(8);
    m_search = new QLineEdit(bar);
    m_search->setObjectName(QStringLiteral("catalogSearch"));
    m_search->setPlaceholderText(tr("Search modules…"));
    m_search->setClearButtonEnabled(true);
    m_search->addAction(dw::icon(QStringLiteral("search")), QLineEdit::LeadingPosition);
    m_search->setToolTip(tr("Matches titles, summaries, descriptions and keywords"));
    connect(m_search, &QLineEdit::textChanged, m_proxy, &CatalogFilterProxy::setText);
    top->addWidget(m_search, 1);

    m_validOnly = new QCheckBox(tr("Usable only"), bar);
    m_validOnly->setObjectName(QStringLiteral("usableOnly"));
    m_validOnly->setToolTip(tr("Show only modules that can be used now: hide templates (not trained yet) and "
                               "modules whose manifest has problems"));
    connect(m_validOnly, &QCheckBox::toggled, m_proxy, &CatalogFilterProxy::setUsableOnly);
    top->addWidget(m_validOnly);

    m_count = new QLabel(bar);
    m_count->setObjectName(QStringLiteral("catalogCount"));
    m_count->setMinimumWidth(m_count->fontMetrics().horizontalAdvance(QStringLiteral("9999 of 9999 modules")));
    m_count->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    top->addWidget(m_count);

    auto makeToggle = [bar](const QString &iconName, const QString &tip) {
        auto *button = new QToolButton(bar);
        button->setIcon(dw::icon(iconName));
        button->setCheckable(true);
        button->setAutoRaise(true);
        button->setToolTip(tip);
        return button;
    };
    m_listButton = makeToggle(QStringLiteral("list"), tr("Show the modules as a list"));
    m_gridButton = makeToggle(QStringLiteral("grid"), tr("Show the modules as a grid of cards"));
    m_listButton->setObjectName(QStringLiteral("listViewButton"));
    m_gridButton->setObjectName(QStringLiteral("gridViewButton"));
    auto *group = new QButtonGroup(bar);
    group->addButton(m_listButton);
    group->addButton(m_gridButton);
    connect(m_listButton, &QToolButton::clicked, this, [this] { setViewMode(ViewMode::List); });
    connect(m_gridButton, &QToolButton::clicked, this, [this] { setViewMode(ViewMode::Grid); });
    top->addWidget(m_listButton);
    top->addWidget(m_gridButton);
    layout->addLayout(top);

    m_taskChips = new FilterChipBar(tr("Task:"), FilterChipBar::Selection::Single, bar);
    m_taskChips->setObjectName(QStringLiteral("taskChips"));
    connect(m_taskChips, &FilterChipBar::selectionChanged, this,
            [this](const QStringList &tasks) { m_proxy->setTask(tasks.value(0)); });
    layout->addWidget(m_taskChips);

    m_keywordChips = new FilterChipBar(tr("Keywords:"), FilterChipBar::Selection::Multiple, bar);
    m_keywordChips->setObjectName(QStringLiteral("keywordChips"));
    m_keywordChips->setVisibleLimit(14);
    connect(m_keywordChips, &FilterChipBar::selectionChanged, m_proxy, &CatalogFilterProxy::setKeywords);
    layout->addWidget(m_keywordChips);
    return bar;
}

QIcon CatalogWorkspace::icon() const
{
    return dw::icon(QStringLiteral("catalog"));
}

QList<QToolBar *> CatalogWorkspace::toolBars() const
{
    return {m_toolBar};
}

QList<QAction *> CatalogWorkspace::fileActions() const
{
    return {m_actions->importAction(),        m_actions->importModelAction(),
            m_actions->importWeightsAction(), m_actions->weightsAction(),
            m_actions->exportAction(),        m_actions->exportOnnxAction(),
            m_actions->deleteAction(),        nullptr,
            m_actions->refreshAction(),       m_actions->revealAction()};
}

bool CatalogWorkspace::handleDrop(const QList<QUrl> &urls)
{
    QStringList archives, torchFiles, others;
    for (const QUrl &url : urls) {
        const QString file = url.toLocalFile();
        (CatalogService::looksLikeArchive(file) ? archives : looksLikeTorchFile(file) ? torchFiles : others) << file;
    }
    if (archives.isEmpty() && torchFiles.isEmpty())
        return false;
    m_actions->importArchives(archives);
    m_actions->importTorchFiles(torchFiles);
    if (!others.isEmpty()) {
        QStringList names;
        for (const QString &file : std::as_const(others))
            names << QFileInfo(file).fileName();
        context().messages().warning(tr("Some files were not imported"),
                                     tr("Only module archives (.dwm), TorchScript models and pretrained weights (.pt, "
                                        ".pth) can be imported into the catalog; these were left out: %1.")
                                         .arg(names.join(QStringLiteral(", "))));
    }
    return true;
}

QString CatalogWorkspace::dropHint() const
{
    return tr(
        "a module archive (.dwm) or a TorchScript model (.pt) to import it into the catalog, or pretrained weights "
        "(.pth) for the weights cache");
}

void CatalogWorkspace::activate()
{
    if (!context().catalog().hasScanned() && !context().catalog().isScanning())
        context().catalog().rescan();
}

void CatalogWorkspace::setViewMode(ViewMode mode)
{
    const bool grid = mode == ViewMode::Grid;
    m_view->setViewMode(grid ? QListView::IconMode : QListView::ListMode);
    m_view->setFlow(grid ? QListView::LeftToRight : QListView::TopToBottom);
    m_view->setWrapping(grid);
    m_view->setResizeMode(QListView::Adjust);
    m_view->setMovement(QListView::Static);
    m_view->setSpacing(grid ? 8 : 0);
    m_view->setDragEnabled(false);
    (grid ? m_gridButton : m_listButton)->setChecked(true);
    // Item sizes depend on the mode: ask the delegate again.
    m_view->doItemsLayout();
    if (grid)
        fitGridColumns();
}

void CatalogWorkspace::fitGridColumns()
{
    // A grid of one column is a list: widen the list pane to two cards when the page keeps
    // enough room.
    const QList<int> sizes = m_splitter->sizes();
    if (sizes.size() != 2 || sizes.at(0) + sizes.at(1) <= 0 || m_proxy->rowCount() == 0)
        return;
    const int card = m_view->sizeHintForIndex(m_proxy->index(0, 0)).width() + 2 * m_view->spacing();
    const int wanted = 2 * card + m_view->verticalScrollBar()->sizeHint().width() + 2 * m_view->frameWidth() + 4;
    const int total = sizes.at(0) + sizes.at(1);
    if (sizes.at(0) < wanted && total - wanted >= m_page->minimumWidth())
        m_splitter->setSizes({wanted, total - wanted});
}

CatalogWorkspace::ViewMode CatalogWorkspace::viewMode() const
{
    return m_view->viewMode() == QListView::IconMode ? ViewMode::Grid : ViewMode::List;
}

void CatalogWorkspace::clearFilters()
{
    m_search->clear();
    m_validOnly->setChecked(false);
    m_taskChips->clearSelection();
    m_keywordChips->clearSelection();
}

bool CatalogWorkspace::selectModule(const QString &id)
{
    auto *model = context().catalog().model();
    const int sourceRow = model->rowOf(id);
    if (sourceRow < 0)
        return false;
    QModelIndex index = m_proxy->mapFromSource(model->index(sourceRow));
    if (!index.isValid()) {
        clearFilters();
        index = m_proxy->mapFromSource(model->index(sourceRow));
    }
    m_view->setCurrentIndex(index);
    m_view->scrollTo(index);
    return index.isValid();
}

void CatalogWorkspace::openLinkedModule(const QString &id)
{
    if (!selectModule(id))
        context().messages().information(
            tr("Module not found"),
            tr("The module '%1' is not in your catalog. Import its archive to see it.").arg(id));
}

void CatalogWorkspace::onScanFinished()
{
    updateChoices();
    QString id = m_pendingSelection.isEmpty() ? context().currentModule() : m_pendingSelection;
    m_pendingSelection.clear();
    if (id.isEmpty() || !selectModule(id)) {
        // Start on the first module so the page is never blank after a scan.
        if (m_proxy->rowCount() > 0)
            m_view->setCurrentIndex(m_proxy->index(0, 0));
    }
    onCurrentChanged();
    updateCountAndEmptyState();
}

void CatalogWorkspace::updateChoices()
{
    const CatalogService &catalog = context().catalog();
    m_taskChips->setChoices(catalog.tasks(), taskDisplayName);
    // The most common keywords first, so that a long tail stays behind "+N more".
    QHash<QString, int> counts;
    for (const CatalogEntry &entry : catalog.model()->entries())
        for (const QString &keyword : entry.manifest.keywords)
            ++counts[keyword.toCaseFolded()];
    QStringList keywords = catalog.keywords();
    std::stable_sort(keywords.begin(), keywords.end(), [&counts](const QString &a, const QString &b) {
        return counts.value(a.toCaseFolded()) > counts.value(b.toCaseFolded());
    });
    m_keywordChips->setChoices(keywords);
}

void CatalogWorkspace::onCurrentChanged()
{
    const QModelIndex index = m_view->currentIndex();
    if (!index.isValid()) {
        m_page->showEntry(nullptr, false);
        m_history->showModule(nullptr);
        m_lineage->showModule({}, {});
        context().setCurrentModule({});
        return;
    }
    const QString id = index.data(CatalogModel::IdRole).toString();
    const CatalogEntry *entry = context().catalog().model()->entryAt(m_proxy->mapToSource(index).row());
    m_page->showEntry(entry, index.data(CatalogModel::PluginAvailableRole).toBool());
    m_history->showModule(entry);
    m_lineage->showModule(context().catalog().model()->entries(), id);
    context().setCurrentModule(id);
}

void CatalogWorkspace::updateCountAndEmptyState()
{
    const CatalogService &catalog = context().catalog();
    const int shown = m_proxy->rowCount();
    const int total = catalog.model()->rowCount();
    m_count->setText(shown == total ? moduleCountText(total) : moduleCountText(shown, total));
    if (shown > 0) {
        m_listStack->setCurrentWidget(m_view);
        return;
    }
    if (!catalog.hasScanned())
        m_emptyLabel->setText(tr("Reading the catalog…"));
    else if (total == 0)
        m_emptyLabel->setText(tr("The catalog is empty. Import a module archive (File › Import) or drop one here."));
    else
        m_emptyLabel->setText(tr("No module matches these filters.<br><a href=\"clear\">Clear the filters</a>"));
    m_listStack->setCurrentWidget(m_emptyLabel);
}

void CatalogWorkspace::showContextMenu(const QPoint &position)
{
    const QModelIndex index = m_view->indexAt(position);
    if (index.isValid() && !m_view->selectionModel()->isSelected(index))
        m_view->setCurrentIndex(index);
    QMenu menu(this);
    menu.addAction(m_compare->action());
    menu.addSeparator();
    menu.addAction(m_actions->exportAction());
    menu.addAction(m_actions->exportOnnxAction());
    menu.addAction(m_actions->deleteAction());
    menu.addSeparator();
    menu.addAction(m_actions->importAction());
    menu.addAction(m_actions->refreshAction());
    menu.exec(m_view->viewport()->mapToGlobal(position));
}

void CatalogWorkspace::saveState(QSettings &settings) const
{
    settings.setValue(QStringLiteral("viewMode"),
                      viewMode() == ViewMode::Grid ? QStringLiteral("grid") : QStringLiteral("list"));
    settings.setValue(QStringLiteral("splitter"), m_splitter->saveState());
}

void CatalogWorkspace::restoreState(QSettings &settings)
{
    setViewMode(settings.value(QStringLiteral("viewMode")).toString() == QLatin1String("grid") ? ViewMode::Grid
                                                                                               : ViewMode::List);
    const QByteArray splitter = settings.value(QStringLiteral("splitter")).toByteArray();
    if (!splitter.isEmpty())
        m_splitter->restoreState(splitter);
}

}  // namespace dw
