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
    plot->legend->setVisible(true);
    QFont font = plot->legend->font();
    font.setPointSizeF(font.pointSizeF() * 0.85);
    plot->legend->setFont(font);
    plot->legend->setBrush(QColor(255, 255, 255, 210));
    return plot;
}

}  // namespace dw
