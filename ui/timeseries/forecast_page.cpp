#include "ui/timeseries/forecast_page.h"

#include "core/catalog/catalog_entry.h"
#include "core/catalog/catalog_model.h"
#include "core/jobs/job_manager.h"
#include "core/task/plugin_manager.h"
#include "ui/catalog/catalog_service.h"
#include "ui/jobs/job_callbacks.h"
#include "ui/message_presenter.h"
#include "ui/precision_setting.h"
#include "ui/recent_folders.h"
#include "ui/timeseries/alert_table_model.h"
#include "ui/timeseries/series_format.h"
#include "ui/timeseries/series_plot.h"
#include "ui/workbench_context.h"

#include <QComboBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonObject>
#include <QLabel>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QToolTip>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace dw {

namespace {

const QString kTask = QStringLiteral("time-series");

QString jobFailure(const JobInfo &job)
{
    return job.error.isEmpty() ? QObject::tr("the job ended without saying why; see its log in the Jobs dock")
                               : job.error;
}

double number(const QJsonValue &value)
{
    return value.isDouble() ? value.toDouble() : qQNaN();
}

// "Test MAE 12.3 vs 18.9 for the naive forecast (35 % better)"; `target` named first when
// the module forecasts several.
QString maeSentence(const QString &scoredOn, const QString &target, double mae, double naive)
{
    const QString part = scoredOn == QLatin1String("validation") ? QObject::tr("Validation") : QObject::tr("Test");
    const QString who = target.isEmpty() ? QString() : QStringLiteral("%1: ").arg(target.toHtmlEscaped());
    const int d =
        SeriesFormat::significantDecimals(std::max(std::abs(mae), std::isfinite(naive) ? std::abs(naive) : 0.0));
    if (!std::isfinite(naive))
        return QObject::tr("%1%2 MAE %3 (no naive forecast to compare with)")
            .arg(who, part, SeriesFormat::number(mae, d));
    QString verdict;
    const double gain = naive > 0 ? 1.0 - mae / naive : qQNaN();
    const long percent = std::isfinite(gain) ? std::lround(std::abs(gain) * 100) : 0;
    if (!std::isfinite(gain) || percent == 0)
        verdict = QObject::tr("the same");
    else if (gain > 0)
        verdict = QObject::tr("%1 % better").arg(percent);
    else
        verdict = QObject::tr("%1 % worse").arg(percent);
    return QObject::tr("%1%2 MAE %3 vs %4 for the naive forecast (%5)")
        .arg(who, part, SeriesFormat::number(mae, d), SeriesFormat::number(naive, d), verdict);
}

}  // namespace

