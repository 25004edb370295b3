#pragma once
// The Results tab of the time-series workspace: a time-series module of the catalog, the
// loaded CSV forecast by it in a job (observed, forecast, band, the future, alert markers,
// one panel per target, the module's training/validation/test periods behind them when the
// file is its training file), the alerts in a table (a selected row is ringed on the plot,
// which centres on it), Fit, and the alerts exported as CSV or JSON through
// AnomalyDetector's writers. Above the plot, the module's test MAE against the naive
// forecast's, in words; over the plot, a tooltip with the values of the nearest row.
#include "ui/timeseries/forecast_data.h"
#include "ui/timeseries/forecast_plotter.h"
#include "ui/timeseries/imported_csv.h"

#include <QPointer>
#include <QWidget>
#include <qcustomplot.h>

class QComboBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QTableView;

namespace dw {

struct CatalogEntry;
struct ModuleManifest;
class AlertTableModel;
class SeriesPlot;
class WorkbenchContext;

class ForecastPage : public QWidget {
    Q_OBJECT
public:
    explicit ForecastPage(WorkbenchContext &context, QWidget *parent = nullptr);

    void setCsv(const ImportedCsv &csv)
    {
        m_csv = csv;
        updateActions();
    }
    bool hasCsv() const { return !m_csv.isNull(); }
    // Rebuilds the module list from the catalog (keeps the selection, or takes `select`).
    void refreshModules(const QString &select = {});
    bool selectModule(const QString &id);
    QString selectedModule() const;  // its id, empty when none
    // The forecast job's id, or empty after a message saying why not.
    QString forecast();
    // Writes the alerts shown (CSV, or JSON for *.json) in a job; its id.
    QString exportAlerts(const QString &path);
    void fit();

    const ForecastData &data() const { return m_data; }
    const QList<TargetGraphs> &graphs() const { return m_graphs; }
    SeriesPlot *plot() const { return m_plot; }
    QTableView *alertView() const { return m_alertView; }
    AlertTableModel *alertModel() const { return m_alerts; }
    QComboBox *moduleBox() const { return m_moduleBox; }
    QLabel *metricsLabel() const { return m_metrics; }
    // The ring and the line on the selected alert; null while no alert is selected.
    QCPGraph *selectedAlertMarker() const { return m_selectedMarker; }
    QCPItemStraightLine *selectedAlertLine() const { return m_selectedLine; }
    // What the plot's tooltip says of a row (its time, the target's observation, forecast
    // and band, an alert there), in the target's decimals.
    QString pointText(int target, qsizetype row) const;

    // A module's scores in words: "Test MAE 12.3 vs 18.9 for the naive forecast (35 %
    // better)", one such line per target, then the rows of its training periods. Empty for
    // a module that recorded none.
    static QString metricsText(const ModuleManifest &manifest);

Q_SIGNALS:
    void moduleSelected(const QString &id);  // empty when none
    void forecastShown(int alerts);
    void alertsExported(const QString &path);
    void failed(const QString &message);

private:
    const CatalogEntry *selectedEntry() const;
    void show(ForecastData data);
    void updateActions();
    void chooseExport(const QString &format);
    void centreOnAlert(int row);
    void markAlert(int row);  // -1: no mark
    void showPointAt(const QPoint &pos);
    void updateMetrics();

    WorkbenchContext &m_context;
    ImportedCsv m_csv;
    ForecastData m_data;
    QList<TargetGraphs> m_graphs;
    QComboBox *m_moduleBox = nullptr;
    QPushButton *m_forecast = nullptr;
    QPushButton *m_fit = nullptr;
    QPushButton *m_exportCsv = nullptr;
    QPushButton *m_exportJson = nullptr;
    QProgressBar *m_busy = nullptr;
    QLabel *m_note = nullptr;
    QLabel *m_metrics = nullptr;
    SeriesPlot *m_plot = nullptr;
    QTableView *m_alertView = nullptr;
    AlertTableModel *m_alerts = nullptr;
    QPointer<QCPGraph> m_selectedMarker;  // gone with the plot's reset too
    QPointer<QCPItemStraightLine> m_selectedLine;
    QString m_job;
};

}  // namespace dw
