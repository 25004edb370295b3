#include "ui/raster/raster_view.h"

#include "core/io/raster_reader.h"
#include "ui/raster/raster_units.h"

#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QResizeEvent>
#include <QWheelEvent>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <cmath>

namespace dw {

namespace {

constexpr double kMaxScale = 64.0;  // screen pixels per raster pixel
constexpr int kMaxProbeBands = 12;

QRect windowInside(const QRectF &region, const QSize &rasterSize)
{
    const int x0 = std::max(0, int(std::floor(region.left())));
    const int y0 = std::max(0, int(std::floor(region.top())));
    const int x1 = std::min(rasterSize.width(), int(std::ceil(region.right())));
    const int y1 = std::min(rasterSize.height(), int(std::ceil(region.bottom())));
    return x1 > x0 && y1 > y0 ? QRect(x0, y0, x1 - x0, y1 - y0) : QRect();
}

QString number(float v)
{
    return std::abs(v - std::round(v)) < 1e-6f ? QString::number(qint64(std::round(v))) : QString::number(v, 'g', 6);
}

}  // namespace

RasterView::RasterView(QWidget *parent) : QWidget(parent)
{
    setMouseTracking(true);
    setFocusPolicy(Qt::WheelFocus);
    setMinimumSize(120, 120);
    setAttribute(Qt::WA_OpaquePaintEvent);
    m_renderTimer.setSingleShot(true);
    m_renderTimer.setInterval(15);  // coalesces the events of one wheel turn or drag
    connect(&m_renderTimer, &QTimer::timeout, this, &RasterView::startRender);
    connect(&m_watcher, &QFutureWatcher<Rendered>::finished, this, &RasterView::renderDone);
    connect(&m_probeWatcher, &QFutureWatcher<QString>::finished, this, &RasterView::probeDone);
}

RasterView::~RasterView()
{
    // The tasks hold their own reader and spec; only their results would come back to us.
    m_watcher.disconnect(this);
    m_probeWatcher.disconnect(this);
    m_watcher.waitForFinished();
    m_probeWatcher.waitForFinished();
}

void RasterView::setRaster(std::shared_ptr<const RasterReader> reader, const CompositeSpec &spec, const CrsUnits &crs)
{
    m_reader = std::move(reader);
    m_spec = spec;
    m_crs = crs;
    m_rasterSize = m_reader ? QSize(m_reader->info().width, m_reader->info().height) : QSize();
    m_image = {};
    m_renderedWindow = {};
    ++m_generation;
    fit();
}

void RasterView::setComposite(const CompositeSpec &spec)
{
    m_spec = spec;
    ++m_generation;
    m_renderTimer.start();
}

void RasterView::setCaption(const QString &caption)
{
    m_caption = caption;
    update();
}

void RasterView::setOverlayRegion(const QRect &region)
{
    if (region == m_overlay)
        return;
    m_overlay = region;
    update();
}

void RasterView::setView(QPointF origin, double scale)
{
    if (!(scale > 0.0) || !std::isfinite(scale))
        return;
    scale = std::min(scale, kMaxScale);
    m_fitted = false;
    if (origin == m_origin && scale == m_scale)
        return;
    m_origin = origin;
    m_scale = scale;
    changed();
}

QRectF RasterView::visibleRegion() const
{
    return QRectF(m_origin, QSizeF(width() / m_scale, height() / m_scale));
}

void RasterView::zoomBy(double factor, QPointF anchor)
{
    if (m_rasterSize.isEmpty())
        return;
    const double fitScale = std::min(double(width()) / m_rasterSize.width(), double(height()) / m_rasterSize.height());
    const double scale = std::clamp(m_scale * factor, std::max(1e-6, fitScale / 8.0), kMaxScale);
    const QPointF fixed = toRaster(anchor);
    setView(fixed - anchor / scale, scale);
}

void RasterView::panBy(QPointF widgetDelta)
{
    setView(m_origin - widgetDelta / m_scale, m_scale);
}

void RasterView::fit()
{
    m_fitted = true;
    if (m_rasterSize.isEmpty() || width() < 1 || height() < 1) {
        update();
        return;
    }
    const double scale = std::min(double(width()) / m_rasterSize.width(), double(height()) / m_rasterSize.height());
    const QPointF centre(m_rasterSize.width() / 2.0, m_rasterSize.height() / 2.0);
    const QPointF origin = centre - QPointF(width() / 2.0, height() / 2.0) / scale;
    if (origin == m_origin && scale == m_scale)
        m_renderTimer.start();  // same view, maybe a new raster
    else
        setView(origin, scale);
    m_fitted = true;
}

void RasterView::fitRegion(const QRectF &region)
{
    if (region.isEmpty() || width() < 1 || height() < 1)
        return;
    const double scale = std::min(double(width()) / region.width(), double(height()) / region.height());
    setView(region.center() - QPointF(width() / 2.0, height() / 2.0) / scale, scale);
}

void RasterView::setSwipePartner(RasterView *partner)
{
    if (m_partner)
        m_partner->disconnect(this);
    m_partner = partner;
    if (partner)
        connect(partner, &RasterView::rendered, this, qOverload<>(&QWidget::update));
    update();
}

void RasterView::setSwipe(bool on)
{
    m_swipe = on;
    update();
}

void RasterView::setSwipePosition(double fraction)
{
    m_swipePosition = std::clamp(fraction, 0.0, 1.0);
    update();
}

void RasterView::changed()
{
    m_renderTimer.start();
    update();
    Q_EMIT viewChanged();
}

void RasterView::startRender()
{
    if (!m_reader || !m_spec.isValid())
        return;
    if (m_watcher.isRunning()) {
        m_renderTimer.start();  // after the one in flight
        return;
    }
    const QRect window = windowInside(visibleRegion(), m_rasterSize);
    if (window.isEmpty()) {
        m_image = {};
        m_renderedWindow = {};
        update();
        return;
    }
    // The screen's resolution, never more than the raster's own (zoomed in, pixels are scaled
    // up by the painter).
    const QSize out(std::clamp(int(std::ceil(window.width() * m_scale)), 1, window.width()),
                    std::clamp(int(std::ceil(window.height() * m_scale)), 1, window.height()));
    m_watcher.setFuture(QtConcurrent::run([reader = m_reader, spec = m_spec, window, out, generation = m_generation] {
        Rendered result;
        result.window = window;
        result.generation = generation;
        Result<RasterBuffer> pixels = reader->readResampled(window, out, spec.bands);
        if (!pixels)
            result.error = pixels.error().text();
        else
            result.image = renderComposite(*pixels, spec);
        return result;
    }));
}

void RasterView::renderDone()
{
    Rendered result = m_watcher.result();
    if (!result.error.isEmpty()) {
        Q_EMIT renderFailed(result.error);
        return;
    }
    if (result.generation != m_generation) {
        m_renderTimer.start();  // bands or raster changed meanwhile
        return;
    }
    m_image = std::move(result.image);
    m_renderedWindow = result.window;
    update();
    if (!m_renderTimer.isActive())
        Q_EMIT rendered();
}

void RasterView::probe(QPointF at)
{
    if (m_probeWatcher.isRunning()) {
        m_probePending = at;
        return;
    }
    m_probePending.reset();
    m_probeWatcher.setFuture(QtConcurrent::run([reader = m_reader, crs = m_crs, at] {
        const RasterInfo &info = reader->info();
        const QPoint pixel(int(std::floor(at.x())), int(std::floor(at.y())));
        QList<int> bands;
        for (int b = 1; b <= std::min(info.bandCount(), kMaxProbeBands); ++b)
            bands << b;
        Result<RasterBuffer> value = reader->read(QRect(pixel, QSize(1, 1)), bands);
        QString text = pixelPositionText(at);
        const QString map = mapPositionText(info, crs, at);
        if (!map.isEmpty())
            text += QStringLiteral(" · ") + map;
        if (!value)
            return text + QStringLiteral(": ") + value.error().text();
        if (!value->isValid(0, 0))
            return text + QObject::tr(": nodata");
        QStringList values;
        for (int b = 0; b < value->bands; ++b)
            values << number(value->at(b, 0, 0));
        if (info.bandCount() > kMaxProbeBands)
            values << QStringLiteral("…");
        return text + QStringLiteral(": ") + values.join(QLatin1Char(' '));
    }));
}

void RasterView::probeDone()
{
    Q_EMIT pixelInfo(m_probeWatcher.result());
    if (m_probePending)
        probe(*m_probePending);
}

void RasterView::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    if (m_fitted) {
        fit();
        return;
    }
    // The centre stays where it was (so that linked views do not drift).
    if (event->oldSize().isValid())
        m_origin += QPointF(event->oldSize().width() - width(), event->oldSize().height() - height()) / (2.0 * m_scale);
    changed();
}

