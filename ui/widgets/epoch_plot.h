#pragma once
// A QCustomPlot set up for per-epoch curves, as the training monitor, a module's history and
// Compare all draw them: "epoch" on x with whole-epoch ticks, the given y label, a small
// legend in a row above the axes.
class QCustomPlot;
class QString;
class QWidget;

namespace dw {

QCustomPlot *makeEpochPlot(QWidget *parent, const QString &objectName, const QString &yLabel);

}  // namespace dw
