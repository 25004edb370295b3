#include "ui/timeseries/live_page.h"

#include "core/catalog/catalog_entry.h"
#include "core/io/line_source_url.h"
#include "core/task/plugin_manager.h"
#include "ui/catalog/catalog_service.h"
#include "ui/message_presenter.h"
#include "ui/recent_folders.h"
#include "ui/timeseries/alert_table_model.h"
#include "ui/timeseries/series_format.h"
#include "ui/timeseries/series_plot.h"
#include "ui/timeseries/stream_worker.h"
#include "ui/workbench_context.h"

#include <QCheckBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QTableView>
#include <QThread>
#include <QTimer>
#include <QVBoxLayout>

#include <cmath>

namespace dw {

namespace {

const QString kTask = QStringLiteral("time-series");

// The time axis' style from the step between two points.
TimeFormat formatForStep(double seconds)
{
    if (seconds >= 300 * 86400.0)
        return TimeFormat::Year;
    if (seconds >= 27 * 86400.0)
        return TimeFormat::YearMonth;
    if (seconds >= 0.9 * 86400.0)
        return TimeFormat::IsoDate;
    return TimeFormat::IsoDateTime;
}

void addFinite(QCPGraph *graph, double x, const std::vector<double> &values, size_t k)
{
    if (graph && k < values.size() && std::isfinite(values[k]))
        graph->addData(x, values[k]);
}

}  // namespace

LivePage::LivePage(WorkbenchContext &context, QWidget *parent) : QWidget(parent), m_context(context)
{
    auto *layout = new QVBoxLayout(this);
    auto *bar = new QHBoxLayout;
    m_follow = new QPushButton(tr("Follow File…"), this);
    m_follow->setToolTip(tr("Watch rows that another program appends to a CSV file"));
    m_listen = new QPushButton(tr("Listen…"), this);
    m_listen->setToolTip(tr("Receive CSV lines over UDP or TCP (udp://127.0.0.1:9000, tcp://0.0.0.0:9000)"));
    m_stop = new QPushButton(tr("Stop"), this);
    m_stop->setObjectName(QStringLiteral("liveStop"));
    bar->addWidget(m_follow);
    m_fromStart = new QCheckBox(tr("rows already there too"), this);
    m_fromStart->setToolTip(tr("Follow File reads the rows the file holds first, then those appended; "
                               "otherwise only the rows appended from now on"));
    bar->addWidget(m_fromStart);
    bar->addWidget(m_listen);
    bar->addWidget(m_stop);
    bar->addSpacing(16);
    bar->addWidget(new QLabel(tr("Show the last"), this));
    m_window = new QSpinBox(this);
    m_window->setRange(10, 100000);
    m_window->setValue(300);
    m_window->setSuffix(tr(" points"));
    bar->addWidget(m_window);
    bar->addStretch();
    m_counters = new QLabel(this);
    m_counters->setObjectName(QStringLiteral("liveCounters"));
    bar->addWidget(m_counters);
    layout->addLayout(bar);
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("liveStatus"));
    m_status->setWordWrap(true);
    layout->addWidget(m_status);

    auto *splitter = new QSplitter(Qt::Vertical, this);
    m_plot = new SeriesPlot(splitter);
    m_plot->setObjectName(QStringLiteral("livePlot"));
    m_alerts = new AlertTableModel(this);
    m_alertView = new QTableView(splitter);
    m_alertView->setObjectName(QStringLiteral("liveAlerts"));
    m_alertView->setModel(m_alerts);
    m_alertView->horizontalHeader()->setStretchLastSection(true);
    m_alertView->verticalHeader()->setDefaultSectionSize(m_alertView->fontMetrics().height() + 6);
    splitter->addWidget(m_plot);
    splitter->addWidget(m_alertView);
    splitter->setStretchFactor(0, 4);
    splitter->setStretchFactor(1, 1);
    layout->addWidget(splitter, 1);

