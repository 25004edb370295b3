#include "ui/timeseries/timeseries_workspace.h"

#include "core/jobs/job_manager.h"
#include "ui/catalog/catalog_service.h"
#include "ui/icons.h"
#include "ui/jobs/job_callbacks.h"
#include "ui/message_presenter.h"
#include "ui/recent_folders.h"
#include "ui/timeseries/forecast_page.h"
#include "ui/timeseries/import_summary.h"
#include "ui/timeseries/live_page.h"
#include "ui/timeseries/series_data_page.h"
#include "ui/timeseries/series_train_page.h"
#include "ui/workbench_context.h"

#include <QAction>
#include <QFileDialog>
#include <QFileInfo>
#include <QTabWidget>
#include <QToolBar>
#include <QVBoxLayout>

#include <memory>

namespace dw {

TimeSeriesWorkspace::TimeSeriesWorkspace(WorkbenchContext &context, QWidget *parent) : Workspace(context, parent)
{
    setObjectName(QStringLiteral("timeSeriesWorkspace"));
    auto *layout = new QVBoxLayout(this);
    m_tabs = new QTabWidget(this);
    m_data = new SeriesDataPage(m_tabs);
    m_data->showHint(
        tr("Open a CSV or TSV file of series (a time column and numeric columns), or drop one on the window."));
    m_train = new SeriesTrainPage(context, m_tabs);
    m_forecast = new ForecastPage(context, m_tabs);
    m_tabs->addTab(m_data, tr("Data"));
    m_tabs->addTab(m_train, tr("Train"));
    m_live = new LivePage(context, m_tabs);
    m_tabs->addTab(m_forecast, tr("Results"));
    m_tabs->addTab(m_live, tr("Live"));
    connect(m_forecast, &ForecastPage::moduleSelected, m_live, &LivePage::setModule);
    m_live->setModule(m_forecast->selectedModule());
    layout->addWidget(m_tabs, 1);

    m_toolBar = new QToolBar(tr("Time Series"), this);
    m_toolBar->setObjectName(QStringLiteral("timeSeriesToolBar"));
    m_toolBar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    QAction *open = m_toolBar->addAction(dw::icon(QStringLiteral("import")), tr("Open CSV…"), this,
                                         &TimeSeriesWorkspace::chooseCsv);
    open->setToolTip(tr("Open a CSV or TSV file of series (or drop it on the window)"));

    connect(m_train, &SeriesTrainPage::trainingFinished, this, &TimeSeriesWorkspace::selectWhenScanned);
}

QIcon TimeSeriesWorkspace::icon() const
{
    return dw::icon(QStringLiteral("timeseries"));
}

bool TimeSeriesWorkspace::isTableFile(const QString &path)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    return suffix == QLatin1String("csv") || suffix == QLatin1String("tsv");
}

QString TimeSeriesWorkspace::dropHint() const
{
    return tr("CSV or TSV files of series to preview, train on and forecast");
}

bool TimeSeriesWorkspace::handleDrop(const QList<QUrl> &urls)
{
    if (urls.size() != 1 || !isTableFile(urls.first().toLocalFile()))
        return false;
    context().requestWorkspace(id());
    openCsv(urls.first().toLocalFile());
    return true;
}

void TimeSeriesWorkspace::chooseCsv()
{
    auto *dialog = new QFileDialog(this, tr("Open a Series"), RecentFolders::folderFor(QStringLiteral("series")));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setFileMode(QFileDialog::ExistingFile);
    dialog->setNameFilter(tr("Series (*.csv *.tsv *.txt);;All files (*)"));
    connect(dialog, &QFileDialog::fileSelected, this, [this](const QString &file) { openCsv(file); });
    dialog->open();
}

QString TimeSeriesWorkspace::openCsv(const QString &path)
{
    JobSpec spec;
    spec.title = tr("Import %1").arg(QFileInfo(path).fileName());
    spec.kind = QStringLiteral("import");
    spec.function = [path](JobContext &job) -> Result<QVariant> {
        job.setProgress(0, 0, QObject::tr("reading %1").arg(QFileInfo(path).fileName()));
        Result<TableImport> read = TableReader::readFile(path);
        if (!read)
            return read.error();
        ImportedCsv csv{QFileInfo(path).absoluteFilePath(),
                        std::make_shared<const TableImport>(std::move(read).value())};
        return QVariant::fromValue(csv);
    };
    const QString jobId = context().jobs().submit(std::move(spec));
    context().showStatus(tr("Reading %1…").arg(QFileInfo(path).fileName()));
    whenJobFinished(context().jobs(), jobId, this, [this, path](const JobInfo &job) {
        if (job.state == JobState::Done && job.result.canConvert<ImportedCsv>()) {
            RecentFolders::remember(QStringLiteral("series"), path);
            setCsv(job.result.value<ImportedCsv>());
            return;
        }
        if (job.state == JobState::Cancelled)
            return;
        const QString why = job.error.isEmpty() ? tr("the import ended without saying why") : job.error;
        context().messages().error(tr("Cannot open %1").arg(QFileInfo(path).fileName()), why);
        Q_EMIT csvFailed(why);
    });
    return jobId;
}

void TimeSeriesWorkspace::setCsv(const ImportedCsv &csv)
{
    m_csv = csv;
    m_data->setCsv(csv);
    m_train->setCsv(csv);
    m_forecast->setCsv(csv);
    m_tabs->setCurrentWidget(m_data);
    context().showStatus(ImportSummary::oneLine(csv.report()));
    Q_EMIT csvLoaded(csv.table().rowCount());
}

void TimeSeriesWorkspace::selectWhenScanned(const QString &id)
{
    // The catalog was asked to rescan; the module is there after one of the next scans.
    auto connection = std::make_shared<QMetaObject::Connection>();
    auto select = [this, id, connection] {
        if (!context().catalog().find(id) || context().catalog().isScanning())
            return;
        QObject::disconnect(*connection);
        m_forecast->refreshModules(id);
        m_tabs->setCurrentWidget(m_forecast);
        context().setCurrentModule(id);
        // The Results page shows the new module's forecast of the open series at once, not
        // empty axes waiting for Forecast.
        if (m_forecast->hasCsv())
            m_forecast->forecast();
        Q_EMIT moduleTrained(id);
    };
    *connection = connect(&context().catalog(), &CatalogService::scanFinished, this, select);
    select();
}

}  // namespace dw
