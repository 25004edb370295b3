// The Time Series workspace: a generated CSV (a daily sine with a spike) is imported by a
// job and previewed (rows, report, one graph per numeric column); bad files give a message
// and keep what was loaded; a tiny forecaster trained from the GUI joins the catalog and is
// selected; its forecast draws observed, forecast, band and one marker per alert, lists the
// alerts and exports them; each series' numbers keep one number of decimals, the alert
// selected in the table is ringed on the plot, the Results page gives the test MAE against the
// naive forecast's and the plot tints the training, validation and test periods; in live
// mode rows appended to a followed file become points, a bad line is counted as skipped and
// a spike raises an alert marker. Screenshots of each tab at 1366x768 go to <build>/screenshots.
#include "core/catalog/catalog_entry.h"
#include "core/jobs/job_manager.h"
#include "core/task/plugin_manager.h"
#include "core/task/streaming_task.h"
#include "gui/gui_test_support.h"
#include "gui/workbench_window.h"
#include "timeseries_fixture.h"
#include "ui/catalog/catalog_service.h"
#include "ui/main_window.h"
#include "ui/message_presenter.h"
#include "ui/timeseries/alert_table_model.h"
#include "ui/timeseries/forecast_page.h"
#include "ui/timeseries/forecast_plotter.h"
#include "ui/timeseries/live_page.h"
#include "ui/timeseries/series_data_page.h"
#include "ui/timeseries/series_format.h"
#include "ui/timeseries/series_plot.h"
#include "ui/timeseries/series_train_page.h"
#include "ui/timeseries/table_preview_model.h"
#include "ui/timeseries/timeseries_workspace.h"
#include "ui/training/schema_form.h"
#include "ui/training/training_curves.h"
#include "ui/training/training_monitor.h"
#include "ui/workbench_context.h"

#include <QAbstractItemModelTester>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QPushButton>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableView>
#include <QTest>
#include <QToolButton>
#include <QUdpSocket>

#include <cmath>
#include <memory>
#include <random>

using namespace dw;
using dw::test::TestCatalog;

namespace {

constexpr int kRows = 300;
constexpr int kSpikeRow = 280;  // in the test part, far outside any band

int finiteCount(const QVector<double> &values, qsizetype from, qsizetype to)
{
    int n = 0;
    for (qsizetype i = from; i < std::min(to, values.size()); ++i)
        n += std::isfinite(values.at(i)) ? 1 : 0;
    return n;
}

}  // namespace

class TestTimeSeriesWorkspace : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void previewsAnImportedCsv();
    void badFilesGiveAMessageAndKeepTheData_data();
    void badFilesGiveAMessageAndKeepTheData();
    void trainsAModuleFromTheGui();
    void forecastDrawsBandAndAlerts();
    void savesScreenshots();  // of the data, the finished training and the forecast
    void exportsTheAlerts();
    void numbersHaveEvenDecimals();          // tables, tooltip, ticks: one precision per series
    void selectedAlertIsMarkedOnThePlot();   // the ring follows the table's selection
    void resultsPageShowsMaeAgainstNaive();  // the module's test MAE against the naive forecast's
    void plotMarksTheTrainingPeriods();      // train, validation and test spans from the module's split
    void liveModeFollowsAGrowingFile();
    void liveModeListensOnUdp();
    void sunspotsScreenshot();  // a real series, for the README
    void forecastNeedsTheModulesColumns();
    void cancelThenResumeTraining();
    void retrainsFromACatalogModule();  // issue 16: Start from module
    void bandOfANonNegativeSeriesStaysAboveZero();
    // Issue 17 item 13, the rest of its time-series part:
    void seriesFormatPicksOneDecimalsPerSeries();
    void metricsTextSaysMaeAgainstNaive();
    void periodsOnlyForTheTrainingFile();

private:
    QString file(const QString &name) const { return m_data.filePath(name); }
    void load(const QString &path);
    // A clean Jobs dock for the pictures (the failed export of one test stays there otherwise).
    void clearFinishedJobs()
    {
        for (QToolButton *button : m_window->findChildren<QToolButton *>())
            if (button->text() == QLatin1String("Clear finished"))
                button->click();
    }

    QTemporaryDir m_settings;
    QTemporaryDir m_data;
    std::unique_ptr<TestCatalog> m_catalog;
    std::unique_ptr<MainWindow> m_window;
    TimeSeriesWorkspace *m_series = nullptr;
};

void TestTimeSeriesWorkspace::initTestCase()
{
    test::isolateSettings(m_settings.path());
    qputenv("DEEPWB_PLUGIN_PATH", QByteArray(DW_PLUGIN_DIR));
    m_catalog = std::make_unique<TestCatalog>();
    QVERIFY(m_catalog->isValid());
    // A daily sine with a second column and one spike.
    QVERIFY(test::writeSineCsv(file(QStringLiteral("series.csv")), kRows, 0.05, 24, true));
    QFile csv(file(QStringLiteral("series.csv")));
    QVERIFY(csv.open(QIODevice::ReadOnly));
    QList<QByteArray> lines = csv.readAll().split('\n');
    csv.close();
    QList<QByteArray> fields = lines[kSpikeRow + 1].split(',');
    fields[1] = QByteArray::number(fields[1].toDouble() + 6.0);
    lines[kSpikeRow + 1] = fields.join(',');
    QVERIFY(csv.open(QIODevice::WriteOnly | QIODevice::Truncate));
    csv.write(lines.join('\n'));
    csv.close();

    m_window = test::openWorkbenchWindow();
    QVERIFY(m_window);
    m_series = m_window->workspace<TimeSeriesWorkspace>();
    QVERIFY(m_series);
    QVERIFY(m_window->setCurrentWorkspace(QStringLiteral("timeseries")));
}

void TestTimeSeriesWorkspace::cleanupTestCase()
{
    if (m_window) {
        m_window->context().jobs().cancelAll();
        m_window->context().jobs().waitForAll(30000);
    }
    m_window.reset();
    m_catalog.reset();
}

void TestTimeSeriesWorkspace::load(const QString &path)
{
    QSignalSpy loaded(m_series, &TimeSeriesWorkspace::csvLoaded);
    QSignalSpy failed(m_series, &TimeSeriesWorkspace::csvFailed);
    QVERIFY(!m_series->openCsv(path).isEmpty());
    QVERIFY2(loaded.wait(10000), failed.isEmpty() ? "no signal" : qPrintable(failed.first().first().toString()));
}