ForecastPage::ForecastPage(WorkbenchContext &context, QWidget *parent) : QWidget(parent), m_context(context)
{
    auto *layout = new QVBoxLayout(this);
    auto *bar = new QHBoxLayout;
    bar->addWidget(new QLabel(tr("Module:"), this));
    m_moduleBox = new QComboBox(this);
    m_moduleBox->setObjectName(QStringLiteral("forecastModule"));
    m_moduleBox->setMinimumContentsLength(24);
    m_moduleBox->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_moduleBox->setToolTip(tr("The trained time-series modules of the catalog"));
    bar->addWidget(m_moduleBox);
    m_forecast = new QPushButton(tr("Forecast"), this);
    m_forecast->setObjectName(QStringLiteral("forecastButton"));
    m_forecast->setToolTip(
        tr("Forecast the loaded CSV with the module: one step ahead over the data, then into the future"));
    bar->addWidget(m_forecast);
    m_busy = new QProgressBar(this);
    m_busy->setRange(0, 0);
    m_busy->setMaximumWidth(120);
    m_busy->hide();
    bar->addWidget(m_busy);
    bar->addStretch();
    m_fit = new QPushButton(tr("Fit"), this);
    m_fit->setToolTip(tr("Show all the data (after zooming or panning)"));
    bar->addWidget(m_fit);
    m_exportCsv = new QPushButton(tr("Export Alerts CSV…"), this);
    m_exportJson = new QPushButton(tr("Export Alerts JSON…"), this);
    bar->addWidget(m_exportCsv);
    bar->addWidget(m_exportJson);
    layout->addLayout(bar);
    m_note = new QLabel(this);
    m_note->setObjectName(QStringLiteral("forecastNote"));
    m_note->setWordWrap(true);
    layout->addWidget(m_note);
    m_metrics = new QLabel(this);
    m_metrics->setObjectName(QStringLiteral("moduleMetrics"));
    m_metrics->setWordWrap(true);
    m_metrics->setTextFormat(Qt::RichText);
    m_metrics->setToolTip(tr("Scored after training on the rows the network never learned from; the naive forecast "
                             "repeats the last observation"));
    layout->addWidget(m_metrics);

    auto *splitter = new QSplitter(Qt::Vertical, this);
    m_plot = new SeriesPlot(splitter);
    m_plot->setObjectName(QStringLiteral("forecastPlot"));
    m_alerts = new AlertTableModel(this);
    m_alertView = new QTableView(splitter);
    m_alertView->setObjectName(QStringLiteral("alertTable"));
    m_alertView->setModel(m_alerts);
    m_alertView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_alertView->setSelectionMode(QAbstractItemView::SingleSelection);
    m_alertView->horizontalHeader()->setStretchLastSection(true);
    m_alertView->verticalHeader()->setDefaultSectionSize(m_alertView->fontMetrics().height() + 6);
    splitter->addWidget(m_plot);
    splitter->addWidget(m_alertView);
    splitter->setStretchFactor(0, 4);
    splitter->setStretchFactor(1, 1);
    layout->addWidget(splitter, 1);

    connect(m_forecast, &QPushButton::clicked, this, &ForecastPage::forecast);
    connect(m_fit, &QPushButton::clicked, this, &ForecastPage::fit);
    connect(m_exportCsv, &QPushButton::clicked, this, [this] { chooseExport(QStringLiteral("csv")); });
    connect(m_exportJson, &QPushButton::clicked, this, [this] { chooseExport(QStringLiteral("json")); });
    connect(m_moduleBox, &QComboBox::currentIndexChanged, this, [this] {
        updateActions();
        Q_EMIT moduleSelected(selectedModule());
    });
    connect(m_alertView->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] {
        const QModelIndexList rows = m_alertView->selectionModel()->selectedRows();
        const int row = rows.isEmpty() ? -1 : rows.first().row();
        markAlert(row);
        centreOnAlert(row);
    });
    connect(m_plot, &QCustomPlot::mouseMove, this,
            [this](QMouseEvent *event) { showPointAt(event->position().toPoint()); });
    connect(this, &ForecastPage::moduleSelected, this, &ForecastPage::updateMetrics);
    connect(&context.catalog(), &CatalogService::scanFinished, this, [this] { refreshModules(); });
    connect(&context, &WorkbenchContext::currentModuleChanged, this, [this](const QString &id) { selectModule(id); });
    refreshModules();
}

void ForecastPage::refreshModules(const QString &select)
{
    const QString keep = select.isEmpty() ? selectedModule() : select;
    QSignalBlocker blocker(m_moduleBox);
    m_moduleBox->clear();
    for (const CatalogEntry &entry : m_context.catalog().model()->entries()) {
        if (entry.manifest.task != kTask || entry.manifest.isTemplate() || !entry.isValid())
            continue;
        m_moduleBox->addItem(QStringLiteral("%1 (%2)").arg(entry.manifest.title, entry.id()), entry.id());
        m_moduleBox->setItemData(m_moduleBox->count() - 1, entry.manifest.summary, Qt::ToolTipRole);
    }
    if (m_moduleBox->count() == 0)
        m_moduleBox->setPlaceholderText(tr("no trained time-series module yet: train one in the Train tab"));
    const int row = m_moduleBox->findData(keep.isEmpty() ? m_context.currentModule() : keep);
    m_moduleBox->setCurrentIndex(row >= 0 ? row : (m_moduleBox->count() > 0 ? 0 : -1));
    blocker.unblock();
    updateActions();
    Q_EMIT moduleSelected(selectedModule());
}

bool ForecastPage::selectModule(const QString &id)
{
    const int row = m_moduleBox->findData(id);
    if (row < 0)
        return false;
    m_moduleBox->setCurrentIndex(row);
    return true;
}

QString ForecastPage::selectedModule() const
{
    return m_moduleBox->currentData().toString();
}

const CatalogEntry *ForecastPage::selectedEntry() const
{
    const QString id = selectedModule();
    return id.isEmpty() ? nullptr : m_context.catalog().find(id);
}

void ForecastPage::updateActions()
{
    m_forecast->setEnabled(selectedEntry() && !m_csv.isNull() && m_job.isEmpty());
    m_exportCsv->setEnabled(!m_data.result.targets.isEmpty());
    m_exportJson->setEnabled(!m_data.result.targets.isEmpty());
    if (m_data.result.targets.isEmpty())
        m_note->setText(m_csv.isNull() ? tr("Open a CSV file first (toolbar, or drop it on the window).")
                        : !selectedEntry()
                            ? tr("Choose a trained time-series module, or train one in the Train tab.")
                            : tr("Press Forecast to run the module over %1.").arg(QFileInfo(m_csv.path).fileName()));
}

