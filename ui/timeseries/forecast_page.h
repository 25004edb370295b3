#pragma once
// The Results tab of the time-series workspace: a time-series module of the catalog, the
// loaded CSV forecast by it in a job (observed, forecast, band, the future, alert markers,
// one panel per target), the alerts in a table (a row centres the plot on its alert), Fit,
// and the alerts exported as CSV or JSON through AnomalyDetector's writers.
#include "ui/timeseries/forecast_data.h"
#include "ui/timeseries/forecast_plotter.h"
#include "ui/timeseries/imported_csv.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QTableView;

namespace dw {

struct CatalogEntry;
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
    SeriesPlot *m_plot = nullptr;
    QTableView *m_alertView = nullptr;
    AlertTableModel *m_alerts = nullptr;
    QString m_job;
};

}  // namespace dw
