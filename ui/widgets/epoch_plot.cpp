#include "ui/widgets/epoch_plot.h"

#include <qcustomplot.h>

namespace dw {

QCustomPlot *makeEpochPlot(QWidget *parent, const QString &objectName, const QString &yLabel)
{
    auto *plot = new QCustomPlot(parent);
    plot->setObjectName(objectName);
    plot->setMinimumSize(260, 180);
    plot->xAxis->setLabel(QObject::tr("epoch"));
    plot->yAxis->setLabel(yLabel);
    // Whole epochs only (1, 2, 3 … or 5, 10, 15 … when there are many), never 0.25.
    auto epochs = QSharedPointer<QCPAxisTickerFixed>::create();
    epochs->setTickStep(1.0);
    epochs->setScaleStrategy(QCPAxisTickerFixed::ssMultiples);
    plot->xAxis->setTicker(epochs);
    // The legend in a row of its own above the axes, never over the curves.
    plot->legend->setVisible(true);
    QFont font = plot->legend->font();
    font.setPointSizeF(font.pointSizeF() * 0.85);
    plot->legend->setFont(font);
    plot->legend->setBorderPen(Qt::NoPen);
    plot->legend->setWrap(3);  // three entries a row, more rows when there are more curves
    plot->legend->setFillOrder(QCPLegend::foColumnsFirst);
    plot->plotLayout()->insertRow(0);
    plot->plotLayout()->addElement(0, 0, plot->legend);
    plot->plotLayout()->setRowStretchFactor(0, 0.001);
    return plot;
}

}  // namespace dw
