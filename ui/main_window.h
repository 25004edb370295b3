#pragma once
// The main window only assembles: a side bar of workspaces over a stack of their widgets,
// each workspace's docks and toolbars, the Jobs dock, menus, the status bar with the
// device, window state in QSettings, and files dropped anywhere on the window.
#include "ui/workbench_options.h"

#include <QList>
#include <QMainWindow>
#include <QUrl>

class QActionGroup;
class QStackedWidget;
class QToolBar;

namespace dw {

class DeviceIndicator;
class JobsDock;
class MessagePresenter;
class StartPage;
class StartTours;
class WorkbenchContext;
class Workspace;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(const WorkbenchOptions &options = {}, QWidget *parent = nullptr);
    ~MainWindow() override;

    WorkbenchContext &context() const { return *m_context; }
    MessagePresenter &messages() const;
    JobsDock *jobsDock() const { return m_jobsDock; }
    DeviceIndicator *deviceIndicator() const { return m_device; }

    const QList<Workspace *> &workspaces() const { return m_workspaces; }
    Workspace *workspace(const QString &id) const;
    template <class T>
    T *workspace() const
    {
        for (Workspace *w : m_workspaces)
            if (auto *typed = qobject_cast<T *>(w))
                return typed;
        return nullptr;
    }
    Workspace *currentWorkspace() const;
    bool setCurrentWorkspace(const QString &id);

    // What a drop of these files does (public so that tests need no drag source).
    // Returns true when a workspace took them; else explains what can be dropped.
    bool openDroppedUrls(const QList<QUrl> &urls);

    void showAbout();
    // The start page (shown at a first launch, and from Help); its tours run in this window.
    StartPage *showStartPage();
    StartTours *tours() const { return m_tours; }

protected:
    void closeEvent(QCloseEvent *event) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dragMoveEvent(QDragMoveEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    void addWorkspace(Workspace *workspace);
    void buildMenus();
    bool restoreSettings();  // true when a saved window state was found
    void saveSettings() const;
    void resizeToScreen();

    WorkbenchContext *m_context = nullptr;
    QStackedWidget *m_stack = nullptr;
    QToolBar *m_sideBar = nullptr;
    QActionGroup *m_workspaceActions = nullptr;
    JobsDock *m_jobsDock = nullptr;
    DeviceIndicator *m_device = nullptr;
    QList<Workspace *> m_workspaces;
    StartTours *m_tours = nullptr;
    bool m_closeConfirmed = false;
};

}  // namespace dw