void RasterView::wheelEvent(QWheelEvent *event)
{
    const double steps = event->angleDelta().y() / 120.0;
    if (steps != 0.0)
        zoomBy(std::pow(1.25, steps), event->position());
    event->accept();
}

bool RasterView::nearDivider(QPointF widgetPoint) const
{
    return isSwipe() && std::abs(widgetPoint.x() - m_swipePosition * width()) <= 6.0;
}

void RasterView::mousePressEvent(QMouseEvent *event)
{
    if (event->button() != Qt::LeftButton)
        return QWidget::mousePressEvent(event);
    m_lastMouse = event->position();
    m_draggingDivider = nearDivider(event->position());
    m_dragging = !m_draggingDivider;
    setCursor(m_draggingDivider ? Qt::SplitHCursor : Qt::ClosedHandCursor);
}

void RasterView::mouseMoveEvent(QMouseEvent *event)
{
    const QPointF position = event->position();
    if (m_draggingDivider) {
        setSwipePosition(width() > 0 ? position.x() / width() : 0.5);
    } else if (m_dragging) {
        panBy(position - m_lastMouse);
        m_lastMouse = position;
    } else {
        setCursor(nearDivider(position) ? Qt::SplitHCursor : Qt::ArrowCursor);
    }
    // Right of a swipe divider the values are the partner's (same widget size, same ground).
    RasterView *under = isSwipe() && position.x() > m_swipePosition * width() ? m_partner.data() : this;
    const QPointF at = under->toRaster(position);
    const QPoint pixel(int(std::floor(at.x())), int(std::floor(at.y())));
    if (under->m_reader && QRect(QPoint(0, 0), under->m_rasterSize).contains(pixel))
        under->probe(at);
    else
        Q_EMIT pixelInfo({});
}

