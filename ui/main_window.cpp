#include "ui/main_window.h"

#include "core/jobs/job_manager.h"
#include "ui/about_dialog.h"
#include "ui/device_indicator.h"
#include "ui/documentation.h"
#include "ui/icons.h"
#include "ui/jobs/jobs_dock.h"
#include "ui/jobs/runs_window.h"
#include "ui/message_presenter.h"
#include "ui/precision_menu.h"
#include "ui/start/start_page.h"
#include "ui/start/start_tours.h"
#include "ui/workbench_context.h"
#include "ui/workspace.h"
#include "ui/workspace_factory.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QDesktopServices>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QFileInfo>
#include <QMenuBar>
#include <QMimeData>
#include <QScreen>
#include <QSettings>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTimer>
#include <QToolBar>

namespace dw {

namespace {

bool hasLocalFiles(const QMimeData *mime)
{
    if (!mime || !mime->hasUrls())
        return false;
    const QList<QUrl> urls = mime->urls();
    return std::any_of(urls.cbegin(), urls.cend(), [](const QUrl &url) { return url.isLocalFile(); });
}

}  // namespace

MainWindow::MainWindow(const WorkbenchOptions &options, QWidget *parent) : QMainWindow(parent)
{
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(tr("DEEP Workbench"));
    setWindowIcon(dw::icon(QStringLiteral("deep-workbench")));
    setAcceptDrops(true);
    setDockNestingEnabled(true);
    setMinimumSize(900, 560);

    m_context = new WorkbenchContext(options, this);
    m_context->messages().setParentWidget(this);

    m_stack = new QStackedWidget(this);
    setCentralWidget(m_stack);

    m_sideBar = new QToolBar(tr("Workspaces"), this);
    m_sideBar->setObjectName(QStringLiteral("workspaceBar"));
    m_sideBar->setMovable(false);
    m_sideBar->setFloatable(false);
    m_sideBar->setToolButtonStyle(Qt::ToolButtonTextUnderIcon);
    m_sideBar->setIconSize(QSize(28, 28));
    m_sideBar->toggleViewAction()->setEnabled(false);
    addToolBar(Qt::LeftToolBarArea, m_sideBar);
    m_workspaceActions = new QActionGroup(this);
    m_workspaceActions->setExclusive(true);

    m_jobsDock = new JobsDock(&m_context->jobs(), this);
    addDockWidget(Qt::BottomDockWidgetArea, m_jobsDock);

    m_device = new DeviceIndicator(m_context->precision(), this);
    statusBar()->addPermanentWidget(m_device);
    // Workspaces run their jobs on the device found here (the GPU when there is one).
    connect(m_device, &DeviceIndicator::detected, m_context, &WorkbenchContext::setDevice);
    connect(m_context, &WorkbenchContext::statusMessage, this,
            [this](const QString &text) { statusBar()->showMessage(text, 10000); });
    connect(m_context, &WorkbenchContext::workspaceRequested, this, &MainWindow::setCurrentWorkspace);

    for (Workspace *workspace : createWorkspaces(*m_context, this))
        addWorkspace(workspace);
    buildMenus();

    resizeToScreen();
    const bool restored = options.restoreSettings && restoreSettings();
    if (!m_workspaceActions->checkedAction() && !m_workspaces.isEmpty())
        setCurrentWorkspace(m_workspaces.first()->id());
    // First start: give the jobs dock a modest share of the height.
    if (!restored)
        resizeDocks({m_jobsDock}, {qMax(100, height() / 7)}, Qt::Vertical);
    m_tours = new StartTours(*this);
    // A person at the window (not a test) meets the start page until they untick it.
    if (options.interactive && StartPage::showAtStart())
        QTimer::singleShot(0, this, &MainWindow::showStartPage);
}

StartPage *MainWindow::showStartPage()
{
    if (auto *open = findChild<StartPage *>(); open) {
        open->raise();
        open->activateWindow();
        return open;
    }
    const bool demosFound = !StartTours::sample(QStringLiteral("fashion-mnist")).isEmpty();
    auto *page = new StartPage(demosFound, this);
    page->setAttribute(Qt::WA_DeleteOnClose);
    connect(page, &StartPage::tourRequested, m_tours, &StartTours::run);
    page->show();
    return page;
}

MainWindow::~MainWindow()
{
    // The workspaces and the dock hold on to the context's services: they go first.
    qDeleteAll(m_workspaces);
    m_workspaces.clear();
    delete m_jobsDock;
    m_jobsDock = nullptr;
}

MessagePresenter &MainWindow::messages() const
{
    return m_context->messages();
}

void MainWindow::addWorkspace(Workspace *workspace)
{
    m_workspaces.append(workspace);
    m_stack->addWidget(workspace);
    const int number = int(m_workspaces.size());
    auto *action = new QAction(workspace->icon(), workspace->title(), m_workspaceActions);
    action->setCheckable(true);
    action->setToolTip(workspace->description());
    action->setData(workspace->id());
    if (number <= 9)
        action->setShortcut(QKeySequence(Qt::CTRL | Qt::Key(Qt::Key_0 + number)));
    connect(action, &QAction::triggered, this, [this, id = workspace->id()] { setCurrentWorkspace(id); });
    m_sideBar->addAction(action);
    for (QToolBar *toolBar : workspace->toolBars()) {
        addToolBar(Qt::TopToolBarArea, toolBar);
        toolBar->hide();
    }
    for (QDockWidget *dock : workspace->docks()) {
        addDockWidget(workspace->dockArea(dock), dock);
        dock->hide();
    }
}

Workspace *MainWindow::workspace(const QString &id) const
{
    for (Workspace *workspace : m_workspaces)
        if (workspace->id() == id)
            return workspace;
    return nullptr;
}

Workspace *MainWindow::currentWorkspace() const
{
    return qobject_cast<Workspace *>(m_stack->currentWidget());
}

bool MainWindow::setCurrentWorkspace(const QString &id)
{
    Workspace *next = workspace(id);
    if (!next)
        return false;
    Workspace *previous = currentWorkspace();
    const bool changed = previous != next || !m_workspaceActions->checkedAction();
    if (previous && previous != next)
        previous->deactivate();
    for (Workspace *workspace : std::as_const(m_workspaces)) {
        const bool active = workspace == next;
        for (QToolBar *toolBar : workspace->toolBars())
            toolBar->setVisible(active);
        for (QDockWidget *dock : workspace->docks())
            dock->setVisible(active);
    }
    m_stack->setCurrentWidget(next);
    for (QAction *action : m_workspaceActions->actions())
        action->setChecked(action->data().toString() == id);
    setWindowTitle(tr("%1 — DEEP Workbench").arg(next->title()));
    if (changed)
        next->activate();
    return true;
}

void MainWindow::buildMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    for (Workspace *workspace : std::as_const(m_workspaces)) {
        const QList<QAction *> actions = workspace->fileActions();
        for (QAction *action : actions) {
            if (action)
                file->addAction(action);
            else
                file->addSeparator();
        }
        if (!actions.isEmpty())
            file->addSeparator();
    }
    QAction *quit = file->addAction(dw::icon(QStringLiteral("quit")), tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);
    quit->setMenuRole(QAction::QuitRole);