void TestTimeSeriesWorkspace::previewsAnImportedCsv()
{
    // The forecast page cannot run without a file; it says so.
    QVERIFY(m_series->forecastPage()
                ->findChild<QLabel *>(QStringLiteral("forecastNote"))
                ->text()
                .contains(QLatin1String("CSV")));
    // Dropped on the window: the workspace takes CSV and TSV files, nothing else.
    QVERIFY(!m_series->handleDrop({QUrl::fromLocalFile(file(QStringLiteral("photo.png")))}));
    QSignalSpy loaded(m_series, &TimeSeriesWorkspace::csvLoaded);
    QVERIFY(m_series->handleDrop({QUrl::fromLocalFile(file(QStringLiteral("series.csv")))}));
    QVERIFY(loaded.wait(10000));
    QAbstractItemModelTester tester(m_series->dataPage()->previewModel(),
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    TablePreviewModel *preview = m_series->dataPage()->previewModel();
    QCOMPARE(preview->rowCount(), kRows);
    QCOMPARE(preview->columnCount(), 3);  // date, value, other
    QCOMPARE(preview->headerData(0, Qt::Horizontal).toString(), QStringLiteral("date"));
    QCOMPARE(preview->data(preview->index(0, 0)).toString(), QStringLiteral("2020-01-01"));
    QCOMPARE(m_series->dataPage()->plot()->graphCount(), 2);
    QCOMPARE(m_series->dataPage()->plot()->graph(0)->data()->size(), kRows);
    QVERIFY(m_series->dataPage()->plot()->legend->visible());
    const QString summary = m_series->dataPage()->summary()->text();
    QVERIFY2(summary.contains(QLatin1String("<b>date</b>")) && summary.contains(QLatin1String("comma")),
             qPrintable(summary));
    QVERIFY2(summary.contains(QLatin1String("Missing values: none")), qPrintable(summary));
    // The train page offers the numeric columns, the first as the target.
    QCOMPARE(m_series->trainPage()->targetList()->count(), 2);
    QCOMPARE(m_series->trainPage()->targets(), QStringList{QStringLiteral("value")});
    QVERIFY(m_series->trainPage()->form()->editor(QStringLiteral("window")));
    QVERIFY(!m_series->trainPage()->form()->editor(QStringLiteral("csv")));     // filled from the file opened
    QVERIFY(!m_series->trainPage()->form()->editor(QStringLiteral("target")));  // from the column lists
}

void TestTimeSeriesWorkspace::badFilesGiveAMessageAndKeepTheData_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("expected");  // a word of the message
    QTest::newRow("empty") << QByteArray() << QStringLiteral("empty");
    QTest::newRow("header only") << QByteArray("date,value\n") << QStringLiteral("no data");
    QTest::newRow("no numeric column") << QByteArray("date,name\n2020-01-01,a\n2020-01-02,b\n2020-01-03,c\n")
                                       << QStringLiteral("numeric");
}

void TestTimeSeriesWorkspace::badFilesGiveAMessageAndKeepTheData()
{
    QFETCH(QByteArray, content);
    QFETCH(QString, expected);
    const QString path =
        file(QStringLiteral("bad-%1.csv").arg(QTest::currentDataTag()).replace(QLatin1Char(' '), QLatin1Char('-')));
    QFile out(path);
    QVERIFY(out.open(QIODevice::WriteOnly));
    out.write(content);
    out.close();
    QSignalSpy failed(m_series, &TimeSeriesWorkspace::csvFailed);
    QSignalSpy shown(&m_window->context().messages(), &MessagePresenter::messageShown);
    QVERIFY(!m_series->openCsv(path).isEmpty());
    QVERIFY(failed.wait(10000));
    QCOMPARE(shown.size(), 1);
    QCOMPARE(shown.first().at(0).value<MessagePresenter::Severity>(), MessagePresenter::Severity::Error);
    const QString text = shown.first().at(2).toString();
    QVERIFY2(text.contains(expected, Qt::CaseInsensitive), qPrintable(text));
    // What was loaded before is still there.
    QCOMPARE(m_series->dataPage()->previewModel()->rowCount(), kRows);
    QCOMPARE(QFileInfo(m_series->csv().path).fileName(), QStringLiteral("series.csv"));
}

void TestTimeSeriesWorkspace::trainsAModuleFromTheGui()
{
    SeriesTrainPage *page = m_series->trainPage();
    m_series->tabs()->setCurrentWidget(page);
    page->setTargets({QStringLiteral("value")});
    page->setInputs({QStringLiteral("other")});
    QCOMPARE(page->inputs(), QStringList{QStringLiteral("other")});
    SchemaForm *form = page->form();
    form->setValue(QStringLiteral("name"), QStringLiteral("gui-series"));
    form->setValue(QStringLiteral("model"), QStringLiteral("mlp"));
    form->setValue(QStringLiteral("window"), 12);
    form->setValue(QStringLiteral("horizon"), 6);
    form->setValue(QStringLiteral("hidden"), 16);
    form->setValue(QStringLiteral("layers"), 1);
    form->setValue(QStringLiteral("epochs"), 20);
    form->setValue(QStringLiteral("batch"), 32);
    form->setValue(QStringLiteral("lr"), 0.01);
    // Known fractions: rows 0-179 train, 180-239 validation, 240-299 test (the spike is there).
    form->setValue(QStringLiteral("val-fraction"), 0.2);
    form->setValue(QStringLiteral("test-fraction"), 0.2);
    QSignalSpy trained(m_series, &TimeSeriesWorkspace::moduleTrained);
    QSignalSpy stopped(page, &SeriesTrainPage::trainingStopped);
    QSignalSpy forecastShown(m_series->forecastPage(), &ForecastPage::forecastShown);
    QTest::mouseClick(page->trainButton(), Qt::LeftButton);
    QVERIFY2(!page->monitor()->jobId().isEmpty(),
             stopped.isEmpty() ? "" : qPrintable(stopped.first().first().toString()));
    QVERIFY2(trained.wait(60000), stopped.isEmpty() ? "no signal" : qPrintable(stopped.first().first().toString()));
    QCOMPARE(trained.first().first().toString(), QStringLiteral("gui-series"));
    const CatalogEntry *entry = m_window->context().catalog().find(QStringLiteral("gui-series"));
    QVERIFY(entry);
    QCOMPARE(entry->manifest.task, QStringLiteral("time-series"));
    QCOMPARE(m_series->forecastPage()->selectedModule(), QStringLiteral("gui-series"));
    QCOMPARE(m_series->tabs()->currentWidget(), static_cast<QWidget *>(m_series->forecastPage()));
    // ... showing the new module's forecast of the open series, not empty axes (issue 17 item 11).
    QVERIFY(!forecastShown.isEmpty() || forecastShown.wait(30000));
    QVERIFY(!m_series->forecastPage()->graphs().isEmpty());
    // The same name again is refused with a message, before any job.
    QSignalSpy shown(&m_window->context().messages(), &MessagePresenter::messageShown);
    QVERIFY(page->startTraining().isEmpty());
    QCOMPARE(shown.size(), 1);
    QVERIFY(shown.first().at(2).toString().contains(QLatin1String("already exists")));
}