    m_refresh = new QTimer(this);
    m_refresh->setSingleShot(true);
    m_refresh->setInterval(40);
    connect(m_refresh, &QTimer::timeout, this, &LivePage::refreshView);
    connect(m_window, &QSpinBox::valueChanged, this, &LivePage::refreshView);
    connect(m_follow, &QPushButton::clicked, this, &LivePage::chooseFile);
    connect(m_listen, &QPushButton::clicked, this, &LivePage::chooseAddress);
    connect(m_stop, &QPushButton::clicked, this, &LivePage::stop);
    updateCounters();
    updateActions();
}

LivePage::~LivePage()
{
    stop();
}

void LivePage::setModule(const QString &id)
{
    m_module = id;
    updateActions();
}

void LivePage::updateActions()
{
    const bool running = isRunning();
    m_follow->setEnabled(!running && !m_module.isEmpty());
    m_listen->setEnabled(!running && !m_module.isEmpty());
    m_fromStart->setEnabled(!running);
    m_stop->setEnabled(running);
    if (!running && m_points == 0)
        m_status->setText(m_module.isEmpty() ? tr("Choose a trained time-series module on the Results tab first.")
                                             : tr("Watch a stream with %1: follow a growing CSV file or listen on a "
                                                  "UDP/TCP port.")
                                                   .arg(m_module));
}

QString LivePage::description() const
{
    return m_source ? m_source->description() : QString();
}

void LivePage::fail(const QString &message)
{
    m_context.messages().error(tr("Cannot watch the stream"), message);
    Q_EMIT failed(message);
}

bool LivePage::start(const QString &source, bool fromStart)
{
    if (isRunning())
        stop();
    const CatalogEntry *entry = m_module.isEmpty() ? nullptr : m_context.catalog().find(m_module);
    auto *object = dynamic_cast<QObject *>(PluginManager::instance().plugin(kTask));
    StreamingTask *task = object ? qobject_cast<StreamingTask *>(object) : nullptr;
    if (!entry) {
        fail(tr("Choose a trained time-series module on the Results tab first."));
        return false;
    }
    if (!task) {
        fail(tr("The time-series plugin that is installed cannot watch streams; install a newer one."));
        return false;
    }
    Result<LineSourceUrl> url = source.contains(QLatin1String("://"))
                                    ? LineSourceUrl::parse(source)
                                    : Result<LineSourceUrl>(LineSourceUrl::file(source, fromStart));
    if (!url) {
        fail(url.error().text());
        return false;
    }
    std::unique_ptr<LineSource> lines = url->create(this);
    if (Result<void> started = lines->start(); !started) {
        fail(started.error().text());
        return false;
    }
    m_source = lines.release();

    // A new stream: a fresh plot, counters and alerts.
    m_points = m_alertCount = m_skipped = 0;
    m_times.clear();
    m_graphs.clear();
    m_plot->reset();
    m_alerts->setAlerts({});
    m_decimals.clear();
    m_alerts->setDecimals(m_decimals);
    m_lastProblem.clear();

    m_thread = new QThread(this);
    m_thread->setObjectName(QStringLiteral("live-stream"));
    m_worker = new StreamWorker(task, entry->path, {{QStringLiteral("device"), QStringLiteral("cpu")}});
    m_worker->moveToThread(m_thread);
    connect(m_source, &LineSource::lineReceived, m_worker, &StreamWorker::push);
    connect(m_source, &LineSource::message, this, [this](const QString &text) { m_status->setText(text); });
    connect(m_source, &LineSource::errorOccurred, this, [this](const QString &text) {
        m_lastProblem = text;
        updateCounters();
    });
    StreamWorker *worker = m_worker;
    connect(m_worker, &StreamWorker::opened, this, [this, worker](const QStringList &targets, int warmUp) {
        if (worker == m_worker)
            prepare(targets, warmUp);
    });
    connect(m_worker, &StreamWorker::openFailed, this, [this, worker](const QString &message) {
        if (worker != m_worker)
            return;
        stop();
        fail(message);
    });
    connect(m_worker, &StreamWorker::pointReady, this, [this, worker](const LivePoint &point) {
        if (worker == m_worker)
            add(point);
    });
    connect(m_worker, &StreamWorker::lineSkipped, this, [this, worker](const QString &reason) {
        if (worker != m_worker)
            return;
        ++m_skipped;
        m_lastProblem = reason;
        updateCounters();
    });
    m_thread->start();
    QMetaObject::invokeMethod(m_worker, &StreamWorker::open, Qt::QueuedConnection);
    m_status->setText(tr("Loading %1 to watch %2…").arg(m_module, m_source->description()));
    updateCounters();
    updateActions();
    m_stop->setFocus();
    Q_EMIT streamStarted(m_source->description());
    return true;
}

