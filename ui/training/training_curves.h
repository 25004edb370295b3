#pragma once
// The curves of a training run, fed live from its typed progress (TrainingProgress: every
// epoch's named metrics, the running loss of each batch) or from a module's history.json.
// Two plots: the losses (training per batch, and every "*loss" metric per epoch) and the
// other metrics (accuracy in %, PSNR in dB, ...) with the learning rate on the right axis.
// A graph is made for each metric the trainer names, so every task gets its own curves.
// Replots are queued (rpQueuedReplot), so a burst of progress costs one repaint.
#include <QHash>
#include <QSet>
#include <QWidget>

class QCPGraph;
class QCustomPlot;

namespace dw {

class TrainingHistory;
struct TrainingProgress;

class TrainingCurves : public QWidget {
    Q_OBJECT
public:
    explicit TrainingCurves(QWidget *parent = nullptr);

    void clear();
    void addEpoch(const TrainingProgress &epoch);  // replaces a point of the same epoch (resume)
    void addBatch(const TrainingProgress &step);
    void setHistory(const TrainingHistory &history);

    int epochCount() const { return int(m_epochPoints.size()); }
    int batchCount() const;
    // The metric graphs by name ("val_loss", "val_accuracy", "val_psnr"): what a test looks at.
    QCPGraph *graph(const QString &metric) const { return m_graphs.value(metric); }
    QStringList metricNames() const { return m_graphs.keys(); }
    QCustomPlot *lossPlot() const { return m_loss; }
    QCustomPlot *accuracyPlot() const { return m_accuracy; }  // the plot of the metrics that are not losses

private:
    QCPGraph *graphFor(const QString &name, bool loss);
    void rescale();

    QCustomPlot *m_loss = nullptr;
    QCustomPlot *m_accuracy = nullptr;
    QCPGraph *m_batchLoss = nullptr;
    QCPGraph *m_lr = nullptr;
    QHash<QString, QCPGraph *> m_graphs;
    QSet<int> m_epochPoints;
    bool m_percent = false;  // the metric plot shows fractions as per cent
    QSet<QString> m_percentNames;
    int m_epochs = 0;  // the run's planned epochs, for the x range
};

}  // namespace dw