void TestTimeSeriesWorkspace::forecastDrawsBandAndAlerts()
{
    ForecastPage *page = m_series->forecastPage();
    QSignalSpy shown(page, &ForecastPage::forecastShown);
    QSignalSpy failed(page, &ForecastPage::failed);
    QVERIFY(!page->forecast().isEmpty());
    QVERIFY2(shown.wait(30000), failed.isEmpty() ? "no signal" : qPrintable(failed.first().first().toString()));
    const ForecastData &data = page->data();
    QCOMPARE(data.result.targets, QStringList{QStringLiteral("value")});
    QCOMPARE(data.observedRows, qsizetype(kRows));
    QCOMPARE(data.x.size(), qsizetype(kRows + 6));  // the module's horizon after the data
    QCOMPARE(page->graphs().size(), 1);
    const TargetGraphs &g = page->graphs().first();
    QCOMPARE(g.observed->data()->size(), finiteCount(data.result.observed.first(), 0, kRows));
    QCOMPARE(g.observed->data()->size(), kRows);
    QCOMPARE(g.forecast->data()->size(), finiteCount(data.result.forecast.first(), 0, kRows));
    QVERIFY(g.forecast->data()->size() >= kRows - 12);  // all but the first window
    QCOMPARE(g.ahead->data()->size(), 7);               // the last forecast over the data, then 6 ahead
    QVERIFY(g.ahead->data()->at(6)->key > g.observed->data()->at(kRows - 1)->key);
    // The band: upper filled down to lower, over the data and the future.
    QVERIFY(g.lower && g.upper);
    QCOMPARE(g.upper->channelFillGraph(), g.lower);
    QCOMPARE(g.upper->data()->size(), g.forecast->data()->size() + 6);
    QVERIFY(g.upper->data()->at(20)->value > g.lower->data()->at(20)->value);
    // One marker per alert; the spike is one of them.
    const int alerts = int(data.result.extra.value(QStringLiteral("alert_count")).toInteger());
    QVERIFY2(alerts >= 1, "the spike raised no alert");
    QCOMPARE(int(data.alerts.size()), alerts);
    QCOMPARE(g.warnings->data()->size() + g.critical->data()->size(), alerts);
    const double spikeX = data.x.at(kSpikeRow);
    bool spikeFound = false;
    for (const AnomalyAlert &alert : data.alerts)
        spikeFound = spikeFound || (alert.time == spikeX && alert.timeText == QStringLiteral("2020-10-07"));
    QVERIFY2(spikeFound, "no alert at the spike's row");
    // The alerts table; a row centres the plot on its alert.
    QAbstractItemModelTester tester(page->alertModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(page->alertModel()->rowCount(), alerts);
    page->fit();
    const int last = alerts - 1;
    page->alertView()->selectRow(last);
    const QCPRange range = page->plot()->timeRange();
    QVERIFY(qAbs(range.center() - data.alerts.at(last).time) < range.size() * 0.01);
    QVERIFY(range.size() < (data.x.last() - data.x.first()) / 5);  // zoomed in on it
    page->fit();
    QVERIFY(page->plot()->timeRange().size() >= data.x.last() - data.x.first());
}

void TestTimeSeriesWorkspace::exportsTheAlerts()
{
    ForecastPage *page = m_series->forecastPage();
    const int alerts = page->alertModel()->rowCount();
    QVERIFY(alerts >= 1);
    for (const QString &name : {QStringLiteral("alerts.csv"), QStringLiteral("alerts.json")}) {
        QSignalSpy exported(page, &ForecastPage::alertsExported);
        QVERIFY(!page->exportAlerts(file(name)).isEmpty());
        QVERIFY(exported.wait(10000));
        QFile in(file(name));
        QVERIFY(in.open(QIODevice::ReadOnly));
        const QByteArray text = in.readAll();
        if (name.endsWith(QLatin1String(".csv"))) {
            QCOMPARE(text.trimmed().split('\n').size(), alerts + 1);
            QVERIFY(text.startsWith("time,target,observed,expected,residual,score,severity"));
            QVERIFY(text.contains("2020-10-07,value,"));
        } else {
            QCOMPARE(QJsonDocument::fromJson(text).array().size(), alerts);
        }
    }
    // A folder that does not exist: a message, no crash.
    QSignalSpy failed(page, &ForecastPage::failed);
    QVERIFY(!page->exportAlerts(file(QStringLiteral("missing/folder/alerts.csv"))).isEmpty());
    QVERIFY(failed.wait(10000));
}

// Rows of the fixture's series from row `from` on (the same sine, fresh noise), with a spike.
static QByteArray seriesRows(int from, int count, int spikeRow)
{
    std::mt19937 rng(11);
    std::normal_distribution<double> gauss(0.0, 1.0);
    QByteArray text;
    for (int t = from; t < from + count; ++t) {
        double value = 10.0 + std::sin(2.0 * M_PI * t / 24) + 0.05 * gauss(rng);
        if (t == spikeRow)
            value += 6.0;
        const double other = 5.0 + 0.5 * std::cos(2.0 * M_PI * t / 48) + 0.05 * gauss(rng);
        text += QDate(2020, 1, 1).addDays(t).toString(Qt::ISODate).toLatin1() + ',' +
                QByteArray::number(value, 'f', 5) + ',' + QByteArray::number(other, 'f', 5) + '\n';
    }
    return text;
}

void TestTimeSeriesWorkspace::liveModeFollowsAGrowingFile()
{
    auto *object = dynamic_cast<QObject *>(PluginManager::instance().plugin(QStringLiteral("time-series")));
    if (!object || !qobject_cast<StreamingTask *>(object))
        QSKIP("the time-series plugin in this build cannot watch streams yet");
    LivePage *live = m_series->livePage();
    m_series->tabs()->setCurrentWidget(live);
    live->setModule(QStringLiteral("gui-series"));
    const QString path = file(QStringLiteral("live.csv"));
    QFile out(path);
    QVERIFY(out.open(QIODevice::WriteOnly));
    out.write("date,value,other\n" + seriesRows(kRows, 5, -1));  // there before: not watched
    out.flush();
    QSignalSpy ready(live, &LivePage::streamReady);
    QSignalSpy failed(live, &LivePage::failed);
    QVERIFY(live->start(path));
    QVERIFY(live->isRunning());
    QVERIFY2(ready.wait(20000), failed.isEmpty() ? "no signal" : qPrintable(failed.first().first().toString()));
    QCOMPARE(live->graphs().size(), 1);

    // 40 rows in two bursts, a line that cannot be read between them; the spike near the end.
    const int first = kRows + 5, spike = first + 34;
    out.write(seriesRows(first, 20, spike));
    out.flush();
    QTRY_COMPARE_WITH_TIMEOUT(live->points(), qint64(20), 15000);
    out.write("this is not a row\n");
    out.write(seriesRows(first + 20, 20, spike));
    out.flush();
    QTRY_COMPARE_WITH_TIMEOUT(live->points(), qint64(40), 15000);
    QTRY_COMPARE_WITH_TIMEOUT(live->skipped(), qint64(1), 5000);
    const TargetGraphs &g = live->graphs().first();
    QCOMPARE(g.observed->data()->size(), 40);
    QVERIFY(g.forecast->data()->size() > 10 && g.forecast->data()->size() <= 40 - 12);  // after the window
    QCOMPARE(g.upper->data()->size(), g.forecast->data()->size());
    QVERIFY(live->alertCount() >= 1);
    QCOMPARE(g.warnings->data()->size() + g.critical->data()->size(), int(live->alertCount()));
    QCOMPARE(live->alertModel()->rowCount(), int(live->alertCount()));
    const QString spikeTime = QDate(2020, 1, 1).addDays(spike).toString(Qt::ISODate);
    bool spikeFound = false;
    for (const AnomalyAlert &alert : live->alertModel()->alerts())
        spikeFound = spikeFound || alert.timeText == spikeTime;
    QVERIFY2(spikeFound, qPrintable(QStringLiteral("no alert at %1").arg(spikeTime)));
    // The view follows the last points.
    QTRY_VERIFY_WITH_TIMEOUT(live->plot()->timeRange().contains(g.observed->data()->at(39)->key), 5000);
    QVERIFY(live->findChild<QLabel *>(QStringLiteral("liveCounters"))->text().contains(QLatin1String("<b>40</b>")));
    QVERIFY(QDir().mkpath(QStringLiteral(DW_BUILD_DIR "/screenshots")));
    clearFinishedJobs();
    QTest::qWait(100);
    QVERIFY(m_window->grab().save(QStringLiteral(DW_BUILD_DIR "/screenshots/timeseries-live-1366x768.png")));

    QSignalSpy stopped(live, &LivePage::streamStopped);
    live->stop();
    QCOMPARE(stopped.size(), 1);
    QVERIFY(!live->isRunning());
    out.write(seriesRows(first + 40, 5, -1));
    out.flush();
    QTest::qWait(400);
    QCOMPARE(live->points(), qint64(40));  // nothing watched after Stop
}

void TestTimeSeriesWorkspace::savesScreenshots()
{
    const QString folder = QStringLiteral(DW_BUILD_DIR "/screenshots");
    QVERIFY(QDir().mkpath(folder));
    m_window->resize(1366, 768);
    m_window->setCurrentWorkspace(QStringLiteral("timeseries"));
    const QStringList names{QStringLiteral("data"), QStringLiteral("train"), QStringLiteral("results")};
    for (int tab = 0; tab < names.size(); ++tab) {
        m_series->tabs()->setCurrentIndex(tab);
        QTest::qWait(150);
        QVERIFY(m_window->grab().save(QStringLiteral("%1/timeseries-%2-1366x768.png").arg(folder, names.at(tab))));
    }
    // Zoomed in on the spike's alert.
    m_series->forecastPage()->alertView()->selectRow(0);
    QTest::qWait(150);
    QVERIFY(m_window->grab().save(QStringLiteral("%1/timeseries-alert-1366x768.png").arg(folder)));
    m_series->forecastPage()->fit();
}

void TestTimeSeriesWorkspace::liveModeListensOnUdp()
{
    auto *object = dynamic_cast<QObject *>(PluginManager::instance().plugin(QStringLiteral("time-series")));
    if (!object || !qobject_cast<StreamingTask *>(object))
        QSKIP("the time-series plugin in this build cannot watch streams yet");
    LivePage *live = m_series->livePage();
    QSignalSpy ready(live, &LivePage::streamReady);
    QVERIFY(live->start(QStringLiteral("udp://127.0.0.1:0")));  // any free port; the description names it
    QVERIFY(ready.wait(20000));
    const QUrl address(live->description());
    QCOMPARE(address.scheme(), QStringLiteral("udp"));
    QVERIFY(address.port() > 0);
    QCOMPARE(live->points(), qint64(0));  // counters start again with each stream
    QUdpSocket sender;
    const QList<QByteArray> lines = seriesRows(kRows, 15, -1).trimmed().split('\n');
    for (const QByteArray &line : lines) {
        QCOMPARE(sender.writeDatagram(line + '\n', QHostAddress::LocalHost, quint16(address.port())),
                 qint64(line.size() + 1));
        QTest::qWait(5);  // loopback datagrams are not lost, but the socket buffer is small
    }
    QTRY_COMPARE_WITH_TIMEOUT(live->points(), qint64(lines.size()), 15000);
    QCOMPARE(live->graphs().first().observed->data()->size(), int(lines.size()));
    live->stop();
    QVERIFY(!live->isRunning());
    // A bad address: a message, nothing started.
    QSignalSpy failed(live, &LivePage::failed);
    QVERIFY(!live->start(QStringLiteral("udp://nowhere:notaport")));
    QCOMPARE(failed.size(), 1);
    QVERIFY(!live->isRunning());
}

void TestTimeSeriesWorkspace::forecastNeedsTheModulesColumns()
{
    // The module reads value and other; this file has only value.
    QFile out(file(QStringLiteral("one-column.csv")));
    QVERIFY(out.open(QIODevice::WriteOnly));
    out.write("date,value\n");
    for (int t = 0; t < 60; ++t)
        out.write(QDate(2021, 1, 1).addDays(t).toString(Qt::ISODate).toLatin1() + ',' +
                  QByteArray::number(std::sin(t * 0.3)) + '\n');
    out.close();
    load(file(QStringLiteral("one-column.csv")));
    ForecastPage *page = m_series->forecastPage();
    QVERIFY(page->selectModule(QStringLiteral("gui-series")));
    QSignalSpy failed(page, &ForecastPage::failed);
    QSignalSpy shown(&m_window->context().messages(), &MessagePresenter::messageShown);
    QVERIFY(!page->forecast().isEmpty());
    QVERIFY(failed.wait(20000));
    QVERIFY2(failed.first().first().toString().contains(QLatin1String("other")),
             qPrintable(failed.first().first().toString()));
    QCOMPARE(shown.size(), 1);
    // The last forecast is still shown.
    QCOMPARE(page->alertModel()->rowCount(), int(page->data().alerts.size()));
    QVERIFY(!page->graphs().isEmpty());
}

void TestTimeSeriesWorkspace::sunspotsScreenshot()
{
    const QString sunspots = QStringLiteral(DW_SHARED_DATA_DIR "/sunspot_month.csv");
    if (!QFile::exists(sunspots))
        QSKIP("no sunspot_month.csv in the shared data");
    clearFinishedJobs();
    load(sunspots);
    QCOMPARE(m_series->dataPage()->previewModel()->rowCount(), 500);  // the first rows only
    QVERIFY(m_series->dataPage()->summary()->text().contains(QLatin1String("first 500 rows")));
    SeriesTrainPage *page = m_series->trainPage();
    QCOMPARE(page->targets(), QStringList{QStringLiteral("sunspots")});
    SchemaForm *form = page->form();
    form->setValue(QStringLiteral("name"), QStringLiteral("gui-sunspots"));
    form->setValue(QStringLiteral("model"), QStringLiteral("mlp"));
    form->setValue(QStringLiteral("window"), 24);
    form->setValue(QStringLiteral("horizon"), 24);
    form->setValue(QStringLiteral("hidden"), 32);
    form->setValue(QStringLiteral("layers"), 1);
    form->setValue(QStringLiteral("epochs"), 15);
    form->setValue(QStringLiteral("loss"), QStringLiteral("mae"));
    form->setValue(QStringLiteral("lr"), 0.003);
    QSignalSpy trained(m_series, &TimeSeriesWorkspace::moduleTrained);
    QVERIFY(!page->startTraining().isEmpty());
    QVERIFY(trained.wait(60000));
    QSignalSpy shown(m_series->forecastPage(), &ForecastPage::forecastShown);
    QVERIFY(!m_series->forecastPage()->forecast().isEmpty());
    QVERIFY(shown.wait(30000));
    QCOMPARE(m_series->forecastPage()->data().observedRows, qsizetype(3177));
    // The file's one decimal in every row of the alerts table (issue 17 item 13: not 80.1
    // beside 131.501 and 51).
    AlertTableModel *alerts = m_series->forecastPage()->alertModel();
    QVERIFY(alerts->rowCount() > 0);
    for (int row = 0; row < alerts->rowCount(); ++row)
        for (int column : {int(AlertTableModel::ObservedColumn), int(AlertTableModel::ExpectedColumn)}) {
            const QString text = alerts->data(alerts->index(row, column)).toString();
            QVERIFY2(QRegularExpression(QStringLiteral("^-?\\d+\\.\\d$")).match(text).hasMatch(), qPrintable(text));
        }
    QTest::qWait(150);
    QVERIFY(m_window->grab().save(QStringLiteral(DW_BUILD_DIR "/screenshots/timeseries-sunspots-1366x768.png")));
}

void TestTimeSeriesWorkspace::cancelThenResumeTraining()
{
    load(file(QStringLiteral("series.csv")));
    SeriesTrainPage *page = m_series->trainPage();
    m_series->tabs()->setCurrentWidget(page);
    page->setTargets({QStringLiteral("value")});
    page->setInputs({});
    SchemaForm *form = page->form();
    form->setValue(QStringLiteral("name"), QStringLiteral("gui-cancelled"));
    form->setValue(QStringLiteral("model"), QStringLiteral("mlp"));
    form->setValue(QStringLiteral("window"), 12);
    form->setValue(QStringLiteral("horizon"), 1);
    form->setValue(QStringLiteral("hidden"), 16);
    form->setValue(QStringLiteral("layers"), 1);
    form->setValue(QStringLiteral("epochs"), 5000);  // far more than the test waits for
    form->setValue(QStringLiteral("patience"), 0);
    QSignalSpy stopped(page, &SeriesTrainPage::trainingStopped);
    QSignalSpy trained(m_series, &TimeSeriesWorkspace::moduleTrained);
    QVERIFY(!page->startTraining().isEmpty());
    QVERIFY(!page->trainButton()->isEnabled());  // one run at a time
    // Cancel once an epoch's checkpoint is written: the run stops, Resume is offered.
    QTRY_VERIFY_WITH_TIMEOUT(page->monitor()->curves()->epochCount() >= 2, 30000);
    QTest::mouseClick(page->monitor()->cancelButton(), Qt::LeftButton);
    QVERIFY(stopped.wait(30000));
    QTRY_VERIFY_WITH_TIMEOUT(page->monitor()->resumeButton()->isEnabled(), 5000);
    QVERIFY(page->trainButton()->isEnabled());
    const int before = page->monitor()->curves()->epochCount();
    QVERIFY(before >= 2 && before < 5000);
    // Resume goes on from the checkpoint; cancelled again so that the suite stays short.
    QTest::mouseClick(page->monitor()->resumeButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(page->monitor()->curves()->epochCount() > before, 30000);
    const QStringList log = m_window->context().jobs().job(page->monitor()->jobId()).log;
    QVERIFY2(log.join(QLatin1Char('\n')).contains(QLatin1String("resuming after epoch")),
             qPrintable(log.join(QLatin1Char('\n'))));
    page->monitor()->cancelButton()->click();
    QVERIFY(stopped.wait(30000));
    QCOMPARE(trained.size(), 0);
}

void TestTimeSeriesWorkspace::retrainsFromACatalogModule()
{
    load(file(QStringLiteral("series.csv")));
    SeriesTrainPage *page = m_series->trainPage();
    m_series->tabs()->setCurrentWidget(page);
    page->refreshParents();
    // gui-series (trainsAModuleFromTheGui) is offered; choosing it fills its network and columns.
    QVERIFY(page->setParentModule(QStringLiteral("gui-series")));
    SchemaForm *form = page->form();
    QCOMPARE(form->value(QStringLiteral("model")).toString(), QStringLiteral("mlp"));
    QCOMPARE(form->value(QStringLiteral("window")).toInt(), 12);
    QCOMPARE(form->value(QStringLiteral("horizon")).toInt(), 6);
    QCOMPARE(page->targets(), QStringList{QStringLiteral("value")});
    QCOMPARE(page->inputs(), QStringList{QStringLiteral("other")});
    form->setValue(QStringLiteral("name"), QStringLiteral("gui-series-child"));
    form->setValue(QStringLiteral("epochs"), 2);
    form->setValue(QStringLiteral("freeze"), QStringLiteral("head"));
    QSignalSpy trained(m_series, &TimeSeriesWorkspace::moduleTrained);
    QSignalSpy stopped(page, &SeriesTrainPage::trainingStopped);
    QVERIFY(!page->startTraining().isEmpty());
    QVERIFY2(trained.wait(60000), stopped.isEmpty() ? "no signal" : qPrintable(stopped.first().first().toString()));
    const CatalogEntry *entry = m_window->context().catalog().find(QStringLiteral("gui-series-child"));
    QVERIFY(entry);
    QCOMPARE(entry->manifest.parent, QStringLiteral("gui-series"));
    QCOMPARE(entry->manifest.hyperParameters.value(QStringLiteral("freeze")).toString(), QStringLiteral("head"));
    QVERIFY(page->setParentModule(QString()));
}

// Issue 17 item 13: a series that is never negative (sunspots) gets no band below zero; one
// that goes negative keeps its band as the model gives it.
void TestTimeSeriesWorkspace::bandOfANonNegativeSeriesStaysAboveZero()
{
    const auto lowest = [](QCPGraph *graph) {
        double low = 1e300;
        for (auto it = graph->data()->constBegin(); it != graph->data()->constEnd(); ++it)
            low = std::min(low, it->value);
        return low;
    };
    for (const double offset : {0.0, -5.0}) {
        ForecastData data;
        data.result.targets = {QStringLiteral("count")};
        data.result.timestamps = {QStringLiteral("1"), QStringLiteral("2"), QStringLiteral("3"), QStringLiteral("4")};
        data.result.observed = {QVector<double>{2.0 + offset, 0.0 + offset, 1.0 + offset, qQNaN()}};
        data.result.forecast = {QVector<double>{qQNaN(), 1.0 + offset, 0.5 + offset, 0.4 + offset}};
        data.result.lower = {QVector<double>{qQNaN(), -1.0 + offset, -1.5 + offset, -2.0 + offset}};
        data.result.upper = {QVector<double>{qQNaN(), 3.0 + offset, 2.5 + offset, 2.4 + offset}};
        data.x = {1, 2, 3, 4};
        data.observedRows = 3;
        SeriesPlot plot;
        const QList<TargetGraphs> graphs = ForecastPlotter::plot(&plot, data);
        QCOMPARE(graphs.size(), 1);
        QCOMPARE(lowest(graphs.first().lower), offset == 0.0 ? 0.0 : -2.0 + offset);
    }
}

// The decimals of a number as the workspace writes it ("10.842" → 3, "51" → 0).
static int decimalsIn(const QString &text)
{
    const qsizetype dot = text.indexOf(QLatin1Char('.'));
    return dot < 0 ? 0 : int(text.size() - dot - 1);
}

// Issue 17 item 13: each series is written with one number of decimals everywhere: the data
// preview, the alerts table and its tooltips, the plot's tooltip; the value axes' ticks are
// even too.
void TestTimeSeriesWorkspace::numbersHaveEvenDecimals()
{
    ForecastPage *page = m_series->forecastPage();
    const ForecastData &data = page->data();
    QCOMPARE(data.decimals.size(), 1);
    // The fixture writes five decimals around 10 with a spread of about 6: four significant
    // digits of the spread are three decimals.
    const int d = data.decimalsOf(0);
    QCOMPARE(d, 3);
    AlertTableModel *alerts = page->alertModel();
    QVERIFY(alerts->rowCount() >= 1);
    for (int row = 0; row < alerts->rowCount(); ++row) {
        for (int column : {int(AlertTableModel::ObservedColumn), int(AlertTableModel::ExpectedColumn)}) {
            const QString text = alerts->data(alerts->index(row, column)).toString();
            QVERIFY2(decimalsIn(text) == d, qPrintable(text));
        }
        QCOMPARE(alerts->data(alerts->index(row, AlertTableModel::ScoreColumn)).toString().size() -
                     alerts->data(alerts->index(row, AlertTableModel::ScoreColumn)).toString().indexOf(u'.') - 1,
                 2);
        const QString tip = alerts->data(alerts->index(row, 0), Qt::ToolTipRole).toString();
        const QString expected = SeriesFormat::number(alerts->alerts().at(row).expected, d);
        QVERIFY2(tip.contains(QLatin1Char(' ') + expected + QLatin1Char(' ')), qPrintable(tip));
    }
    // The data preview writes the same column with the same decimals.
    TablePreviewModel *preview = m_series->dataPage()->previewModel();
    for (int row = 0; row < preview->rowCount(); ++row) {
        const QString text = preview->data(preview->index(row, 1)).toString();
        QVERIFY2(decimalsIn(text) == d, qPrintable(text));
    }
    // The plot's tooltip of the spike's row: the same decimals, the alert named.
    const QString tip = page->pointText(0, kSpikeRow);
    QVERIFY2(tip.startsWith(QLatin1String("2020-10-07\nvalue: observed ")), qPrintable(tip));
    QVERIFY2(tip.contains(QLatin1String("alert (score")), qPrintable(tip));
    static const QRegularExpression numbers(QStringLiteral("-?\\d+(?:\\.\\d+)?"));
    int seen = 0;
    for (const QString &line : tip.split(QLatin1Char('\n')).mid(1)) {
        for (QString part : line.split(QStringLiteral(", "))) {
            if (part.contains(QLatin1String("score")))
                continue;
            for (auto it = numbers.globalMatch(part); it.hasNext(); ++seen)
                QCOMPARE(decimalsIn(it.next().captured()), d);
        }
    }
    QVERIFY2(seen >= 4, qPrintable(tip));  // observed, forecast, the band's two edges
    QVERIFY(page->pointText(0, qsizetype(kRows + 2)).contains(QLatin1String("forecast ahead")));
    // Tick labels: one number of decimals per axis.
    page->plot()->replot();
    QCPAxis *values = page->plot()->panel(0)->axis(QCPAxis::atLeft);
    QVERIFY(dynamic_cast<EvenDecimalsTicker *>(values->ticker().data()));
    for (const QCPRange &range : {QCPRange(8, 15), QCPRange(8.2, 9.1), QCPRange(-0.03, 0.07)}) {
        values->setRange(range);
        page->plot()->replot();
        const QVector<QString> labels = values->tickVectorLabels();
        QVERIFY(labels.size() >= 3);
        for (const QString &label : labels)
            QVERIFY2(decimalsIn(label) == decimalsIn(labels.first()),
                     qPrintable(QStringList(labels.begin(), labels.end()).join(QLatin1Char(' '))));
        QVERIFY(!labels.contains(QStringLiteral("-0.00")) && !labels.contains(QStringLiteral("-0.0")));
    }
    page->fit();
}

// Issue 17 item 13: the alert chosen in the table is ringed on the plot, with a line at its
// time; the ring moves with the selection and goes with it.
void TestTimeSeriesWorkspace::selectedAlertIsMarkedOnThePlot()
{
    ForecastPage *page = m_series->forecastPage();
    QTableView *view = page->alertView();
    const QList<AnomalyAlert> &alerts = page->alertModel()->alerts();
    QVERIFY(alerts.size() >= 2);
    view->clearSelection();
    QVERIFY(!page->selectedAlertMarker());
    QVERIFY(!page->selectedAlertLine());
    for (const int row : {0, int(alerts.size()) - 1}) {
        view->selectRow(row);
        QCPGraph *ring = page->selectedAlertMarker();
        QVERIFY(ring);
        QCOMPARE(ring->data()->size(), 1);
        QCOMPARE(ring->data()->at(0)->key, alerts.at(row).time);
        QCOMPARE(ring->data()->at(0)->value, alerts.at(row).observed);
        QCOMPARE(ring->valueAxis(), page->plot()->panel(0)->axis(QCPAxis::atLeft));
        QCOMPARE(ring->scatterStyle().shape(), QCPScatterStyle::ssCircle);
        QVERIFY(ring->scatterStyle().size() > page->graphs().first().critical->scatterStyle().size());
        QCPItemStraightLine *line = page->selectedAlertLine();
        QVERIFY(line);
        QCOMPARE(line->point1->coords().x(), alerts.at(row).time);
        QCOMPARE(line->point2->coords().x(), alerts.at(row).time);
        // Only one ring at a time.
        int rings = 0;
        for (int i = 0; i < page->plot()->graphCount(); ++i)
            rings += page->plot()->graph(i)->name() == QLatin1String("selected alert") ? 1 : 0;
        QCOMPARE(rings, 1);
    }
    const int graphs = page->plot()->graphCount();
    const int items = page->plot()->itemCount();
    view->clearSelection();
    QVERIFY(!page->selectedAlertMarker());
    QVERIFY(!page->selectedAlertLine());
    QCOMPARE(page->plot()->graphCount(), graphs - 1);
    QCOMPARE(page->plot()->itemCount(), items - 1);
    // A new forecast starts without a ring.
    view->selectRow(0);
    QVERIFY(page->selectedAlertMarker());
    QSignalSpy shown(page, &ForecastPage::forecastShown);
    QVERIFY(!page->forecast().isEmpty());
    QVERIFY(shown.wait(30000));
    QVERIFY(!page->selectedAlertMarker());
    QVERIFY(!page->selectedAlertLine());
    QVERIFY(view->selectionModel()->selectedRows().isEmpty());
    page->fit();
}

// Issue 17 item 13: the Results page says how the module scored against the naive forecast.
void TestTimeSeriesWorkspace::resultsPageShowsMaeAgainstNaive()
{
    ForecastPage *page = m_series->forecastPage();
    QVERIFY(page->selectModule(QStringLiteral("gui-series")));
    const CatalogEntry *entry = m_window->context().catalog().find(QStringLiteral("gui-series"));
    QVERIFY(entry);
    const QJsonObject metrics = entry->manifest.metrics;
    QCOMPARE(metrics.value(QStringLiteral("scored_on")).toString(), QStringLiteral("test"));
    const double mae = metrics.value(QStringLiteral("mae")).toDouble();
    const double naive = metrics.value(QStringLiteral("naive_mae")).toDouble();
    QVERIFY(mae > 0 && naive > 0);
    const int d = SeriesFormat::significantDecimals(std::max(mae, naive), 3);
    const double gain = 1.0 - mae / naive;
    const QString verdict = std::lround(std::abs(gain) * 100) == 0
                                ? QStringLiteral("the same")
                                : QStringLiteral("%1 % %2")
                                      .arg(std::lround(std::abs(gain) * 100))
                                      .arg(gain > 0 ? QStringLiteral("better") : QStringLiteral("worse"));
    const QString sentence = QStringLiteral("Test MAE %1 vs %2 for the naive forecast (%3)")
                                 .arg(SeriesFormat::number(mae, d), SeriesFormat::number(naive, d), verdict);
    QLabel *label = page->metricsLabel();
    QCOMPARE(label, page->findChild<QLabel *>(QStringLiteral("moduleMetrics")));
    QVERIFY2(label->text().startsWith(sentence), qPrintable(label->text() + QStringLiteral(" / ") + sentence));
    QVERIFY2(label->text().contains(QStringLiteral("Periods of series.csv: train rows 1–180, validation rows "
                                                   "181–240, test rows 241–300.")),
             qPrintable(label->text()));
    QVERIFY(label->isVisibleTo(page));
}

// Issue 17 item 13: the plot of the module's own training file shows its training,
// validation and test periods as tinted spans that meet half-way between two rows.
void TestTimeSeriesWorkspace::plotMarksTheTrainingPeriods()
{
    load(file(QStringLiteral("series.csv")));
    ForecastPage *page = m_series->forecastPage();
    QVERIFY(page->selectModule(QStringLiteral("gui-series")));
    QSignalSpy shown(page, &ForecastPage::forecastShown);
    QVERIFY(!page->forecast().isEmpty());
    QVERIFY(shown.wait(30000));
    const ForecastData &data = page->data();
    QCOMPARE(data.periods.size(), 3);
    const QList<std::tuple<QString, int, int>> expected{{QStringLiteral("train"), 0, 180},
                                                        {QStringLiteral("validation"), 180, 240},
                                                        {QStringLiteral("test"), 240, 300}};
    const QVector<double> &x = data.x;
    const double day = 86400;
    QCOMPARE(x.at(1) - x.at(0), day);
    const TargetGraphs &g = page->graphs().first();
    QCOMPARE(g.periods.size(), 3);
    QCOMPARE(g.periodNames.size(), 3);
    for (int i = 0; i < 3; ++i) {
        const auto &[name, begin, end] = expected.at(i);
        QCOMPARE(data.periods.at(i).name, name);
        QCOMPARE(data.periods.at(i).begin, qsizetype(begin));
        QCOMPARE(data.periods.at(i).end, qsizetype(end));
        // From half a day before its first row to half a day after its last.
        QCPItemRect *span = g.periods.at(i);
        QCOMPARE(span->objectName(), name);
        QCOMPARE(span->topLeft->coords().x(), x.at(begin) - day / 2);
        QCOMPARE(span->bottomRight->coords().x(), x.at(end - 1) + day / 2);
        QCOMPARE(span->clipAxisRect(), page->plot()->panel(0));
        QCOMPARE(span->brush().color(), ForecastPlotter::periodColour(name));
        QCOMPARE(g.periodNames.at(i)->text(), name);
        QCOMPARE(g.periodNames.at(i)->position->coords().x(), (x.at(begin) + x.at(end - 1)) / 2);
    }
    // They meet: no gap, no overlap.
    QCOMPARE(g.periods.at(0)->bottomRight->coords().x(), g.periods.at(1)->topLeft->coords().x());
    QCOMPARE(g.periods.at(1)->bottomRight->coords().x(), g.periods.at(2)->topLeft->coords().x());
    // The spans stay behind the lines.
    QVERIFY(g.periods.first()->layer()->index() < g.observed->layer()->index());
}

void TestTimeSeriesWorkspace::seriesFormatPicksOneDecimalsPerSeries()
{
    QCOMPARE(SeriesFormat::dataDecimals(QVector<double>{96.7, 51, 36, 152.7}.constData(), 4), 1);
    QCOMPARE(SeriesFormat::dataDecimals(QVector<double>{1, 2, 3}.constData(), 3), 0);
    QCOMPARE(SeriesFormat::dataDecimals(QVector<double>{0.1 + 0.2}.constData(), 1), 1);  // written 0.3
    QCOMPARE(SeriesFormat::dataDecimals(QVector<double>{1.0 / 3}.constData(), 1), SeriesFormat::kMaxDecimals);
    // Sunspots: one decimal in the file, a spread of hundreds.
    QCOMPARE(SeriesFormat::decimals(QVector<double>{96.7, 51, 36, 152.7, 0, 398.2}), 1);
    // Five decimals in the file, a spread of 2: three.
    QCOMPARE(SeriesFormat::decimals(QVector<double>{9.01234, 11.04321, qQNaN()}), 3);
    // Counts: one decimal, so that a forecast between two counts shows.
    QCOMPARE(SeriesFormat::decimals(QVector<double>{3, 40, 12}), 1);
    // Large values: none.
    QCOMPARE(SeriesFormat::decimals(QVector<double>{12000.5, 25000.25}), 0);
    // Small values: enough.
    QCOMPARE(SeriesFormat::decimals(QVector<double>{0.0123, 0.0456, 0.0311}), 4);
    QCOMPARE(SeriesFormat::decimals(QVector<double>{qQNaN()}), 2);
    QCOMPARE(SeriesFormat::number(-0.0004, 3), QStringLiteral("0.000"));
    QCOMPARE(SeriesFormat::number(51, 1), QStringLiteral("51.0"));
    QCOMPARE(SeriesFormat::number(qQNaN(), 1), QString());
    QCOMPARE(SeriesFormat::significantDecimals(18.9), 1);
    QCOMPARE(SeriesFormat::significantDecimals(0.0911), 4);
    QCOMPARE(EvenDecimalsTicker::decimalsFor(2.5), 1);
    QCOMPARE(EvenDecimalsTicker::decimalsFor(5), 0);
    QCOMPARE(EvenDecimalsTicker::decimalsFor(0.025), 3);
    // The alerts table alone (the live page before it knows the series): from the alerts.
    AlertTableModel model;
    AnomalyAlert a;
    a.target = QStringLiteral("sunspots");
    a.observed = 80.1;
    a.expected = 131.501;
    AnomalyAlert b = a;
    b.observed = 51;
    b.expected = 100.92;
    model.setAlerts({a, b});
    QCOMPARE(model.data(model.index(1, AlertTableModel::ObservedColumn)).toString(), QStringLiteral("51.00"));
    QCOMPARE(model.data(model.index(0, AlertTableModel::ExpectedColumn)).toString(), QStringLiteral("131.50"));
    // ... unless the page knows the series' own (one decimal in the sunspots file).
    model.setDecimals({{QStringLiteral("sunspots"), 1}});
    QCOMPARE(model.data(model.index(0, AlertTableModel::ObservedColumn)).toString(), QStringLiteral("80.1"));
    QCOMPARE(model.data(model.index(1, AlertTableModel::ObservedColumn)).toString(), QStringLiteral("51.0"));
    QCOMPARE(model.data(model.index(0, AlertTableModel::ExpectedColumn)).toString(), QStringLiteral("131.5"));
}

void TestTimeSeriesWorkspace::metricsTextSaysMaeAgainstNaive()
{
    ModuleManifest manifest;
    manifest.metrics = QJsonObject{{QStringLiteral("scored_on"), QStringLiteral("test")},
                                   {QStringLiteral("mae"), 12.3},
                                   {QStringLiteral("naive_mae"), 18.9}};
    QCOMPARE(ForecastPage::metricsText(manifest),
             QStringLiteral("Test MAE 12.3 vs 18.9 for the naive forecast (35 % better)"));
    // Worse than naive, on the validation rows.
    manifest.metrics = QJsonObject{{QStringLiteral("scored_on"), QStringLiteral("validation")},
                                   {QStringLiteral("mae"), 0.0523},
                                   {QStringLiteral("naive_mae"), 0.0461}};
    QCOMPARE(ForecastPage::metricsText(manifest),
             QStringLiteral("Validation MAE 0.0523 vs 0.0461 for the naive forecast (13 % worse)"));
    // Two targets: one sentence each, the naive MAE read from the baselines.
    const auto target = [](const QString &name, double mae, double naive) {
        return QJsonObject{{QStringLiteral("target"), name},
                           {QStringLiteral("mae"), mae},
                           {QStringLiteral("baselines"),
                            QJsonObject{{QStringLiteral("naive"), QJsonObject{{QStringLiteral("mae"), naive}}}}}};
    };
    manifest.metrics = QJsonObject{{QStringLiteral("scored_on"), QStringLiteral("test")},
                                   {QStringLiteral("targets"), QJsonArray{target(QStringLiteral("flow"), 2.0, 4.0),
                                                                          target(QStringLiteral("rain"), 1.5, 1.5)}}};
    manifest.trainingData = QJsonObject{
        {QStringLiteral("file"), QStringLiteral("river.csv")},
        {QStringLiteral("split"),
         QJsonObject{
             {QStringLiteral("train"), QJsonObject{{QStringLiteral("begin"), 0}, {QStringLiteral("end"), 70}}},
             {QStringLiteral("validation"), QJsonObject{{QStringLiteral("begin"), 70}, {QStringLiteral("end"), 85}}},
             {QStringLiteral("test"), QJsonObject{{QStringLiteral("begin"), 85}, {QStringLiteral("end"), 100}}}}}};
    QCOMPARE(ForecastPage::metricsText(manifest),
             QStringLiteral("flow: Test MAE 2.00 vs 4.00 for the naive forecast (50 % better)<br>"
                            "rain: Test MAE 1.50 vs 1.50 for the naive forecast (the same)<br>"
                            "Periods of river.csv: train rows 1–70, validation rows 71–85, test rows 86–100."));
    // No naive figure; no scores at all.
    manifest.metrics = QJsonObject{{QStringLiteral("mae"), 3.25}};
    manifest.trainingData = {};
    QCOMPARE(ForecastPage::metricsText(manifest), QStringLiteral("Test MAE 3.25 (no naive forecast to compare with)"));
    manifest.metrics = {};
    QCOMPARE(ForecastPage::metricsText(manifest), QString());
}

void TestTimeSeriesWorkspace::periodsOnlyForTheTrainingFile()
{
    const QJsonObject training{
        {QStringLiteral("file"), QStringLiteral("series.csv")},
        {QStringLiteral("rows"), 100},
        {QStringLiteral("split"),
         QJsonObject{
             {QStringLiteral("train"), QJsonObject{{QStringLiteral("begin"), 0}, {QStringLiteral("end"), 70}}},
             {QStringLiteral("validation"), QJsonObject{{QStringLiteral("begin"), 70}, {QStringLiteral("end"), 100}}},
             {QStringLiteral("test"), QJsonObject{{QStringLiteral("begin"), 100}, {QStringLiteral("end"), 100}}}}}};
    const QList<ForecastPeriod> periods = ForecastData::periodsOf(training, QStringLiteral("/data/series.csv"), 100);
    QCOMPARE(periods.size(), 2);  // no test part: no span for it
    QCOMPARE(periods.at(1).name, QStringLiteral("validation"));
    QCOMPARE(periods.at(1).begin, qsizetype(70));
    QCOMPARE(periods.at(1).end, qsizetype(100));
    QVERIFY(ForecastData::periodsOf(training, QStringLiteral("/data/other.csv"), 100).isEmpty());
    QVERIFY(ForecastData::periodsOf(training, QStringLiteral("/data/series.csv"), 120).isEmpty());
    QVERIFY(ForecastData::periodsOf({}, QStringLiteral("/data/series.csv"), 100).isEmpty());
    // Without a time column the rows are the axis: spans meet at n + 0.5.
    ForecastData data;
    data.result.targets = {QStringLiteral("count")};
    data.result.timestamps = {QStringLiteral("1"), QStringLiteral("2"), QStringLiteral("3"), QStringLiteral("4")};
    data.result.observed = {QVector<double>{2.0, 0.0, 1.0, qQNaN()}};
    data.result.forecast = {QVector<double>{qQNaN(), 1.0, 0.5, 0.4}};
    data.x = {1, 2, 3, 4};
    data.observedRows = 3;
    data.periods = {{QStringLiteral("train"), 0, 2}, {QStringLiteral("test"), 2, 3}};
    SeriesPlot plot;
    const QList<TargetGraphs> graphs = ForecastPlotter::plot(&plot, data);
    QCOMPARE(graphs.first().periods.size(), 2);
    QCOMPARE(graphs.first().periods.at(0)->topLeft->coords().x(), 0.5);
    QCOMPARE(graphs.first().periods.at(0)->bottomRight->coords().x(), 2.5);
    QCOMPARE(graphs.first().periods.at(1)->bottomRight->coords().x(), 3.5);
}

QTEST_MAIN(TestTimeSeriesWorkspace)
#include "test_timeseries_workspace.moc"