void LivePage::stop()
{
    const bool wasRunning = isRunning();
    if (m_source) {
        m_source->stop();
        delete m_source;
        m_source = nullptr;
    }
    if (m_thread) {
        // The line being pushed finishes; the queued ones are dropped with the worker.
        m_thread->quit();
        m_thread->wait();
        delete m_worker;
        delete m_thread;
        m_worker = nullptr;
        m_thread = nullptr;
    }
    if (wasRunning) {
        m_refresh->stop();
        refreshView();
        m_status->setText(tr("Stopped after %n point(s).", nullptr, int(m_points)));
        updateActions();
        Q_EMIT streamStopped();
    }
}

void LivePage::prepare(const QStringList &targets, int warmUp)
{
    m_warmUp = warmUp;
    m_plot->reset();
    m_graphs.clear();
    for (const QString &target : targets) {
        TargetGraphs g;
        g.target = target;
        QCPAxisRect *panel = m_plot->addPanel(target);
        QColor edge = ForecastPlotter::forecastColour();
        edge.setAlpha(90);
        g.lower = m_plot->addLine(panel, tr("band (lower)"), edge, 0.8);
        g.lower->removeFromLegend();
        g.upper = m_plot->addLine(panel, tr("alert band"), edge, 0.8);
        QColor area = ForecastPlotter::forecastColour();
        area.setAlpha(45);
        g.upper->setBrush(area);
        g.upper->setChannelFillGraph(g.lower);
        g.observed = m_plot->addLine(panel, tr("observed"), ForecastPlotter::observedColour(), 1.2);
        g.forecast = m_plot->addLine(panel, tr("expected"), ForecastPlotter::forecastColour(), 1.4);
        g.warnings =
            m_plot->addMarkers(panel, tr("alert"), ForecastPlotter::warningColour(), QCPScatterStyle::ssCircle, 8);
        g.critical = m_plot->addMarkers(panel, tr("critical alert"), ForecastPlotter::criticalColour(),
                                        QCPScatterStyle::ssDiamond, 10);
        m_graphs << g;
    }
    m_status->setText(
        tr("Watching %1 with %2 (the first forecast after %3 points).").arg(description(), m_module).arg(warmUp));
    Q_EMIT streamReady(targets);
}

