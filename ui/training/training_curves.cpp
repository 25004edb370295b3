#include "ui/training/training_curves.h"

#include "core/ml/training_history.h"

#include <QHBoxLayout>
#include <qcustomplot.h>

#include <cmath>

namespace dw {

namespace {

QCPGraph *addGraph(QCustomPlot *plot, const QString &name, const QColor &colour, bool dots, QCPAxis *valueAxis = nullptr)
{
    QCPGraph *graph = plot->addGraph(plot->xAxis, valueAxis ? valueAxis : plot->yAxis);
    graph->setName(name);
    graph->setPen(QPen(colour, dots ? 2.0 : 1.0));
    if (dots)
        graph->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, 5));
    return graph;
}

QCustomPlot *makePlot(QWidget *parent, const QString &objectName, const QString &yLabel)
{
    auto *plot = new QCustomPlot(parent);
    plot->setObjectName(objectName);
    plot->setMinimumSize(260, 180);
    plot->xAxis->setLabel(QObject::tr("epoch"));
    plot->yAxis->setLabel(yLabel);
    plot->legend->setVisible(true);
    QFont font = plot->legend->font();
    font.setPointSizeF(font.pointSizeF() * 0.85);
    plot->legend->setFont(font);
    plot->legend->setBrush(QColor(255, 255, 255, 210));
    return plot;
}

}  // namespace

TrainingCurves::TrainingCurves(QWidget *parent) : QWidget(parent)
{
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_loss = makePlot(this, QStringLiteral("lossCurves"), tr("loss"));
    m_accuracy = makePlot(this, QStringLiteral("accuracyCurves"), tr("accuracy (%)"));
    m_accuracy->yAxis2->setVisible(true);
    m_accuracy->yAxis2->setLabel(tr("learning rate"));
    m_accuracy->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignBottom | Qt::AlignRight);
    layout->addWidget(m_loss);
    layout->addWidget(m_accuracy);

    m_batchLoss = addGraph(m_loss, tr("training (batches)"), QColor(150, 180, 220), false);
    m_trainLoss = addGraph(m_loss, tr("training"), QColor(31, 119, 180), true);
    m_valLoss = addGraph(m_loss, tr("validation"), QColor(214, 39, 40), true);
    m_trainAccuracy = addGraph(m_accuracy, tr("training"), QColor(31, 119, 180), true);
    m_valAccuracy = addGraph(m_accuracy, tr("validation"), QColor(214, 39, 40), true);
    m_lr = addGraph(m_accuracy, tr("learning rate"), QColor(120, 120, 120), false, m_accuracy->yAxis2);
    m_lr->setPen(QPen(QColor(120, 120, 120), 1.0, Qt::DashLine));
    clear();
}

void TrainingCurves::clear()
{
    for (QCustomPlot *plot : {m_loss, m_accuracy})
        for (int i = 0; i < plot->graphCount(); ++i)
            plot->graph(i)->data()->clear();
    m_epochs = 0;
    rescale();
}

void TrainingCurves::addEpoch(const EpochPoint &p)
{
    m_epochs = std::max(m_epochs, p.epochs);
    const auto put = [&p](QCPGraph *graph, double value) {
        graph->data()->remove(p.epoch);
        if (std::isfinite(value))
            graph->addData(p.epoch, value);
    };
    put(m_trainLoss, p.trainLoss);
    put(m_valLoss, p.valLoss);
    put(m_trainAccuracy, p.trainAccuracy * 100.0);
    put(m_valAccuracy, p.valAccuracy * 100.0);
    put(m_lr, p.lr);
    rescale();
}

void TrainingCurves::addBatch(const BatchPoint &p)
{
    m_epochs = std::max(m_epochs, p.epochs);
    if (std::isfinite(p.loss)) {
        // A resumed or restarted run goes back in time: forget what came after.
        m_batchLoss->data()->removeAfter(p.position());
        m_batchLoss->addData(p.position(), p.loss);
    }
    rescale();
}

void TrainingCurves::setHistory(const TrainingHistory &history)
{
    clear();
    for (const EpochRecord &r : history.epochs()) {
        EpochPoint p;
        p.epoch = r.epoch;
        p.epochs = int(history.epochs().size());
        p.trainLoss = r.trainLoss;
        p.trainAccuracy = r.trainAccuracy;
        p.valLoss = r.valLoss;
        p.valAccuracy = r.valAccuracy;
        p.lr = r.lr;
        p.best = r.epoch == history.bestEpoch();
        addEpoch(p);
    }
}

int TrainingCurves::epochCount() const { return m_trainLoss->dataCount(); }

int TrainingCurves::batchCount() const { return m_batchLoss->dataCount(); }

void TrainingCurves::rescale()
{
    const double last = std::max(1, m_epochs);
    for (QCustomPlot *plot : {m_loss, m_accuracy}) {
        plot->xAxis->setRange(0, last + 0.2);
        bool found = false;
        QCPRange range = QCPRange(0, 1);
        for (int i = 0; i < plot->graphCount(); ++i) {
            QCPGraph *graph = plot->graph(i);
            if (graph->valueAxis() != plot->yAxis || graph->dataCount() == 0)
                continue;
            bool ok = false;
            const QCPRange r = graph->getValueRange(ok);
            if (ok) {
                range = found ? QCPRange(std::min(range.lower, r.lower), std::max(range.upper, r.upper)) : r;
                found = true;
            }
        }
        if (plot == m_accuracy)
            range = QCPRange(0, 100);
        else if (found)
            range = QCPRange(0, range.upper > 0 ? range.upper * 1.1 : 1.0);
        plot->yAxis->setRange(range);
    }
    // A history has no per-batch points: no legend entry for them then.
    if (m_batchLoss->dataCount() == 0)
        m_batchLoss->removeFromLegend();
    else
        m_batchLoss->addToLegend();
    bool ok = false;
    const QCPRange lr = m_lr->getValueRange(ok);
    m_accuracy->yAxis2->setRange(0, ok && lr.upper > 0 ? lr.upper * 1.1 : 1.0);
    m_loss->replot(QCustomPlot::rpQueuedReplot);
    m_accuracy->replot(QCustomPlot::rpQueuedReplot);
}

}  // namespace dw
