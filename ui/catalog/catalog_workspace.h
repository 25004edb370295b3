#pragma once
// The Catalog workspace: search box, task and keyword chips, a list or grid of modules,
// and the page of the selected module. It brings the catalog toolbar and the catalog's
// File menu actions, and imports module archives dropped on the window.
#include "ui/workspace.h"

class QAbstractButton;
class QCheckBox;
class QLabel;
class QLineEdit;
class QListView;
class QSplitter;
class QStackedWidget;
class QToolBar;
class QToolButton;

namespace dw {

class CatalogActions;
class CatalogFilterProxy;
class CompareAction;
class LineageTree;
class FilterChipBar;
class ModuleHistoryView;
class ModulePage;

class CatalogWorkspace : public Workspace {
    Q_OBJECT
public:
    enum class ViewMode { List, Grid };

    explicit CatalogWorkspace(WorkbenchContext &context, QWidget *parent = nullptr);

    QString id() const override { return QStringLiteral("catalog"); }
    QString title() const override { return tr("Catalog"); }
    QIcon icon() const override;
    QString description() const override { return tr("Find, inspect, import and share modules"); }
    QList<QToolBar *> toolBars() const override;
    QList<QAction *> fileActions() const override;
    bool handleDrop(const QList<QUrl> &urls) override;
    QString dropHint() const override;
    void activate() override;
    void saveState(QSettings &settings) const override;
    void restoreState(QSettings &settings) override;

    void setViewMode(ViewMode mode);
    ViewMode viewMode() const;
    // Selects the module and shows its page; clears filters that hide it. False if absent.
    bool selectModule(const QString &id);
    void clearFilters();

    // The parts, for tests and for the main window's focus handling.
    QLineEdit *searchBox() const { return m_search; }
    QListView *view() const { return m_view; }
    ModulePage *page() const { return m_page; }
    ModuleHistoryView *history() const { return m_history; }  // the training curves under the page
    LineageTree *lineage() const { return m_lineage; }        // the module's family, under the page
    CompareAction *compare() const { return m_compare; }      // compares the selected modules
    FilterChipBar *taskChips() const { return m_taskChips; }
    FilterChipBar *keywordChips() const { return m_keywordChips; }
    CatalogFilterProxy *proxy() const { return m_proxy; }
    CatalogActions *actions() const { return m_actions; }

private:
    QWidget *buildFilterBar();
    void onScanFinished();
    void onCurrentChanged();
    void openLinkedModule(const QString &id);  // a module: link of the page or a node of the family tree
    void updateChoices();
    void updateCountAndEmptyState();
    void showContextMenu(const QPoint &position);
    void fitGridColumns();

    CatalogActions *m_actions = nullptr;
    CatalogFilterProxy *m_proxy = nullptr;
    QToolBar *m_toolBar = nullptr;
    QLineEdit *m_search = nullptr;
    QCheckBox *m_validOnly = nullptr;
    QLabel *m_count = nullptr;
    QToolButton *m_listButton = nullptr;
    QToolButton *m_gridButton = nullptr;
    FilterChipBar *m_taskChips = nullptr;
    FilterChipBar *m_keywordChips = nullptr;
    QStackedWidget *m_listStack = nullptr;
    QListView *m_view = nullptr;
    QLabel *m_emptyLabel = nullptr;
    QSplitter *m_splitter = nullptr;
    ModulePage *m_page = nullptr;
    ModuleHistoryView *m_history = nullptr;
    LineageTree *m_lineage = nullptr;
    CompareAction *m_compare = nullptr;
    QString m_pendingSelection;
};

}  // namespace dw