    QMenu *view = menuBar()->addMenu(tr("&View"));
    view->addActions(m_workspaceActions->actions());
    view->addSeparator();
    QAction *jobs = m_jobsDock->toggleViewAction();
    jobs->setIcon(dw::icon(QStringLiteral("jobs")));
    jobs->setText(tr("&Jobs Panel"));
    jobs->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_J));
    view->addAction(jobs);
    QAction *runs = view->addAction(dw::icon(QStringLiteral("jobs")), tr("&Run History…"));
    runs->setObjectName(QStringLiteral("runHistoryAction"));
    runs->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_J));
    runs->setToolTip(tr("Every job run so far: what ran, when, how long, on which device and with which result"));
    connect(runs, &QAction::triggered, this, [this] { RunsWindow::showFor(*m_context, this); });
    QAction *fullScreen = view->addAction(tr("&Full Screen"));
    fullScreen->setCheckable(true);
    fullScreen->setShortcut(QKeySequence::FullScreen);
    connect(fullScreen, &QAction::toggled, this, [this](bool on) {
        setWindowState(on ? windowState() | Qt::WindowFullScreen : windowState() & ~Qt::WindowFullScreen);
    });

    // Settings ▸ Precision on the CPU; a click on the status bar's device opens the same menu.
    QMenu *settings = menuBar()->addMenu(tr("&Settings"));
    settings->setObjectName(QStringLiteral("settingsMenu"));
    settings->setToolTipsVisible(true);
    auto *precision = new PrecisionMenu(m_context->precision(), this);
    settings->addMenu(precision);
    m_device->setMenu(precision);

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    QAction *documentation = help->addAction(tr("&Documentation"));
    documentation->setObjectName(QStringLiteral("documentationAction"));
    documentation->setShortcut(QKeySequence::HelpContents);
    documentation->setData(documentationUrl());
    documentation->setToolTip(tr("The user's guide: README and docs/ (what each workspace does, the command "
                                 "line, the REST API)"));
    connect(documentation, &QAction::triggered, this, [this, documentation] {
        const QUrl url = documentation->data().toUrl();
        if (url.isEmpty() || !QDesktopServices::openUrl(url))
            m_context->messages().warning(
                tr("No documentation"),
                tr("The documentation (README.md and docs/) is not installed with this copy of the workbench. "
                   "It comes with the source code and the .deb package (share/doc/deep-workbench)."));
    });
    QAction *start = help->addAction(tr("&Start Page…"), this, &MainWindow::showStartPage);
    start->setObjectName(QStringLiteral("startPageAction"));
    start->setToolTip(tr("One-click tours of the demo modules, and training your own"));
    QAction *about =
        help->addAction(dw::icon(QStringLiteral("about")), tr("&About DEEP Workbench"), this, &MainWindow::showAbout);
    about->setMenuRole(QAction::AboutRole);
    help->addAction(tr("About &Qt"), qApp, &QApplication::aboutQt)->setMenuRole(QAction::AboutQtRole);
}

