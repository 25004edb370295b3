#include "ui/timeseries/forecast_plotter.h"

#include "ui/timeseries/series_plot.h"

#include <algorithm>
#include <cmath>

namespace dw {

namespace {

// Only the finite points: warm-up rows have no forecast, missing rows no observation.
void fill(QCPGraph *graph, const QVector<double> &x, const QVector<double> &y, qsizetype from, qsizetype to)
{
    QVector<double> keys, values;
    for (qsizetype i = from; i < std::min(to, std::min(x.size(), y.size())); ++i) {
        if (std::isfinite(y.at(i))) {
            keys << x.at(i);
            values << y.at(i);
        }
    }
    graph->setData(keys, values, true);
}

// A series that is never negative (counts, discharge, rainfall) has no band below zero: the
// lower edge is drawn from 0 there.
QVector<double> floorForNonNegative(const QVector<double> &lower, const QVector<double> &observed)
{
    const bool nonNegative =
        std::all_of(observed.begin(), observed.end(), [](double v) { return !std::isfinite(v) || v >= 0.0; });
    if (!nonNegative)
        return lower;
    QVector<double> floored = lower;
    for (double &v : floored)
        if (std::isfinite(v))
            v = std::max(v, 0.0);
    return floored;
}

}  // namespace

QList<TargetGraphs> ForecastPlotter::plot(SeriesPlot *plot, const ForecastData &data)
{
    plot->reset();
    plot->setTimeFormat(data.timeFormat, data.hasTime);
    const SeriesResult &r = data.result;
    const qsizetype rows = data.observedRows;
    const qsizetype total = data.x.size();
    QList<TargetGraphs> out;
    for (qsizetype k = 0; k < r.targets.size(); ++k) {
        TargetGraphs g;
        g.target = r.targets.at(k);
        QCPAxisRect *panel = plot->addPanel(g.target);
        const bool band = k < r.lower.size() && k < r.upper.size();
        if (band) {
            QColor edge = forecastColour();
            edge.setAlpha(90);
            g.lower = plot->addLine(panel, QObject::tr("band (lower)"), edge, 0.8);
            g.lower->removeFromLegend();
            g.upper = plot->addLine(panel, QObject::tr("prediction band"), edge, 0.8);
            QColor area = forecastColour();
            area.setAlpha(45);
            g.upper->setBrush(area);
            g.upper->setChannelFillGraph(g.lower);
            fill(g.lower, data.x, floorForNonNegative(r.lower.at(k), r.observed.value(k)), 0, total);
            fill(g.upper, data.x, r.upper.at(k), 0, total);
        }
        g.observed = plot->addLine(panel, QObject::tr("observed"), observedColour(), 1.2);
        fill(g.observed, data.x, r.observed.value(k), 0, rows);
        g.forecast = plot->addLine(panel, QObject::tr("forecast"), forecastColour(), 1.4);
        fill(g.forecast, data.x, r.forecast.value(k), 0, rows);
        g.ahead = plot->addLine(panel, QObject::tr("forecast ahead"), forecastColour(), 2.0, Qt::DashLine);
        // From the last forecast over the data, so that the line runs on without a gap.
        fill(g.ahead, data.x, r.forecast.value(k), std::max<qsizetype>(0, rows - 1), total);

        g.warnings = plot->addMarkers(panel, QObject::tr("alert"), warningColour(), QCPScatterStyle::ssCircle, 8);
        g.critical =
            plot->addMarkers(panel, QObject::tr("critical alert"), criticalColour(), QCPScatterStyle::ssDiamond, 10);
        for (const AnomalyAlert &alert : data.alerts) {
            if (alert.target != g.target)
                continue;
            (alert.severity == AlertSeverity::Critical ? g.critical : g.warnings)->addData(alert.time, alert.observed);
        }
        if (rows > 0 && rows < total) {
            // Where the data ends and the future begins.
            auto *now = new QCPItemStraightLine(plot);
            now->setClipAxisRect(panel);
            now->point1->setAxes(panel->axis(QCPAxis::atBottom), panel->axis(QCPAxis::atLeft));
            now->point2->setAxes(panel->axis(QCPAxis::atBottom), panel->axis(QCPAxis::atLeft));
            now->point1->setCoords(data.x.at(rows - 1), 0);
            now->point2->setCoords(data.x.at(rows - 1), 1);
            now->setPen(QPen(QColor(150, 150, 150), 1, Qt::DotLine));
        }
        out << g;
    }
    plot->fit();
    return out;
}

}  // namespace dw