QString ForecastPage::forecast()
{
    const CatalogEntry *entry = selectedEntry();
    TaskPlugin *plugin = PluginManager::instance().plugin(kTask);
    QString why;
    if (m_csv.isNull())
        why = tr("Open a CSV file with the module's columns first.");
    else if (!entry)
        why = tr("Choose a trained time-series module first (or train one in the Train tab).");
    else if (!plugin)
        why = tr("The time-series plugin is not installed or failed to load; see Help ▸ About for the plugins found.");
    Result<QVariantMap> args =
        why.isEmpty() ? m_context.precision()
                            .applyTo(plugin->predictArguments())
                            .validate({{QStringLiteral("module"), entry->path}, {QStringLiteral("csv"), m_csv.path}})
                      : Result<QVariantMap>(failure(why));
    if (!args) {
        m_context.messages().error(tr("Cannot forecast"), args.error().text());
        Q_EMIT failed(args.error().text());
        return {};
    }
    JobSpec spec;
    spec.title = tr("Forecast %1 with %2").arg(QFileInfo(m_csv.path).fileName(), entry->id());
    spec.kind = QStringLiteral("predict");
    spec.device = m_context.device();
    spec.queue = m_context.usesGpu() ? JobQueue::Gpu : JobQueue::Cpu;
    spec.function = [plugin, args = args.value(), import = m_csv.import, id = entry->id(), path = entry->path,
                     training = entry->manifest.trainingData, csv = m_csv.path](JobContext &job) -> Result<QVariant> {
        Result<TaskResult> result = plugin->predict(args, job);
        if (!result)
            return result.error();
        auto *series = std::get_if<SeriesResult>(&*result);
        if (!series)
            return failure(
                QObject::tr("the plugin answered with a %1 result instead of a series").arg(taskResultKind(*result)));
        ForecastData data =
            ForecastData::build(std::move(*series), import->table, import->report.sampling.medianStepSeconds);
        data.module = id;
        data.moduleDirectory = path;
        data.periods = ForecastData::periodsOf(training, csv, data.observedRows);
        return QVariant::fromValue(std::move(data));
    };
    m_job = m_context.jobs().submit(std::move(spec));
    m_busy->show();
    updateActions();
    whenJobFinished(m_context.jobs(), m_job, this, [this](const JobInfo &job) {
        m_job.clear();
        m_busy->hide();
        if (job.state == JobState::Done && job.result.canConvert<ForecastData>()) {
            show(job.result.value<ForecastData>());
        } else if (job.state != JobState::Cancelled) {
            m_context.messages().error(tr("Forecast failed"), jobFailure(job));
            Q_EMIT failed(jobFailure(job));
        }
        updateActions();
    });
    return m_job;
}

void ForecastPage::show(ForecastData data)
{
    m_data = std::move(data);
    m_graphs = ForecastPlotter::plot(m_plot, m_data);
    QHash<QString, int> decimals;
    for (qsizetype k = 0; k < m_data.result.targets.size(); ++k)
        decimals.insert(m_data.result.targets.at(k), m_data.decimalsOf(k));
    m_alerts->setDecimals(decimals);
    m_alerts->setAlerts(m_data.alerts);
    m_alertView->resizeColumnsToContents();
    const int horizon = int(m_data.x.size() - m_data.observedRows);
    m_note->setText(
        tr("<b>%1</b> over %2 rows and %3 step(s) ahead: <b>%4</b> alert(s) where the observation left the band.")
            .arg(m_data.module.toHtmlEscaped())
            .arg(QLocale().toString(qint64(m_data.observedRows)))  // as the Data tab counts them
            .arg(horizon)
            .arg(m_data.alerts.size()));
    m_context.showStatus(tr("Forecast with %1: %n alert(s)", nullptr, int(m_data.alerts.size())).arg(m_data.module));
    updateActions();
    Q_EMIT forecastShown(int(m_data.alerts.size()));
}

void ForecastPage::fit()
{
    m_plot->fit();
}

void ForecastPage::centreOnAlert(int row)
{
    if (row < 0 || row >= m_alerts->rowCount())
        return;
    const double x = m_alerts->alerts().at(row).time;
    // A tenth of the data around it, unless already zoomed in closer.
    const double all = m_data.x.isEmpty() ? 0 : m_data.x.last() - m_data.x.first();
    const double span = std::min(m_plot->timeRange().size(), all > 0 ? all / 10 : m_plot->timeRange().size());
    m_plot->centreOn(x, span);
}

