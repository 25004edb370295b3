#include "ui/timeseries/series_data_page.h"

#include "ui/timeseries/import_summary.h"
#include "ui/timeseries/series_plot.h"
#include "ui/timeseries/table_preview_model.h"

#include <QHeaderView>
#include <QLabel>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

namespace dw {

namespace {

constexpr int kPreviewRows = 500;

}  // namespace

SeriesDataPage::SeriesDataPage(QWidget *parent) : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("importSummary"));
    m_summary->setWordWrap(true);
    m_summary->setTextFormat(Qt::RichText);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_summary);

    auto *splitter = new QSplitter(Qt::Horizontal, this);
    m_model = new TablePreviewModel(this);
    m_view = new QTableView(splitter);
    m_view->setObjectName(QStringLiteral("previewTable"));
    m_view->setModel(m_model);
    m_view->setAlternatingRowColors(true);
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 6);
    m_view->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_plot = new SeriesPlot(splitter);
    m_plot->setObjectName(QStringLiteral("previewPlot"));
    splitter->addWidget(m_view);
    splitter->addWidget(m_plot);
    splitter->setStretchFactor(0, 2);
    splitter->setStretchFactor(1, 5);
    splitter->setSizes({340, 1000});  // the table needs little room; the plot wants it
    layout->addWidget(splitter, 1);
}

void SeriesDataPage::showHint(const QString &text)
{
    m_summary->setText(text.toHtmlEscaped());
}

void SeriesDataPage::setCsv(const ImportedCsv &csv)
{
    const Table &table = csv.table();
    m_model->setTable(std::shared_ptr<const Table>(csv.import, &csv.import->table), kPreviewRows);
    QString summary = ImportSummary::html(csv.report(), table);
    if (table.rowCount() > kPreviewRows)
        summary += tr("<br>The table shows the first %1 rows; the plot shows all of them.").arg(kPreviewRows);
    m_summary->setText(summary);

    m_plot->reset();
    m_plot->setTimeFormat(table.timeFormat, table.hasTime());
    QCPAxisRect *panel = m_plot->addPanel(table.columnCount() == 1 ? table.names.first() : tr("value"));
    const qsizetype rows = table.rowCount();
    QVector<double> keys(rows);
    for (qsizetype r = 0; r < rows; ++r)
        keys[r] = table.hasTime() ? table.time[size_t(r)] : double(r + 1);
    for (qsizetype c = 0; c < table.columnCount(); ++c) {
        const std::vector<double> &column = table.column(c);
        QCPGraph *graph = m_plot->addLine(panel, table.names.at(c), SeriesPlot::colour(int(c)));
        // NaN values stay in: QCustomPlot draws them as gaps, as the data has them.
        graph->setData(keys, QVector<double>(column.begin(), column.end()), true);
    }
    m_plot->fit();
}

}  // namespace dw
