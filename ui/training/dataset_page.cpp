#include "ui/training/dataset_page.h"

#include "core/jobs/job_manager.h"
#include "ui/jobs/job_callbacks.h"

#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSplitter>
#include <QVBoxLayout>
#include <qcustomplot.h>

namespace dw {

DatasetPage::DatasetPage(JobManager &jobs, QWidget *parent) : QWidget(parent), m_jobs(jobs)
{
    auto *layout = new QVBoxLayout(this);
    auto *row = new QHBoxLayout;
    row->addWidget(new QLabel(tr("Training images:"), this));
    m_path = new QLineEdit(this);
    m_path->setObjectName(QStringLiteral("datasetPath"));
    m_path->setPlaceholderText(tr("a folder with a sub-folder per class, split files or a CSV manifest"));
    row->addWidget(m_path, 1);
    auto *browse = new QPushButton(tr("Choose…"), this);
    row->addWidget(browse);
    layout->addLayout(row);
    m_totals = new QLabel(this);
    m_totals->setObjectName(QStringLiteral("datasetTotals"));
    layout->addWidget(m_totals);

    auto *splitter = new QSplitter(Qt::Horizontal, this);
    m_chart = new QCustomPlot(splitter);
    m_chart->setObjectName(QStringLiteral("imagesPerClass"));
    m_chart->setMinimumSize(300, 220);
    m_chart->yAxis->setLabel(tr("images"));
    m_chart->xAxis->setTickLabelRotation(-35);
    auto counts = QSharedPointer<QCPAxisTickerFixed>::create();  // image counts are whole numbers
    counts->setTickStep(1.0);
    counts->setScaleStrategy(QCPAxisTickerFixed::ssMultiples);
    m_chart->yAxis->setTicker(counts);
    m_samples = new QListWidget(splitter);
    m_samples->setObjectName(QStringLiteral("datasetSamples"));
    m_samples->setViewMode(QListView::IconMode);
    m_samples->setResizeMode(QListView::Adjust);
    m_samples->setMovement(QListView::Static);
    m_samples->setIconSize(QSize(64, 64));
    m_samples->setGridSize(QSize(92, 92));
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    layout->addWidget(splitter, 1);
    m_problems = new QLabel(this);
    m_problems->setObjectName(QStringLiteral("datasetProblems"));
    m_problems->setWordWrap(true);
    m_problems->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_problems);

    connect(m_path, &QLineEdit::editingFinished, this, [this] {
        if (m_path->text() != m_summary.root)
            scan();
    });
    connect(browse, &QPushButton::clicked, this, [this] {
        auto *dialog = new QFileDialog(this, tr("Choose the Training Images"), m_path->text());
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->setFileMode(QFileDialog::Directory);
        connect(dialog, &QFileDialog::fileSelected, this, &DatasetPage::setPath);
        dialog->open();
    });
    show({});
}

QString DatasetPage::path() const
{
    return m_path->text().trimmed();
}

void DatasetPage::setPath(const QString &path)
{
    m_path->setText(path);
    scan();
}

void DatasetPage::scan()
{
    const QString root = path();
    Q_EMIT pathChanged(root);
    if (!m_scanJob.isEmpty())
        m_jobs.cancel(m_scanJob);
    if (root.isEmpty() || !QFileInfo(root).isDir()) {
        DatasetSummary none;
        if (!root.isEmpty())
            none.problems
                << tr("%1 is not a folder; a split file or CSV manifest is read by the task when it trains.").arg(root);
        show(none);
        Q_EMIT summaryReady();
        return;
    }
    JobSpec spec;
    spec.title = tr("Look at %1").arg(QFileInfo(root).fileName());
    spec.kind = QStringLiteral("dataset");
    spec.function = [root](JobContext &job) -> Result<QVariant> {
        Result<DatasetSummary> summary = DatasetSummary::scan(root, [&job] { return job.isCancelled(); });
        if (!summary)
            return summary.error();
        return QVariant::fromValue(std::move(summary).value());
    };
    m_scanJob = m_jobs.submit(std::move(spec));
    m_totals->setText(tr("Looking at the images…"));
    const QString jobId = m_scanJob;
    whenJobFinished(m_jobs, jobId, this, [this, jobId](const JobInfo &job) {
        if (jobId != m_scanJob)
            return;
        m_scanJob.clear();
        if (job.state == JobState::Done && job.result.canConvert<DatasetSummary>()) {
            show(job.result.value<DatasetSummary>());
        } else {
            DatasetSummary failed;
            failed.problems << job.error;
            show(failed);
        }
        Q_EMIT summaryReady();
    });
}

void DatasetPage::show(const DatasetSummary &summary)
{
    m_summary = summary;
    m_chart->clearPlottables();
    auto *bars = new QCPBars(m_chart->xAxis, m_chart->yAxis);
    bars->setPen(Qt::NoPen);
    bars->setBrush(palette().color(QPalette::Highlight));
    auto ticker = QSharedPointer<QCPAxisTickerText>::create();
    QVector<double> keys, values;
    double highest = 1;
    for (int i = 0; i < summary.classes.size(); ++i) {
        keys << i;
        values << double(summary.counts.value(i));
        highest = std::max(highest, values.last());
        ticker->addTick(i, summary.classes.at(i));
    }
    bars->setData(keys, values, true);
    m_chart->xAxis->setTicker(ticker);
    m_chart->xAxis->setRange(-0.6, std::max<qsizetype>(summary.classes.size(), 1) - 0.4);
    m_chart->yAxis->setRange(0, highest * 1.1);
    m_chart->replot(QCustomPlot::rpQueuedReplot);

    m_samples->clear();
    for (int c = 0; c < summary.classes.size(); ++c) {
        for (const QImage &image : summary.samples.value(c)) {
            auto *item = new QListWidgetItem(QPixmap::fromImage(image), summary.classes.at(c));
            m_samples->addItem(item);
        }
    }
    QString totals = summary.root.isEmpty()
                         ? tr("Choose the folder of training images.")
                         : tr("%n image(s) in %1 classes", nullptr, int(summary.images)).arg(summary.classes.size());
    if (!summary.splits.isEmpty()) {  // the folder's own split is used as it is
        QStringList parts;
        for (qsizetype i = 0; i < summary.splits.size(); ++i)
            parts << QStringLiteral("%1 %2").arg(summary.splits.at(i)).arg(summary.splitImages.value(i));
        totals += tr(" — its own split: %1").arg(parts.join(QStringLiteral(", ")));
    }
    m_totals->setText(totals);
    m_problems->setText(summary.problems.isEmpty()
                            ? (summary.root.isEmpty() ? QString() : tr("No problems found."))
                            : QStringLiteral("⚠ ") + summary.problems.join(QStringLiteral("\n⚠ ")));
}

}  // namespace dw
