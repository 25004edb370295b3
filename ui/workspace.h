#pragma once
// A workspace is one activity of the workbench (Catalog, Classify, Raster, Time series):
// a central widget plus the docks, toolbars and menu actions it brings. The main window
// only assembles workspaces; it shows the docks and toolbars of the active one.
//
// To add a workspace: subclass Workspace (in its own folder of ui/), then add one line to
// createWorkspaces() in workspace_factory.cpp.
#include <QIcon>
#include <QList>
#include <QString>
#include <QUrl>
#include <QWidget>

class QAction;
class QDockWidget;
class QSettings;
class QToolBar;

namespace dw {

class WorkbenchContext;

class Workspace : public QWidget {
    Q_OBJECT
public:
    explicit Workspace(WorkbenchContext &context, QWidget *parent = nullptr);

    virtual QString id() const = 0;     // stable, for settings and requests: "catalog"
    virtual QString title() const = 0;  // for the side bar: "Catalog"
    virtual QIcon icon() const = 0;
    virtual QString description() const { return title(); }  // the side bar's tool tip

    // Owned by the workspace; shown only while it is active. Give each an objectName so
    // that the window state can be saved.
    virtual QList<QDockWidget *> docks() const { return {}; }
    virtual Qt::DockWidgetArea dockArea(QDockWidget *dock) const
    {
        Q_UNUSED(dock)
        return Qt::RightDockWidgetArea;
    }
    virtual QList<QToolBar *> toolBars() const { return {}; }
    // Actions for the File menu; they stay available whichever workspace is active.
    virtual QList<QAction *> fileActions() const { return {}; }

    // Files dropped anywhere on the window. The active workspace is asked first, then the
    // others. Returns true when the workspace took them (it reports its own errors).
    virtual bool handleDrop(const QList<QUrl> &urls)
    {
        Q_UNUSED(urls)
        return false;
    }
    // What this workspace accepts by drop, for the message shown when nothing took a drop:
    // "module archives (.dwm) to import them".
    virtual QString dropHint() const { return {}; }

    virtual void activate() {}
    virtual void deactivate() {}
    // Inside the group "workspaces/<id>".
    virtual void saveState(QSettings &settings) const { Q_UNUSED(settings) }
    virtual void restoreState(QSettings &settings) { Q_UNUSED(settings) }

protected:
    WorkbenchContext &context() const { return m_context; }

private:
    WorkbenchContext &m_context;
};

}  // namespace dw
