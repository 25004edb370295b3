#pragma once
// A QCustomPlot for series over time: one panel (axis rect) per target stacked with their
// time axes linked, a date-time axis in the data's own style (years, months, days or
// seconds), value ticks with even decimals, the legend in the top panel, zoom with the wheel
// and pan by dragging, Fit, and centring on a point. The pages fill it; it knows nothing of
// forecasts.
#include "core/io/timestamp_parser.h"

#include <QColor>
#include <QHash>
#include <QList>
#include <QString>
#include <qcustomplot.h>

namespace dw {

class SeriesPlot : public QCustomPlot {
    Q_OBJECT
public:
    explicit SeriesPlot(QWidget *parent = nullptr);

    // Removes every plottable and every panel but the first.
    void reset();
    // hasTime false: x is the row number.
    void setTimeFormat(TimeFormat format, bool hasTime);
    // The first call gives the first panel; later calls stack new panels below it.
    QCPAxisRect *addPanel(const QString &valueLabel);
    int panelCount() const { return int(m_panels.size()); }
    QCPAxisRect *panel(int index) const { return m_panels.value(index); }

    QCPGraph *addLine(QCPAxisRect *panel, const QString &name, const QColor &colour, qreal width = 1.3,
                      Qt::PenStyle style = Qt::SolidLine);
    QCPGraph *addMarkers(QCPAxisRect *panel, const QString &name, const QColor &colour,
                         QCPScatterStyle::ScatterShape shape, double size);

    // Every panel's axes around all of its data (a little air above and below).
    void fit();
    // Moves the time axis so that x is in the middle, keeping the visible span (or width when > 0).
    void centreOn(double x, double width = 0);
    // Shows [from, to] on the time axis and fits each panel's values to what lies inside it
    // (the live mode's view of the last points).
    void follow(double from, double to);
    // The visible time span.
    QCPRange timeRange() const;

    static QColor colour(int index);  // a palette that tells lines apart
    static QString navigationHint();  // the tooltip: how to pan and zoom

private:
    void linkTimeAxis(QCPAxisRect *rect);
    void applyTicker(QCPAxisRect *rect);

    QList<QCPAxisRect *> m_panels;
    QHash<QCPAxis *, QMetaObject::Connection> m_relabel;  // tick labels that follow the zoom
    QCPMarginGroup *m_margins = nullptr;
    TimeFormat m_format = TimeFormat::None;
    bool m_hasTime = false;
};

}  // namespace dw
