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

// The periods behind the data of one panel: a tinted span each, named at the top of the
// first panel.
void addPeriods(SeriesPlot *plot, QCPAxisRect *panel, const ForecastData &data, TargetGraphs &g, bool named)
{
    for (const ForecastPeriod &period : data.periods) {
        const double from = data.rowEdge(period.begin);
        const double to = data.rowEdge(period.end);
        auto *span = new QCPItemRect(plot);
        span->setObjectName(period.name);
        span->setLayer(QStringLiteral("grid"));  // behind the lines
        span->setClipAxisRect(panel);
        span->topLeft->setTypeX(QCPItemPosition::ptPlotCoords);
        span->topLeft->setTypeY(QCPItemPosition::ptAxisRectRatio);
        span->bottomRight->setTypeX(QCPItemPosition::ptPlotCoords);
        span->bottomRight->setTypeY(QCPItemPosition::ptAxisRectRatio);
        for (QCPItemPosition *corner : {span->topLeft, span->bottomRight}) {
            corner->setAxes(panel->axis(QCPAxis::atBottom), panel->axis(QCPAxis::atLeft));
            corner->setAxisRect(panel);
        }
        span->topLeft->setCoords(from, 0);
        span->bottomRight->setCoords(to, 1);
        span->setPen(Qt::NoPen);
        span->setBrush(ForecastPlotter::periodColour(period.name));
        span->setSelectable(false);
        g.periods << span;
        if (!named)
            continue;
        auto *name = new QCPItemText(plot);
        name->setObjectName(period.name);
        name->setLayer(QStringLiteral("grid"));
        name->setClipAxisRect(panel);
        name->position->setTypeX(QCPItemPosition::ptPlotCoords);
        name->position->setTypeY(QCPItemPosition::ptAxisRectRatio);
        name->position->setAxes(panel->axis(QCPAxis::atBottom), panel->axis(QCPAxis::atLeft));
        name->position->setAxisRect(panel);
        name->position->setCoords((from + to) / 2, 0);
        name->setPositionAlignment(Qt::AlignTop | Qt::AlignHCenter);
        name->setPadding(QMargins(2, 3, 2, 0));
        name->setText(ForecastPlotter::periodTitle(period.name));
        QColor ink = ForecastPlotter::periodColour(period.name);
        ink.setAlpha(255);
        name->setColor(ink.darker(170));
        name->setSelectable(false);
        g.periodNames << name;
    }
}

}  // namespace

QColor ForecastPlotter::periodColour(const QString &period)
{
    if (period == QLatin1String("train"))
        return QColor(44, 160, 44, 26);
    if (period == QLatin1String("validation"))
        return QColor(255, 127, 14, 38);
    return QColor(148, 103, 189, 38);
}

QString ForecastPlotter::periodTitle(const QString &period)
{
    if (period == QLatin1String("train"))
        return QObject::tr("train");
    if (period == QLatin1String("validation"))
        return QObject::tr("validation");
    if (period == QLatin1String("test"))
        return QObject::tr("test");
    return period;
}

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
        addPeriods(plot, panel, data, g, k == 0);
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
