#include "ui/training/training_curves.h"

#include "core/jobs/training_progress.h"
#include "core/ml/training_history.h"
#include "ui/widgets/epoch_plot.h"

#include <QHBoxLayout>
#include <qcustomplot.h>

#include <algorithm>
#include <cmath>

namespace dw {

namespace {

QCPGraph *addGraph(QCustomPlot *plot, const QString &name, const QColor &colour, bool dots,
                   QCPAxis *valueAxis = nullptr)
{
    QCPGraph *graph = plot->addGraph(plot->xAxis, valueAxis ? valueAxis : plot->yAxis);
    graph->setName(name);
    graph->setPen(QPen(colour, dots ? 2.0 : 1.0));
    if (dots)
        graph->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, 5));
    return graph;
}

// Training curves blue, validation red, anything else from a small palette.
QColor colourFor(const QString &name, int index)
{
    if (name.startsWith(QLatin1String("train")))
        return QColor(31, 119, 180);
    if (name.startsWith(QLatin1String("val")))
        return index % 2 == 0 ? QColor(214, 39, 40) : QColor(148, 103, 189);
    static const QColor others[] = {QColor(44, 160, 44), QColor(255, 127, 14), QColor(140, 86, 75)};
    return others[index % 3];
}

}  // namespace

TrainingCurves::TrainingCurves(QWidget *parent) : QWidget(parent)
{
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_loss = makeEpochPlot(this, QStringLiteral("lossCurves"), tr("loss"));
    m_accuracy = makeEpochPlot(this, QStringLiteral("accuracyCurves"), tr("metric"));
    m_accuracy->yAxis2->setVisible(true);
    m_accuracy->yAxis2->setLabel(tr("learning rate"));
    layout->addWidget(m_loss);
    layout->addWidget(m_accuracy);

    m_batchLoss = addGraph(m_loss, tr("training (batches)"), QColor(150, 180, 220), false);
    m_lr = addGraph(m_accuracy, tr("learning rate"), QColor(120, 120, 120), false, m_accuracy->yAxis2);
    m_lr->setPen(QPen(QColor(120, 120, 120), 1.0, Qt::DashLine));
    clear();
}

QCPGraph *TrainingCurves::graphFor(const QString &name, bool loss)
{
    if (QCPGraph *graph = m_graphs.value(name))
        return graph;
    QCustomPlot *plot = loss ? m_loss : m_accuracy;
    const TrainingMetric metric{name};
    QCPGraph *graph = addGraph(plot, metric.label(), colourFor(name, plot->graphCount()), true);
    m_graphs.insert(name, graph);
    return graph;
}

void TrainingCurves::clear()
{
    // The metric graphs go with their run: another task's run names other metrics.
    for (QCPGraph *graph : std::as_const(m_graphs))
        graph->parentPlot()->removeGraph(graph);
    m_graphs.clear();
    m_percent = false;
    m_percentNames.clear();
    m_accuracy->yAxis->setLabel(tr("metric"));
    for (QCustomPlot *plot : {m_loss, m_accuracy})
        for (int i = 0; i < plot->graphCount(); ++i)
            plot->graph(i)->data()->clear();
    m_epochPoints.clear();
    m_epochs = 0;
    rescale();
}

void TrainingCurves::addEpoch(const TrainingProgress &p)
{
    m_epochs = std::max(m_epochs, p.epochs);
    m_epochPoints.insert(p.epoch);
    const auto put = [&p](QCPGraph *graph, double value) {
        graph->data()->remove(p.epoch);
        if (std::isfinite(value))
            graph->addData(p.epoch, value);
    };
    for (const TrainingMetric &m : p.metrics) {
        QCPGraph *graph = graphFor(m.name, m.isLoss());
        if (!m.isLoss() && m.isFraction()) {
            m_percent = true;
            put(graph, m.value * 100.0);
        } else {
            put(graph, m.value);
        }
        if (!m.isLoss() && m.isFraction())
            m_percentNames.insert(m.name);
        if (!m.isLoss() && !m_percent)
            m_accuracy->yAxis->setLabel(m.label());
    }
    if (m_percent) {  // "accuracy (%)" when only accuracies are in per cent, else what they all are
        const bool accuracies = std::all_of(m_percentNames.begin(), m_percentNames.end(), [](const QString &name) {
            return name.endsWith(QLatin1String("accuracy"));
        });
        m_accuracy->yAxis->setLabel(accuracies ? tr("accuracy (%)") : tr("score (%)"));
    }
    if (p.learningRate > 0)
        put(m_lr, p.learningRate);
    rescale();
}

void TrainingCurves::addBatch(const TrainingProgress &p)
{
    m_epochs = std::max(m_epochs, p.epochs);
    const std::optional<double> loss = p.metric(QStringLiteral("train_loss"));
    if (loss && std::isfinite(*loss)) {
        // A resumed or restarted run goes back in time: forget what came after.
        m_batchLoss->data()->removeAfter(p.position());
        m_batchLoss->addData(p.position(), *loss);
    }
    rescale();
}

void TrainingCurves::setHistory(const TrainingHistory &history)
{
    clear();
    const int epochs = int(history.epochs().size());
    for (const EpochRecord &r : history.epochs())
        addEpoch(r.toProgress(epochs, history.bestEpoch()));
}

int TrainingCurves::batchCount() const
{
    return m_batchLoss->dataCount();
}

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
        if (plot == m_accuracy && m_percent)
            range = QCPRange(0, 100);
        else if (plot == m_loss && found)
            range = QCPRange(0, range.upper > 0 ? range.upper * 1.1 : 1.0);
        else if (found)  // PSNR and the like: a margin around what was seen
            range = QCPRange(range.lower - 0.05 * std::max(range.size(), 1e-6),
                             range.upper + 0.05 * std::max(range.size(), 1e-6));
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