void RasterView::mouseReleaseEvent(QMouseEvent *event)
{
    m_dragging = m_draggingDivider = false;
    setCursor(nearDivider(event->position()) ? Qt::SplitHCursor : Qt::ArrowCursor);
}

void RasterView::leaveEvent(QEvent *event)
{
    QWidget::leaveEvent(event);
    Q_EMIT pixelInfo({});
}

void RasterView::drawCheckerboard(QPainter &painter, const QRectF &area) const
{
    static const QPixmap tile = [] {
        QPixmap pixmap(16, 16);
        pixmap.fill(QColor(200, 200, 200));
        QPainter p(&pixmap);
        p.fillRect(0, 0, 8, 8, QColor(235, 235, 235));
        p.fillRect(8, 8, 8, 8, QColor(235, 235, 235));
        return pixmap;
    }();
    painter.fillRect(area, QBrush(tile));
}

void RasterView::drawPicture(QPainter &painter, const RasterView &source) const
{
    if (source.m_rasterSize.isEmpty())
        return;
    const QRectF raster = QRectF(source.toWidget(QPointF(0, 0)),
                                 source.toWidget(QPointF(source.m_rasterSize.width(), source.m_rasterSize.height())));
    drawCheckerboard(painter, raster);
    if (!source.m_image.isNull()) {
        const QRect w = source.m_renderedWindow;
        painter.drawImage(QRectF(source.toWidget(w.topLeft()), source.toWidget(QPointF(w.right() + 1, w.bottom() + 1))),
                          source.m_image);
    }
}

void RasterView::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    painter.fillRect(rect(), palette().color(QPalette::Mid));
    if (!m_reader) {
        painter.setPen(palette().color(QPalette::WindowText));
        painter.drawText(rect(), Qt::AlignCenter | Qt::TextWordWrap,
                         m_caption.isEmpty() ? tr("Open a raster (or drop one on the window)") : m_caption);
        return;
    }
    painter.setRenderHint(QPainter::SmoothPixmapTransform, false);  // raster pixels stay crisp
    drawPicture(painter, *this);
    const bool swipe = isSwipe();
    const int divider = int(std::round(m_swipePosition * width()));
    if (swipe) {
        painter.save();
        painter.setClipRect(QRect(divider, 0, width() - divider, height()));
        painter.fillRect(rect(), palette().color(QPalette::Mid));
        drawPicture(painter, *m_partner);
        painter.restore();
        painter.setPen(QPen(Qt::white, 2));
        painter.drawLine(divider, 0, divider, height());
        painter.setBrush(Qt::white);
        painter.setPen(QPen(Qt::black, 1));
        painter.drawEllipse(QPointF(divider, height() / 2.0), 7, 7);
    }
    // Captions on a translucent plate so that they read on any picture.
    auto caption = [&](const QString &text, bool right) {
        if (text.isEmpty())
            return;
        const QFontMetrics metrics(font());
        QRect box(0, 0, metrics.horizontalAdvance(text) + 12, metrics.height() + 6);
        box.moveTopLeft(right ? QPoint(width() - box.width() - 6, 6) : QPoint(6, 6));
        painter.fillRect(box, QColor(0, 0, 0, 140));
        painter.setPen(Qt::white);
        painter.drawText(box, Qt::AlignCenter, text);
    };
    if (!m_overlay.isEmpty()) {
        // A light line on a dark one: visible on bright and dark ground alike.
        const QRectF region(toWidget(m_overlay.topLeft()),
                            toWidget(QPointF(m_overlay.x() + m_overlay.width(), m_overlay.y() + m_overlay.height())));
        painter.setBrush(Qt::NoBrush);
        painter.setPen(QPen(QColor(0, 0, 0, 170), 4));
        painter.drawRect(region);
        painter.setPen(QPen(overlayColour(), 2));
        painter.drawRect(region);
    }
    caption(m_caption, false);
    if (swipe)
        caption(m_partner->m_caption, true);
}

}  // namespace dw
