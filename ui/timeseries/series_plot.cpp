#include "ui/timeseries/series_plot.h"

#include "ui/timeseries/series_format.h"

#include <algorithm>
#include <cmath>

namespace dw {

namespace {

// Tick labels from coarse (0: years) to fine (3: date and time).
const QStringList kTickFormats{QStringLiteral("yyyy"), QStringLiteral("yyyy-MM"), QStringLiteral("yyyy-MM-dd"),
                               QStringLiteral("yyyy-MM-dd\nhh:mm")};

// The finest labels the data's own step deserves: yearly data never shows days.
int finestFor(TimeFormat format)
{
    switch (TimestampParser::unitOf(format)) {
    case TimeUnit::Year:
        return 0;
    case TimeUnit::Quarter:
    case TimeUnit::Month:
        return 1;
    case TimeUnit::Day:
        return 2;
    default:
        return 3;
    }
}

// The labels the visible span needs: years over decades, dates over weeks.
int neededFor(double spanSeconds)
{
    constexpr double day = 86400.0;
    if (spanSeconds > 8 * 365 * day)
        return 0;
    if (spanSeconds > 120 * day)
        return 1;
    if (spanSeconds > 4 * day)
        return 2;
    return 3;
}

}  // namespace

SeriesPlot::SeriesPlot(QWidget *parent) : QCustomPlot(parent)
{
    setObjectName(QStringLiteral("seriesPlot"));
    setMinimumSize(320, 200);
    setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    setToolTip(navigationHint());
    legend->setVisible(true);
    QFont font = legend->font();
    font.setPointSizeF(font.pointSizeF() * 0.85);
    legend->setFont(font);
    legend->setBrush(QColor(255, 255, 255, 215));
    // The legend in a row above the panels, where it never hides data.
    plotLayout()->insertRow(0);
    auto *legendRow = new QCPLayoutGrid;
    plotLayout()->addElement(0, 0, legendRow);
    legendRow->addElement(0, 0, legend);
    legendRow->addElement(0, 1, new QCPLayoutElement(this));  // takes the rest, so that the entries stay together
    legendRow->setColumnStretchFactor(0, 0.001);
    legend->setFillOrder(QCPLegend::foColumnsFirst);
    legend->setBorderPen(Qt::NoPen);
    legend->setMargins(QMargins(4, 2, 4, 2));
    plotLayout()->setRowStretchFactor(0, 0.001);
    m_margins = new QCPMarginGroup(this);
    axisRect()->setMarginGroup(QCP::msLeft | QCP::msRight, m_margins);
    applyTicker(axisRect());
    axisRect()->axis(QCPAxis::atLeft)->setTicker(QSharedPointer<EvenDecimalsTicker>::create());
    linkTimeAxis(axisRect());
}

QColor SeriesPlot::colour(int index)
{
    static const QList<QColor> palette{QColor(31, 119, 180), QColor(44, 160, 44),   QColor(148, 103, 189),
                                       QColor(140, 86, 75),  QColor(227, 119, 194), QColor(127, 127, 127),
                                       QColor(188, 189, 34), QColor(23, 190, 207),  QColor(255, 127, 14)};
    return palette.at(index % palette.size());
}

QString SeriesPlot::navigationHint()
{
    return tr("Drag to pan, turn the wheel to zoom (over an axis: that axis only).");
}

void SeriesPlot::reset()
{
    clearPlottables();
    clearItems();
    for (int i = 1; i < m_panels.size(); ++i) {
        m_relabel.remove(m_panels.at(i)->axis(QCPAxis::atBottom));
        plotLayout()->remove(m_panels.at(i));
    }
    plotLayout()->simplify();
    m_panels.clear();
    axisRect()->axis(QCPAxis::atLeft)->setLabel(QString());
    replot(rpQueuedReplot);
}

void SeriesPlot::setTimeFormat(TimeFormat format, bool hasTime)
{
    m_format = format;
    m_hasTime = hasTime;
    for (QCPAxisRect *rect : axisRects())
        applyTicker(rect);
}

void SeriesPlot::applyTicker(QCPAxisRect *rect)
{
    QCPAxis *x = rect->axis(QCPAxis::atBottom);
    if (m_hasTime) {
        auto ticker = QSharedPointer<QCPAxisTickerDateTime>::create();
        ticker->setDateTimeSpec(Qt::UTC);
        ticker->setTickCount(6);
        const auto relabel = [ticker, finest = finestFor(m_format)](const QCPRange &range) {
            ticker->setDateTimeFormat(kTickFormats.at(std::min(finest, neededFor(range.size()))));
        };
        relabel(x->range());
        x->setTicker(ticker);
        x->setLabel(QString());
        // Labels follow the zoom.
        disconnect(m_relabel.take(x));
        m_relabel.insert(x, connect(x, qOverload<const QCPRange &>(&QCPAxis::rangeChanged), this, relabel));
    } else {
        disconnect(m_relabel.take(x));
        x->setTicker(QSharedPointer<EvenDecimalsTicker>::create());
        x->setLabel(tr("row"));
    }
}

void SeriesPlot::linkTimeAxis(QCPAxisRect *rect)
{
    QCPAxis *x = rect->axis(QCPAxis::atBottom);
    connect(x, qOverload<const QCPRange &>(&QCPAxis::rangeChanged), this, [this, x](const QCPRange &range) {
        for (QCPAxisRect *other : axisRects()) {
            QCPAxis *otherX = other->axis(QCPAxis::atBottom);
            if (otherX != x && otherX->range() != range) {
                otherX->setRange(range);
            }
        }
    });
}

QCPAxisRect *SeriesPlot::addPanel(const QString &valueLabel)
{
    QCPAxisRect *rect = nullptr;
    if (m_panels.isEmpty()) {
        rect = axisRect();
    } else {
        rect = new QCPAxisRect(this);
        rect->setMarginGroup(QCP::msLeft | QCP::msRight, m_margins);
        plotLayout()->addElement(plotLayout()->rowCount(), 0, rect);
        rect->axis(QCPAxis::atBottom)->setRange(m_panels.first()->axis(QCPAxis::atBottom)->range());
        applyTicker(rect);
        rect->axis(QCPAxis::atLeft)->setTicker(QSharedPointer<EvenDecimalsTicker>::create());
        linkTimeAxis(rect);
        for (QCPAxis *axis : rect->axes())
            axis->setLayer(QStringLiteral("axes"));
        rect->setRangeDrag(Qt::Horizontal | Qt::Vertical);
        rect->setRangeZoom(Qt::Horizontal | Qt::Vertical);
    }
    rect->axis(QCPAxis::atLeft)->setLabel(valueLabel);
    m_panels << rect;
    return rect;
}

QCPGraph *SeriesPlot::addLine(QCPAxisRect *panel, const QString &name, const QColor &colour, qreal width,
                              Qt::PenStyle style)
{
    QCPGraph *graph = addGraph(panel->axis(QCPAxis::atBottom), panel->axis(QCPAxis::atLeft));
    graph->setName(name);
    graph->setPen(QPen(colour, width, style));
    graph->setAdaptiveSampling(true);
    if (panel != m_panels.value(0))
        graph->removeFromLegend();  // the top panel's entries name every panel's lines
    return graph;
}

QCPGraph *SeriesPlot::addMarkers(QCPAxisRect *panel, const QString &name, const QColor &colour,
                                 QCPScatterStyle::ScatterShape shape, double size)
{
    QCPGraph *graph = addLine(panel, name, colour);
    graph->setLineStyle(QCPGraph::lsNone);
    graph->setScatterStyle(QCPScatterStyle(shape, QPen(colour.darker(130), 1.2), QBrush(colour), size));
    return graph;
}

void SeriesPlot::fit()
{
    bool any = false;
    QCPRange keys;
    for (QCPAxisRect *rect : axisRects()) {
        QCPAxis *y = rect->axis(QCPAxis::atLeft);
        QCPRange values;
        bool found = false;
        for (QCPGraph *graph : rect->graphs()) {
            bool ok = false;
            const QCPRange k = graph->getKeyRange(ok);
            if (ok) {
                keys = any ? QCPRange(std::min(keys.lower, k.lower), std::max(keys.upper, k.upper)) : k;
                any = true;
            }
            const QCPRange v = graph->getValueRange(ok);
            if (ok) {
                values = found ? QCPRange(std::min(values.lower, v.lower), std::max(values.upper, v.upper)) : v;
                found = true;
            }
        }
        if (found) {
            const double air = std::max((values.upper - values.lower) * 0.05, 1e-9);
            y->setRange(values.lower - air, values.upper + air);
        }
    }
    if (any) {
        const double air = std::max((keys.upper - keys.lower) * 0.01, 1e-9);
        axisRect()->axis(QCPAxis::atBottom)->setRange(keys.lower - air, keys.upper + air);
    }
    replot(rpQueuedReplot);
}

void SeriesPlot::centreOn(double x, double width)
{
    QCPAxis *axis = axisRect()->axis(QCPAxis::atBottom);
    const double span = width > 0 ? width : axis->range().size();
    axis->setRange(x - span / 2, x + span / 2);
    replot(rpQueuedReplot);
}

void SeriesPlot::follow(double from, double to)
{
    if (!(to > from))
        to = from + 1;
    axisRect()->axis(QCPAxis::atBottom)->setRange(from, to);
    const QCPRange keys(from, to);
    for (QCPAxisRect *rect : axisRects()) {
        QCPRange values;
        bool found = false;
        for (QCPGraph *graph : rect->graphs()) {
            bool ok = false;
            const QCPRange v = graph->getValueRange(ok, QCP::sdBoth, keys);
            if (ok) {
                values = found ? QCPRange(std::min(values.lower, v.lower), std::max(values.upper, v.upper)) : v;
                found = true;
            }
        }
        if (found) {
            const double air = std::max((values.upper - values.lower) * 0.08, 1e-6);
            rect->axis(QCPAxis::atLeft)->setRange(values.lower - air, values.upper + air);
        }
    }
    replot(rpQueuedReplot);
}

QCPRange SeriesPlot::timeRange() const
{
    return axisRect()->axis(QCPAxis::atBottom)->range();
}

}  // namespace dw
