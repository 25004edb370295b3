#include "ui/catalog/compare_curves.h"

#include "ui/widgets/epoch_plot.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QVBoxLayout>
#include <qcustomplot.h>

#include <cmath>

namespace dw {

namespace {

const QString kValAccuracy = QStringLiteral("val_accuracy");
const QString kTrainAccuracy = QStringLiteral("train_accuracy");

QCPGraph *addGraph(QCustomPlot *plot, const QString &name, const QColor &color, Qt::PenStyle style)
{
    QCPGraph *graph = plot->addGraph();
    graph->setName(name);
    graph->setPen(QPen(color, style == Qt::SolidLine ? 2.0 : 1.3, style));
    if (style == Qt::SolidLine)
        graph->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, 4));
    return graph;
}

void addPoint(QCPGraph *graph, double x, double y)
{
    if (std::isfinite(y))
        graph->addData(x, y);
}

}  // namespace

CompareCurves::CompareCurves(QWidget *parent) : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *top = new QHBoxLayout;
    m_note = new QLabel(this);
    m_note->setWordWrap(true);
    top->addWidget(m_note, 1);
    top->addWidget(new QLabel(tr("Right plot:"), this));
    m_quantity = new QComboBox(this);
    m_quantity->setObjectName(QStringLiteral("compareQuantity"));
    m_quantity->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    connect(m_quantity, &QComboBox::currentIndexChanged, this, &CompareCurves::showQuantity);
    top->addWidget(m_quantity);
    layout->addLayout(top);

    auto *plots = new QHBoxLayout;
    m_loss = makeEpochPlot(this, QStringLiteral("compareLoss"), tr("loss (solid: validation, dashed: training)"));
    m_metric = makeEpochPlot(this, QStringLiteral("compareMetric"), QString());
    plots->addWidget(m_loss);
    plots->addWidget(m_metric);
    layout->addLayout(plots, 1);
}

QColor CompareCurves::moduleColor(int index)
{
    static const QColor colors[] = {QColor(0x1e, 0x88, 0xe5), QColor(0xe5, 0x39, 0x35), QColor(0x43, 0xa0, 0x47),
                                    QColor(0x8e, 0x24, 0xaa)};
    return colors[index % 4];
}

void CompareCurves::setRuns(const QStringList &titles, const QList<ModuleRunData> &runs)
{
    m_titles = titles;
    m_runs = runs;

    m_loss->clearGraphs();
    QStringList without;
    bool trainAccuracy = false, valAccuracy = false;
    QStringList named;
    for (int i = 0; i < runs.size(); ++i) {
        const ModuleRunData &run = runs.at(i);
        if (run.history.isEmpty()) {
            without << titles.value(i);
            continue;
        }
        QCPGraph *val = addGraph(m_loss, tr("%1 — validation").arg(titles.value(i)), moduleColor(i), Qt::SolidLine);
        QCPGraph *train = addGraph(m_loss, tr("%1 — training").arg(titles.value(i)), moduleColor(i), Qt::DashLine);
        for (const EpochRecord &r : run.history.epochs()) {
            addPoint(val, r.epoch, r.valLoss);
            addPoint(train, r.epoch, r.trainLoss);
        }
        trainAccuracy = trainAccuracy || run.hasTrainAccuracy();
        valAccuracy = valAccuracy || run.hasValAccuracy();
        named << run.epochMetrics.keys();
    }
    m_loss->rescaleAxes();
    m_loss->replot(QCustomPlot::rpQueuedReplot);
    m_note->setText(without.isEmpty()
                        ? QString()
                        : tr("No training history (history.json) for: %1.").arg(without.join(QStringLiteral(", "))));

    // The quantities some module has, keeping the one shown if it is still there.
    const QString shown = m_quantity->currentData().toString();
    const QSignalBlocker blocker(m_quantity);
    m_quantity->clear();
    if (valAccuracy)
        m_quantity->addItem(tr("Validation accuracy"), kValAccuracy);
    if (trainAccuracy)
        m_quantity->addItem(tr("Training accuracy"), kTrainAccuracy);
    named.removeDuplicates();
    named.sort();
    for (const QString &name : std::as_const(named))
        m_quantity->addItem(name, name);
    m_quantity->setEnabled(m_quantity->count() > 0);
    m_quantity->setCurrentIndex(qMax(0, m_quantity->findData(shown)));
    showQuantity();
}

void CompareCurves::showQuantity()
{
    m_metric->clearGraphs();
    const QString key = m_quantity->currentData().toString();
    m_metric->yAxis->setLabel(key.isEmpty() ? tr("no accuracy or other metric recorded") : m_quantity->currentText());
    if (!key.isEmpty()) {
        const bool accuracy = key == kValAccuracy || key == kTrainAccuracy;
        for (int i = 0; i < m_runs.size(); ++i) {
            const ModuleRunData &run = m_runs.at(i);
            if (run.history.isEmpty())
                continue;
            QCPGraph *graph = addGraph(m_metric, m_titles.value(i), moduleColor(i), Qt::SolidLine);
            if (accuracy) {
                for (const EpochRecord &r : run.history.epochs())
                    addPoint(graph, r.epoch, 100.0 * (key == kValAccuracy ? r.valAccuracy : r.trainAccuracy));
            } else {
                for (const auto &[epoch, value] : run.epochMetrics.value(key))
                    addPoint(graph, epoch, value);
            }
        }
        if (accuracy)
            m_metric->yAxis->setLabel(m_quantity->currentText() + tr(" (%)"));
    }
    m_metric->rescaleAxes();
    m_metric->replot(QCustomPlot::rpQueuedReplot);
}

}  // namespace dw