void MainWindow::showAbout()
{
    auto *dialog = new AboutDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
}

bool MainWindow::openDroppedUrls(const QList<QUrl> &urls)
{
    QList<QUrl> local;
    QStringList names;
    for (const QUrl &url : urls) {
        if (url.isLocalFile()) {
            local << url;
            names << QFileInfo(url.toLocalFile()).fileName();
        }
    }
    if (local.isEmpty()) {
        messages().error(tr("Nothing to open"), tr("Only files on this computer can be dropped on the workbench. "
                                                   "Download the file first, then drop it here."));
        return false;
    }
    Workspace *active = currentWorkspace();
    if (active && active->handleDrop(local))
        return true;
    for (Workspace *workspace : std::as_const(m_workspaces)) {
        if (workspace != active && workspace->handleDrop(local)) {
            setCurrentWorkspace(workspace->id());
            return true;
        }
    }
    QStringList hints;
    for (Workspace *workspace : std::as_const(m_workspaces))
        if (!workspace->dropHint().isEmpty())
            hints << workspace->dropHint();
    const QString what = names.size() == 1 ? names.first() : tr("%n file(s)", nullptr, int(names.size()));
    messages().error(tr("Cannot open %1").arg(what),
                     tr("%1 cannot be opened by the workbench. You can drop %2.")
                         .arg(names.join(QStringLiteral(", ")), hints.join(tr(", or "))));
    return false;
}

void MainWindow::dragEnterEvent(QDragEnterEvent *event)
{
    if (hasLocalFiles(event->mimeData()))
        event->acceptProposedAction();
}

void MainWindow::dragMoveEvent(QDragMoveEvent *event)
{
    if (hasLocalFiles(event->mimeData()))
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent *event)
{
    if (!hasLocalFiles(event->mimeData()))
        return;
    event->acceptProposedAction();
    // Handle the files after the drag-and-drop machinery has returned, so that a message
    // box never opens inside it.
    const QList<QUrl> urls = event->mimeData()->urls();
    QMetaObject::invokeMethod(
        this, [this, urls] { openDroppedUrls(urls); }, Qt::QueuedConnection);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    const int active = m_context->jobs().activeCount();
    if (active > 0 && !m_closeConfirmed) {
        event->ignore();
        messages().confirm(tr("Quit DEEP Workbench"),
                           tr("%n job(s) still running will be cancelled. Training can be resumed later from its last "
                              "checkpoint. Quit anyway?",
                              nullptr, active),
                           tr("Quit"), [this] {
                               m_closeConfirmed = true;
                               close();
                           });
        return;
    }
    saveSettings();
    m_context->jobs().cancelAll();
    event->accept();
}

void MainWindow::resizeToScreen()
{
    const QScreen *screen = this->screen() ? this->screen() : QGuiApplication::primaryScreen();
    const QRect available = screen ? screen->availableGeometry() : QRect(0, 0, 1366, 768);
    // Small screens get nearly all of it; large ones a comfortable window, centred.
    const QSize size = available.width() <= 1600
                           ? available.size() * 0.95
                           : QSize(qMin(1600, available.width() * 3 / 4), qMin(1000, available.height() * 4 / 5));
    resize(size.expandedTo(minimumSize()));
    move(available.center() - rect().center());
}

bool MainWindow::restoreSettings()
{
    QSettings settings;
    settings.beginGroup(QStringLiteral("mainWindow"));
    const QByteArray geometry = settings.value(QStringLiteral("geometry")).toByteArray();
    if (!geometry.isEmpty())
        restoreGeometry(geometry);
    const QByteArray state = settings.value(QStringLiteral("state")).toByteArray();
    if (!state.isEmpty())
        restoreState(state);
    const QString current = settings.value(QStringLiteral("workspace")).toString();
    settings.endGroup();
    for (Workspace *workspace : std::as_const(m_workspaces)) {
        settings.beginGroup(QStringLiteral("workspaces/") + workspace->id());
        workspace->restoreState(settings);
        settings.endGroup();
    }
    // Also re-applies which toolbars and docks are visible after restoreState().
    if (!setCurrentWorkspace(current) && !m_workspaces.isEmpty())
        setCurrentWorkspace(m_workspaces.first()->id());
    return !state.isEmpty();
}

void MainWindow::saveSettings() const
{
    if (!m_context->options().restoreSettings)
        return;
    QSettings settings;
    settings.beginGroup(QStringLiteral("mainWindow"));
    settings.setValue(QStringLiteral("geometry"), saveGeometry());
    settings.setValue(QStringLiteral("state"), saveState());
    if (const Workspace *current = currentWorkspace())
        settings.setValue(QStringLiteral("workspace"), current->id());
    settings.endGroup();
    for (const Workspace *workspace : m_workspaces) {
        settings.beginGroup(QStringLiteral("workspaces/") + workspace->id());
        workspace->saveState(settings);
        settings.endGroup();
    }
}

}  // namespace dw