void LivePage::add(const LivePoint &point)
{
    const StreamUpdate &u = point.update;
    const double x = u.time;
    if (m_times.empty())
        m_plot->setTimeFormat(TimeFormat::IsoDateTime, !u.timeText.isEmpty());
    else if (m_times.size() == 1 && !u.timeText.isEmpty())
        m_plot->setTimeFormat(formatForStep(x - m_times.front()), true);
    m_times.push_back(x);
    for (qsizetype k = 0; k < m_graphs.size(); ++k) {
        const TargetGraphs &g = m_graphs.at(k);
        addFinite(g.observed, x, u.observed, size_t(k));
        addFinite(g.forecast, x, u.expected, size_t(k));
        addFinite(g.lower, x, u.lower, size_t(k));
        addFinite(g.upper, x, u.upper, size_t(k));
    }
    for (const AnomalyAlert &alert : u.alerts) {
        for (const TargetGraphs &g : std::as_const(m_graphs))
            if (g.target == alert.target)
                (alert.severity == AlertSeverity::Critical ? g.critical : g.warnings)->addData(x, alert.observed);
    }
    if (!u.alerts.isEmpty()) {
        // A target's decimals are fixed at its first alert, from the points seen so far (the
        // warm-up at least), so that the rows of the table never change under the reader.
        bool more = false;
        for (const AnomalyAlert &alert : u.alerts) {
            if (m_decimals.contains(alert.target))
                continue;
            QVector<double> seen;
            for (const TargetGraphs &g : std::as_const(m_graphs))
                if (g.target == alert.target)
                    for (auto it = g.observed->data()->constBegin(); it != g.observed->data()->constEnd(); ++it)
                        seen << it->value;
            m_decimals.insert(alert.target, SeriesFormat::decimals(seen));
            more = true;
        }
        if (more)
            m_alerts->setDecimals(m_decimals);
        QList<AnomalyAlert> placed = u.alerts;
        for (AnomalyAlert &alert : placed)
            alert.time = x;
        m_alerts->append(placed);
        m_alertView->scrollToBottom();
    }
    ++m_points;
    m_alertCount += u.alerts.size();
    // Memory stays bounded on a stream that runs for days: older points leave the plot.
    constexpr size_t kKept = 20000;
    if (m_times.size() > 2 * kKept) {
        const double cut = m_times[m_times.size() - kKept];
        for (const TargetGraphs &g : std::as_const(m_graphs))
            for (QCPGraph *graph : {g.observed, g.forecast, g.lower, g.upper, g.warnings, g.critical})
                graph->data()->removeBefore(cut);
        m_times.erase(m_times.begin(), m_times.end() - kKept);
    }
    // A fast stream brings many points per frame: the view follows them once per frame.
    if (!m_refresh->isActive())
        m_refresh->start();
    Q_EMIT pointAdded(m_points);
}

void LivePage::refreshView()
{
    updateCounters();
    if (m_times.empty())
        return;
    const size_t shown = std::min(m_times.size(), size_t(m_window->value()));
    const double from = m_times[m_times.size() - shown];
    const double last = m_times.back();
    const double span = std::max(last - from, 1e-9);
    m_plot->follow(from - span * 0.01, last + span * 0.03);
}

void LivePage::updateCounters()
{
    QString text = tr("Points: <b>%1</b> · Alerts: <b>%2</b> · Skipped lines: <b>%3</b>")
                       .arg(m_points)
                       .arg(m_alertCount)
                       .arg(m_skipped);
    if (isRunning() && m_warmUp > 0 && m_points < m_warmUp)
        text += tr(" · warming up (%1 of %2)").arg(m_points).arg(m_warmUp);
    m_counters->setText(text);
    m_counters->setToolTip(m_lastProblem.isEmpty() ? QString() : tr("Last problem: %1").arg(m_lastProblem));
}

void LivePage::chooseFile()
{
    auto *dialog =
        new QFileDialog(this, tr("Follow a Growing CSV File"), RecentFolders::folderFor(QStringLiteral("series")));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setFileMode(QFileDialog::ExistingFile);
    dialog->setNameFilter(tr("Series (*.csv *.tsv *.txt *.log);;All files (*)"));
    connect(dialog, &QFileDialog::fileSelected, this, [this](const QString &file) {
        RecentFolders::remember(QStringLiteral("series"), file);
        start(file, m_fromStart->isChecked());
    });
    dialog->open();
}

void LivePage::chooseAddress()
{
    auto *dialog = new QInputDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(tr("Listen for CSV Lines"));
    dialog->setLabelText(tr("Address to listen on (udp://host:port or tcp://host:port):"));
    dialog->setTextValue(QStringLiteral("udp://127.0.0.1:9000"));
    connect(dialog, &QInputDialog::textValueSelected, this, [this](const QString &text) { start(text.trimmed()); });
    dialog->open();
}

}  // namespace dw
