#pragma once
// The Live tab of the time-series workspace: the selected module watches a stream — rows
// appended to a file ("Follow File…") or lines sent over UDP/TCP ("Listen…") — through the
// plugin's StreamingTask. Lines come from a core/io LineSource on the GUI thread and go to a
// StreamWorker thread (each push is a forward pass); each point then extends the plot
// (observed, expected, band, alert markers), which keeps the last N points in view, and the
// counters of points, alerts and skipped lines. Stop ends it; the plot stays to look at.
#include "ui/timeseries/forecast_plotter.h"

#include <QHash>
#include <QList>
#include <QString>
#include <QWidget>

#include <vector>

class QCheckBox;
class QLabel;
class QPushButton;
class QSpinBox;
class QTableView;
class QThread;
class QTimer;

namespace dw {

class AlertTableModel;
class LineSource;
class SeriesPlot;
class StreamWorker;
class WorkbenchContext;
struct LivePoint;

class LivePage : public QWidget {
    Q_OBJECT
public:
    explicit LivePage(WorkbenchContext &context, QWidget *parent = nullptr);
    ~LivePage() override;

    void setModule(const QString &id);  // the module the next stream uses
    // source: a file path, or a URL ("udp://127.0.0.1:9000", "tcp://0.0.0.0:9000",
    // "file:///path"). false after a message saying why not.
    bool start(const QString &source, bool fromStart = false);
    void stop();
    bool isRunning() const { return m_source != nullptr; }
    QString description() const;  // what is watched

    qint64 points() const { return m_points; }
    qint64 alertCount() const { return m_alertCount; }
    qint64 skipped() const { return m_skipped; }
    const QList<TargetGraphs> &graphs() const { return m_graphs; }
    SeriesPlot *plot() const { return m_plot; }
    AlertTableModel *alertModel() const { return m_alerts; }
    QSpinBox *windowBox() const { return m_window; }

Q_SIGNALS:
    void streamStarted(const QString &description);
    void streamReady(const QStringList &targets);  // the module is loaded
    void pointAdded(qint64 points);
    void streamStopped();
    void failed(const QString &message);

private:
    void chooseFile();
    void chooseAddress();
    void prepare(const QStringList &targets, int warmUp);
    void add(const LivePoint &point);
    void refreshView();  // the view on the last points and the counters, at most every 40 ms
    void updateCounters();
    void updateActions();
    void fail(const QString &message);

    WorkbenchContext &m_context;
    QString m_module;
    QPushButton *m_follow = nullptr;
    QCheckBox *m_fromStart = nullptr;
    QPushButton *m_listen = nullptr;
    QPushButton *m_stop = nullptr;
    QSpinBox *m_window = nullptr;
    QLabel *m_counters = nullptr;
    QLabel *m_status = nullptr;
    SeriesPlot *m_plot = nullptr;
    QTableView *m_alertView = nullptr;
    AlertTableModel *m_alerts = nullptr;
    QList<TargetGraphs> m_graphs;
    QHash<QString, int> m_decimals;  // of each target's values in the alerts table
    QTimer *m_refresh = nullptr;

    LineSource *m_source = nullptr;  // owned (a child) while running
    QThread *m_thread = nullptr;
    StreamWorker *m_worker = nullptr;  // lives on m_thread
    std::vector<double> m_times;       // of the points shown
    qint64 m_points = 0;
    qint64 m_alertCount = 0;
    qint64 m_skipped = 0;
    int m_warmUp = 0;
    QString m_lastProblem;
};

}  // namespace dw
