#include "ui/jobs/runs_window.h"

#include "core/jobs/job_manager.h"
#include "ui/jobs/runs_view.h"
#include "ui/workbench_context.h"

#include <QDialogButtonBox>
#include <QTimer>
#include <QVBoxLayout>

namespace dw {

RunsWindow::RunsWindow(WorkbenchContext &context, QWidget *parent) : QDialog(parent)
{
    setObjectName(QStringLiteral("runsWindow"));
    setWindowTitle(tr("Run History"));
    m_view = new RunsView(this);
    connect(m_view, &RunsView::moduleRequested, &context, &WorkbenchContext::showModule);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::close);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 8, 8);
    layout->addWidget(m_view, 1);
    layout->addWidget(buttons);
    resize(1000, 520);

    // A finished job writes its record: read the folder again, once for a burst of jobs.
    auto *again = new QTimer(this);
    again->setSingleShot(true);
    again->setInterval(500);
    connect(again, &QTimer::timeout, m_view, &RunsView::reload);
    connect(&context.jobs(), &JobManager::jobFinished, this, [this, again] {
        if (isVisible())
            again->start();
    });
    m_view->setDirectory(context.jobs().runsDirectory());
}

RunsWindow *RunsWindow::showFor(WorkbenchContext &context, QWidget *parent)
{
    auto *window = parent->findChild<RunsWindow *>(QString(), Qt::FindDirectChildrenOnly);
    if (!window)
        window = new RunsWindow(context, parent);
    else
        window->m_view->reload();
    window->show();
    window->raise();
    window->activateWindow();
    return window;
}

}  // namespace dw
