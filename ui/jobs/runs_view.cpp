#include "ui/jobs/runs_view.h"

#include "core/jobs/run_record_list.h"
#include "ui/icons.h"
#include "ui/jobs/run_record_dialog.h"
#include "ui/jobs/run_record_model.h"

#include <QDir>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace dw {

RunsView::RunsView(QWidget *parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("runsView"));
    m_model = new RunRecordModel(this);
    m_proxy = new QSortFilterProxyModel(this);
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(RunRecordModel::SortRole);
    m_proxy->setSortCaseSensitivity(Qt::CaseInsensitive);

    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("runsStatus"));
    m_status->setWordWrap(true);
    m_refresh = new QToolButton(this);
    m_refresh->setIcon(dw::icon(QStringLiteral("refresh")));
    m_refresh->setText(tr("Refresh"));
    m_refresh->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_refresh->setToolTip(tr("Read the run records again"));
    connect(m_refresh, &QToolButton::clicked, this, &RunsView::reload);

    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("runsTable"));
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(RunRecordModel::Started, Qt::DescendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_table->setAccessibleName(tr("Past runs"));
    connect(m_table, &QTableView::doubleClicked, this, [this](const QModelIndex &index) { openRecord(index.row()); });
    connect(m_table, &QTableView::activated, this, [this](const QModelIndex &index) { openRecord(index.row()); });

    auto *top = new QHBoxLayout;
    top->addWidget(m_status, 1);
    top->addWidget(m_refresh);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_table, 1);
}

void RunsView::setDirectory(const QString &directory)
{
    m_directory = directory;
    reload();
}

void RunsView::reload()
{
    const int generation = ++m_generation;
    m_loading = true;
    if (m_directory.isEmpty()) {
        m_loading = false;
        m_model->setRecords({});
        m_skipped.clear();
        m_status->setText(tr("Run records are not kept in this session."));
        Q_EMIT loaded();
        return;
    }
    m_status->setText(tr("Reading the run records in %1…").arg(QDir::toNativeSeparators(m_directory)));
    m_refresh->setEnabled(false);
    auto *watcher = new QFutureWatcher<RunRecordList>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, generation] {
        watcher->deleteLater();
        if (generation != m_generation)
            return;
        RunRecordList list = watcher->result();
        m_loading = false;
        m_refresh->setEnabled(true);
        m_skipped = list.skipped;
        m_model->setRecords(std::move(list.records));
        m_table->resizeColumnsToContents();
        for (int column = 0; column < m_model->columnCount() - 1; ++column)
            m_table->setColumnWidth(column, qMin(m_table->columnWidth(column), 320));
        const int runs = m_model->rowCount();
        QString text = (runs == 1 ? tr("1 run in %1") : tr("%1 runs in %2").arg(runs))
                           .arg(QDir::toNativeSeparators(m_directory).toHtmlEscaped());
        if (m_skipped.size() == 1)
            text += QStringLiteral(" · <span style=\"color:#b26a00;\">%1</span>").arg(tr("1 unreadable file skipped"));
        else if (!m_skipped.isEmpty())
            text += QStringLiteral(" · <span style=\"color:#b26a00;\">%1</span>")
                        .arg(tr("%1 unreadable files skipped").arg(m_skipped.size()));
        m_status->setText(text);
        m_status->setToolTip(m_skipped.join(QLatin1Char('\n')));
        Q_EMIT loaded();
    });
    watcher->setFuture(QtConcurrent::run([directory = m_directory] { return readRunRecords(directory); }));
}

RunRecordDialog *RunsView::openRecord(int row)
{
    const QModelIndex source = m_proxy->mapToSource(m_proxy->index(row, 0));
    const JobInfo *record = m_model->recordAt(source.row());
    if (!record)
        return nullptr;
    auto *dialog = new RunRecordDialog(*record, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &RunRecordDialog::moduleRequested, this, &RunsView::moduleRequested);
    dialog->show();
    m_lastDialog = dialog;
    return dialog;
}

}  // namespace dw
