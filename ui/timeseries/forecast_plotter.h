#pragma once
// Draws a ForecastData on a SeriesPlot: one panel per target with the observed series
// (line), the one-step forecast (line), the prediction band (upper filled down to lower),
// the forecast after the data (dashed) and the alerts (red markers, critical ones darker);
// behind them, when the data is the module's training file, its training, validation and
// test periods as tinted spans named at the top of the first panel.
#include "ui/timeseries/forecast_data.h"

#include <QColor>
#include <QList>

class QCPGraph;
class QCPItemRect;
class QCPItemText;

namespace dw {

class SeriesPlot;

struct TargetGraphs {
    QString target;
    QCPGraph *observed = nullptr;
    QCPGraph *forecast = nullptr;  // one step ahead over the data
    QCPGraph *ahead = nullptr;     // after the data (from the last forecast over it)
    QCPGraph *lower = nullptr;     // the band: upper's channel fill goes down to lower
    QCPGraph *upper = nullptr;
    QCPGraph *warnings = nullptr;  // alert markers
    QCPGraph *critical = nullptr;
    QList<QCPItemRect *> periods;      // one per ForecastData period, named after it (objectName)
    QList<QCPItemText *> periodNames;  // in the first panel only
};

class ForecastPlotter {
public:
    static QList<TargetGraphs> plot(SeriesPlot *plot, const ForecastData &data);

    static QColor observedColour() { return QColor(40, 40, 40); }
    static QColor forecastColour() { return QColor(31, 119, 180); }
    static QColor warningColour() { return QColor(235, 45, 45); }
    static QColor criticalColour() { return QColor(120, 0, 0); }
    static QColor selectedAlertColour() { return QColor(230, 150, 0); }  // the ring on the alert chosen in the table
    // The tint of a period's span ("train", "validation", "test").
    static QColor periodColour(const QString &period);
    static QString periodTitle(const QString &period);  // translated
};

}  // namespace dw
