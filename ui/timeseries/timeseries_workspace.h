#pragma once
// Time series: a CSV/TSV file of series opened (or dropped) and imported by a job, previewed
// (Data), a forecaster trained on its columns (Train), a trained module's forecast over it
// with the prediction band and the alerts (Results), and the module watching a live stream
// from a growing file or a socket (Live). Everything goes through the
// time-series task plugin's interface, as the CLI does; nothing heavy on the GUI thread.
#include "ui/timeseries/imported_csv.h"
#include "ui/workspace.h"

class QTabWidget;
class QToolBar;

namespace dw {

class ForecastPage;
class LivePage;
class SeriesDataPage;
class SeriesTrainPage;

class TimeSeriesWorkspace : public Workspace {
    Q_OBJECT
public:
    explicit TimeSeriesWorkspace(WorkbenchContext &context, QWidget *parent = nullptr);

    QString id() const override { return QStringLiteral("timeseries"); }
    QString title() const override { return tr("Time Series"); }
    QIcon icon() const override;
    QString description() const override { return tr("Preview, train on and forecast CSV series, with alerts"); }
    QList<QToolBar *> toolBars() const override { return {m_toolBar}; }
    bool handleDrop(const QList<QUrl> &urls) override;
    QString dropHint() const override;

    // Imports a CSV/TSV file in a job; its id. The file shown so far stays until the new
    // one has been read; a file that cannot be read is named in a message.
    QString openCsv(const QString &path);
    static bool isTableFile(const QString &path);

    const ImportedCsv &csv() const { return m_csv; }
    SeriesDataPage *dataPage() const { return m_data; }
    SeriesTrainPage *trainPage() const { return m_train; }
    ForecastPage *forecastPage() const { return m_forecast; }
    LivePage *livePage() const { return m_live; }
    QTabWidget *tabs() const { return m_tabs; }

Q_SIGNALS:
    void csvLoaded(qint64 rows);
    void csvFailed(const QString &message);
    void moduleTrained(const QString &id);  // in the catalog and selected on the Results tab

private:
    void chooseCsv();
    void setCsv(const ImportedCsv &csv);
    void selectWhenScanned(const QString &id);

    QToolBar *m_toolBar = nullptr;
    QTabWidget *m_tabs = nullptr;
    SeriesDataPage *m_data = nullptr;
    SeriesTrainPage *m_train = nullptr;
    ForecastPage *m_forecast = nullptr;
    LivePage *m_live = nullptr;
    ImportedCsv m_csv;
};

}  // namespace dw
