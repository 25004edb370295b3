#include "ui/jobs/jobs_dock.h"

#include "core/jobs/job.h"
#include "ui/jobs/job_delegate.h"
#include "ui/jobs/job_list_model.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QListView>
#include <QPlainTextEdit>
#include <QSplitter>
#include <QToolButton>
#include <QVBoxLayout>

namespace dw {

JobsDock::JobsDock(JobManager *manager, QWidget *parent) : QDockWidget(tr("Jobs"), parent)
{
    setObjectName(QStringLiteral("jobsDock"));
    setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable | QDockWidget::DockWidgetClosable);
    m_model = new JobListModel(manager, this);

    m_view = new QListView(this);
    m_view->setObjectName(QStringLiteral("jobsView"));
    m_view->setModel(m_model);
    auto *delegate = new JobDelegate(m_view);
    m_view->setItemDelegate(delegate);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    m_view->setAccessibleName(tr("Jobs"));
    connect(delegate, &JobDelegate::cancelRequested, m_model, qOverload<const QModelIndex &>(&JobListModel::cancel));

    m_details = new QPlainTextEdit(this);
    m_details->setObjectName(QStringLiteral("jobDetails"));
    m_details->setReadOnly(true);
    m_details->setPlaceholderText(tr("Select a job to see its log and, if it failed, why."));
    m_details->setLineWrapMode(QPlainTextEdit::WidgetWidth);

    m_clear = new QToolButton(this);
    m_clear->setText(tr("Clear finished"));
    m_clear->setToolTip(tr("Remove finished, failed and cancelled jobs from this list"));
    m_clear->setAutoRaise(true);
    connect(m_clear, &QToolButton::clicked, m_model, &JobListModel::removeFinished);

    // The details column carries the header, so the list keeps the dock's full height.
    auto *detailsPane = new QWidget(this);
    auto *detailsLayout = new QVBoxLayout(detailsPane);
    detailsLayout->setContentsMargins(0, 0, 0, 0);
    detailsLayout->setSpacing(2);
    auto *header = new QHBoxLayout;
    header->addWidget(new QLabel(tr("Details"), detailsPane));
    header->addStretch(1);
    header->addWidget(m_clear);
    detailsLayout->addLayout(header);
    detailsLayout->addWidget(m_details, 1);

    // An empty list says what would be there.
    auto *listPane = new QWidget(this);
    auto *listLayout = new QVBoxLayout(listPane);
    listLayout->setContentsMargins(0, 0, 0, 0);
    m_empty =
        new QLabel(tr("No jobs. Trainings, predictions, imports and exports show their progress here."), listPane);
    m_empty->setObjectName(QStringLiteral("jobsEmptyHint"));
    m_empty->setWordWrap(true);
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setEnabled(false);
    listLayout->addWidget(m_empty, 1);
    listLayout->addWidget(m_view, 1);

    auto *splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(listPane);
    splitter->addWidget(detailsPane);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    splitter->setChildrenCollapsible(false);

    auto *contents = new QWidget(this);
    auto *layout = new QVBoxLayout(contents);
    layout->setContentsMargins(4, 0, 4, 4);
    layout->addWidget(splitter, 1);
    setWidget(contents);

    connect(m_view->selectionModel(), &QItemSelectionModel::currentChanged, this, &JobsDock::showDetails);
    connect(m_model, &QAbstractItemModel::dataChanged, this, [this](const QModelIndex &first, const QModelIndex &last) {
        const int row = m_view->currentIndex().row();
        if (row >= first.row() && row <= last.row())
            showDetails();
        updateTitle();
    });
    connect(m_view, &QListView::clicked, this, [this] { m_userPicked = true; });
    connect(m_model, &QAbstractItemModel::rowsInserted, this,
            [this](const QModelIndex &, int first) { followNewest(first); });
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, [this] {
        if (!m_view->currentIndex().isValid())
            m_userPicked = false;
        showDetails();
        updateTitle();
    });
    connect(m_model, &JobListModel::jobFailed, this, [this](const QString &id) {
        m_view->setCurrentIndex(m_model->index(m_model->rowOf(id)));
        show();
        raise();
    });
    updateTitle();
}

void JobsDock::showDetails()
{
    const JobInfo job = m_model->jobAt(m_view->currentIndex().row());
    if (job.id.isEmpty()) {
        m_details->clear();
        return;
    }
    QStringList lines;
    lines << job.title << tr("State: %1").arg(JobListModel::statusText(job));
    if (!job.error.isEmpty())
        lines << QString() << tr("Error: %1").arg(job.error);
    if (job.created.isValid())
        lines << tr("Submitted: %1").arg(job.created.toString(Qt::ISODate));
    if (job.finished.isValid())
        lines << tr("Finished: %1").arg(job.finished.toString(Qt::ISODate));
    if (!job.log.isEmpty())
        lines << QString() << tr("Log:") << job.log;
    const QString text = lines.join(QLatin1Char('\n'));
    if (text != m_details->toPlainText())
        m_details->setPlainText(text);
}

void JobsDock::followNewest(int row)
{
    const JobInfo job = m_model->jobAt(row);
    if (!m_userPicked && !JobListModel::isHousekeeping(job.kind))
        m_view->setCurrentIndex(m_model->index(row));
    updateTitle();
}

void JobsDock::updateTitle()
{
    const bool empty = m_model->rowCount() == 0;
    m_empty->setVisible(empty);
    m_view->setVisible(!empty);
    const int active = m_model->activeCount();
    setWindowTitle(active > 0 ? tr("Jobs — %n running or queued", nullptr, active) : tr("Jobs"));
}

}  // namespace dw