void ForecastPage::markAlert(int row)
{
    if (m_selectedMarker)
        m_plot->removeGraph(m_selectedMarker);
    if (m_selectedLine)
        m_plot->removeItem(m_selectedLine);
    qsizetype panel = -1;
    if (row >= 0 && row < m_alerts->rowCount())
        for (qsizetype k = 0; k < m_graphs.size() && panel < 0; ++k)
            if (m_graphs.at(k).target == m_alerts->alerts().at(row).target)
                panel = k;
    if (panel < 0 || !m_plot->panel(int(panel))) {
        m_plot->replot(QCustomPlot::rpQueuedReplot);
        return;
    }
    const AnomalyAlert &alert = m_alerts->alerts().at(row);
    QCPAxisRect *rect = m_plot->panel(int(panel));
    const QColor colour = ForecastPlotter::selectedAlertColour();
    auto *line = new QCPItemStraightLine(m_plot);
    line->setClipAxisRect(rect);
    line->point1->setAxes(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
    line->point2->setAxes(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
    line->point1->setCoords(alert.time, 0);
    line->point2->setCoords(alert.time, 1);
    line->setPen(QPen(colour, 1.5, Qt::DashLine));
    line->setSelectable(false);
    m_selectedLine = line;
    QCPGraph *ring = m_plot->addMarkers(rect, tr("selected alert"), colour, QCPScatterStyle::ssCircle, 20);
    ring->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, QPen(colour, 3), Qt::NoBrush, 20));
    ring->removeFromLegend();
    ring->addData(alert.time, alert.observed);
    m_selectedMarker = ring;
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

QString ForecastPage::pointText(int target, qsizetype row) const
{
    if (target < 0 || target >= m_graphs.size() || row < 0 || row >= m_data.x.size())
        return {};
    const TargetGraphs &g = m_graphs.at(target);
    const double key = m_data.x.at(row);
    const auto at = [key](QCPGraph *graph) {
        if (!graph)
            return qQNaN();
        const auto it = graph->data()->findBegin(key, false);
        return it != graph->data()->constEnd() && it->key == key ? it->value : qQNaN();
    };
    const int d = m_data.decimalsOf(target);
    const bool ahead = row >= m_data.observedRows;
    QStringList parts;
    if (const double observed = at(g.observed); std::isfinite(observed))
        parts << tr("observed %1").arg(SeriesFormat::number(observed, d));
    if (const double forecast = at(ahead ? g.ahead : g.forecast); std::isfinite(forecast))
        parts << (ahead ? tr("forecast ahead %1") : tr("forecast %1")).arg(SeriesFormat::number(forecast, d));
    const double lower = at(g.lower), upper = at(g.upper);
    if (std::isfinite(lower) && std::isfinite(upper))
        parts << tr("band %1 to %2").arg(SeriesFormat::number(lower, d), SeriesFormat::number(upper, d));
    for (const AnomalyAlert &alert : m_data.alerts)
        if (alert.target == g.target && alert.time == key)
            parts << (alert.severity == AlertSeverity::Critical ? tr("critical alert (score %1)")
                                                                : tr("alert (score %1)"))
                         .arg(alert.score, 0, 'f', 2);
    if (parts.isEmpty())
        return {};
    const QString time = m_data.result.timestamps.value(row, QString::number(row + 1));
    return QStringLiteral("%1\n%2: %3").arg(time, g.target, parts.join(QStringLiteral(", ")));
}

void ForecastPage::showPointAt(const QPoint &pos)
{
    QString text;
    for (int k = 0; k < m_plot->panelCount() && k < m_graphs.size(); ++k) {
        QCPAxisRect *rect = m_plot->panel(k);
        if (!rect->rect().contains(pos) || m_data.x.isEmpty())
            continue;
        const double x = rect->axis(QCPAxis::atBottom)->pixelToCoord(pos.x());
        const auto it = std::lower_bound(m_data.x.begin(), m_data.x.end(), x);
        qsizetype row = it - m_data.x.begin();
        if (row >= m_data.x.size() || (row > 0 && x - m_data.x.at(row - 1) < m_data.x.at(row) - x))
            --row;
        text = pointText(k, row);
    }
    const QString tip = text.isEmpty() ? SeriesPlot::navigationHint() : text;
    m_plot->setToolTip(tip);
    if (QToolTip::isVisible())
        QToolTip::showText(m_plot->mapToGlobal(pos), tip, m_plot);
}

QString ForecastPage::metricsText(const ModuleManifest &manifest)
{
    const QJsonObject &metrics = manifest.metrics;
    const QString scoredOn = metrics.value(QStringLiteral("scored_on")).toString();
    QStringList lines;
    const QJsonArray targets = metrics.value(QStringLiteral("targets")).toArray();
    for (const QJsonValue &value : targets) {
        const QJsonObject t = value.toObject();
        const double mae = number(t.value(QStringLiteral("mae")));
        if (!std::isfinite(mae))
            continue;
        const double naive = number(t.value(QStringLiteral("baselines"))
                                        .toObject()
                                        .value(QStringLiteral("naive"))
                                        .toObject()
                                        .value(QStringLiteral("mae")));
        lines << maeSentence(scoredOn, targets.size() > 1 ? t.value(QStringLiteral("target")).toString() : QString(),
                             mae, naive);
    }
    if (lines.isEmpty() && std::isfinite(number(metrics.value(QStringLiteral("mae")))))
        lines << maeSentence(scoredOn, QString(), number(metrics.value(QStringLiteral("mae"))),
                             number(metrics.value(QStringLiteral("naive_mae"))));
    if (lines.isEmpty())
        return {};
    // The periods, in rows from 1 as the Data tab numbers them.
    const QJsonObject data = manifest.trainingData;
    const QJsonObject split = data.value(QStringLiteral("split")).toObject();
    QStringList periods;
    for (const QString &name : {QStringLiteral("train"), QStringLiteral("validation"), QStringLiteral("test")}) {
        const QJsonObject range = split.value(name).toObject();
        const qint64 begin = range.value(QStringLiteral("begin")).toInteger(),
                     end = range.value(QStringLiteral("end")).toInteger();
        if (end > begin)
            periods << tr("%1 rows %2–%3").arg(ForecastPlotter::periodTitle(name)).arg(begin + 1).arg(end);
    }
    QString text = lines.join(QStringLiteral("<br>"));
    if (!periods.isEmpty() && !data.value(QStringLiteral("file")).toString().isEmpty())
        text += QStringLiteral("<br>") + tr("Periods of %1: %2.")
                                             .arg(data.value(QStringLiteral("file")).toString().toHtmlEscaped(),
                                                  periods.join(QStringLiteral(", ")));
    return text;
}

void ForecastPage::updateMetrics()
{
    const CatalogEntry *entry = selectedEntry();
    const QString text = entry ? metricsText(entry->manifest) : QString();
    m_metrics->setText(text);
    m_metrics->setVisible(!text.isEmpty());
}

void ForecastPage::chooseExport(const QString &format)
{
    auto *dialog = new QFileDialog(this, tr("Export Alerts"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setAcceptMode(QFileDialog::AcceptSave);
    dialog->setDefaultSuffix(format);
    dialog->setNameFilter(format == QLatin1String("csv") ? tr("CSV (*.csv)") : tr("JSON (*.json)"));
    dialog->setDirectory(RecentFolders::folderFor(QStringLiteral("export")));
    dialog->selectFile(QStringLiteral("%1-alerts.%2").arg(m_data.module, format));
    connect(dialog, &QFileDialog::fileSelected, this, [this](const QString &file) {
        RecentFolders::remember(QStringLiteral("export"), file);
        exportAlerts(file);
    });
    dialog->open();
}

QString ForecastPage::exportAlerts(const QString &path)
{
    JobSpec spec;
    spec.title = tr("Export %1").arg(QFileInfo(path).fileName());
    spec.kind = QStringLiteral("export");
    spec.function = [path, alerts = m_alerts->alerts()](JobContext &) -> Result<QVariant> {
        const Result<void> written = path.endsWith(QLatin1String(".json"), Qt::CaseInsensitive)
                                         ? AnomalyDetector::writeAlertsJson(alerts, path)
                                         : AnomalyDetector::writeAlertsCsv(alerts, path);
        if (!written)
            return written.error();
        return QVariant(path);
    };
    const QString jobId = m_context.jobs().submit(std::move(spec));
    whenJobFinished(m_context.jobs(), jobId, this, [this](const JobInfo &job) {
        if (job.state == JobState::Done) {
            m_context.showStatus(tr("Alerts written to %1").arg(job.result.toString()));
            Q_EMIT alertsExported(job.result.toString());
        } else if (job.state != JobState::Cancelled) {
            m_context.messages().error(tr("Export failed"), jobFailure(job));
            Q_EMIT failed(jobFailure(job));
        }
    });
    return jobId;
}

}  // namespace dw
