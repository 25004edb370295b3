#pragma once
// Loss, accuracy and learning-rate curves of a training run, fed live (epoch points and
// per-batch running loss) or from a module's history.json. Two plots: losses (training,
// training per batch, validation) and accuracies with the learning rate on the right axis.
// Replots are queued (rpQueuedReplot), so a burst of progress costs one repaint.
#include "ui/training/training_log_parser.h"

#include <QWidget>

class QCPGraph;
class QCustomPlot;

namespace dw {

class TrainingHistory;

class TrainingCurves : public QWidget {
    Q_OBJECT
public:
    explicit TrainingCurves(QWidget *parent = nullptr);

    void clear();
    void addEpoch(const EpochPoint &point);  // replaces a point of the same epoch (resume)
    void addBatch(const BatchPoint &point);
    void setHistory(const TrainingHistory &history);

    int epochCount() const;
    int batchCount() const;
    QCustomPlot *lossPlot() const { return m_loss; }
    QCustomPlot *accuracyPlot() const { return m_accuracy; }

private:
    void rescale();

    QCustomPlot *m_loss = nullptr;
    QCustomPlot *m_accuracy = nullptr;
    QCPGraph *m_trainLoss = nullptr;
    QCPGraph *m_batchLoss = nullptr;
    QCPGraph *m_valLoss = nullptr;
    QCPGraph *m_trainAccuracy = nullptr;
    QCPGraph *m_valAccuracy = nullptr;
    QCPGraph *m_lr = nullptr;
    int m_epochs = 0;  // the run's planned epochs, for the x range
};

}  // namespace dw
