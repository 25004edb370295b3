#pragma once
// A view of one raster: the composite of the visible window, rendered off the GUI thread
// (QtConcurrent) from a read at the screen's resolution (RasterReader::readResampled, which
// uses overviews) — never the whole raster at full resolution. Zoom with the wheel around the
// cursor, pan by dragging, Fit; nodata shows the checkerboard behind it; the pixel under the
// cursor, its map coordinates and its band values are read (also off the GUI thread) for the
// status text. A region (the one typed for super-resolution) can be drawn over the picture.
// A swipe partner (another view kept on the same region, see RasterViewLink) is drawn to the
// right of a draggable vertical divider: before on the left, after on the right.
#include "core/io/crs_units.h"
#include "ui/raster/raster_composite.h"

#include <QColor>
#include <QFutureWatcher>
#include <QImage>
#include <QPointer>
#include <QRectF>
#include <QTimer>
#include <QWidget>

#include <memory>
#include <optional>

namespace dw {

class RasterReader;

class RasterView : public QWidget {
    Q_OBJECT
public:
    explicit RasterView(QWidget *parent = nullptr);
    ~RasterView() override;

    // Shows a raster (nullptr: none) with a composite; the view fits it. crs: the name and unit
    // of its map coordinates, for the position under the cursor.
    void setRaster(std::shared_ptr<const RasterReader> reader, const CompositeSpec &spec, const CrsUnits &crs = {});
    void setComposite(const CompositeSpec &spec);  // same raster, new bands or stretch
    const std::shared_ptr<const RasterReader> &reader() const { return m_reader; }
    const CompositeSpec &composite() const { return m_spec; }
    QSize rasterSize() const { return m_rasterSize; }
    void setCaption(const QString &caption);  // drawn in the top-left corner ("Before", "After")
    // A rectangle drawn over the picture, in raster pixels (empty: none).
    void setOverlayRegion(const QRect &region);
    QRect overlayRegion() const { return m_overlay; }
    static QColor overlayColour() { return QColor(255, 214, 0); }

    // The view: screen pixels per raster pixel, and the raster point at the widget's top-left.
    double scale() const { return m_scale; }
    QPointF origin() const { return m_origin; }
    void setView(QPointF origin, double scale);
    // The raster region (in raster pixels) the widget shows; may reach beyond the raster.
    QRectF visibleRegion() const;
    // The raster window rendered last time (inside the raster) and its picture.
    QRect renderedWindow() const { return m_renderedWindow; }
    const QImage &renderedImage() const { return m_image; }
    bool isRendering() const { return m_watcher.isRunning() || m_renderTimer.isActive(); }

    QPointF toRaster(QPointF widgetPoint) const { return widgetPoint / m_scale + m_origin; }
    QPointF toWidget(QPointF rasterPoint) const { return (rasterPoint - m_origin) * m_scale; }

    void zoomBy(double factor, QPointF anchor);  // anchor in widget coordinates stays put
    void zoomIn() { zoomBy(1.25, rect().center()); }
    void zoomOut() { zoomBy(0.8, rect().center()); }
    void panBy(QPointF widgetDelta);
    void fit();
    void fitRegion(const QRectF &region);  // this part of the raster fills the view

    // Swipe mode: partner's picture right of the divider (a fraction of the width).
    void setSwipePartner(RasterView *partner);
    void setSwipe(bool on);
    bool isSwipe() const { return m_swipe && m_partner; }
    double swipePosition() const { return m_swipePosition; }
    void setSwipePosition(double fraction);

Q_SIGNALS:
    void viewChanged();  // zoom or pan (by the user or setView)
    void rendered();     // a new picture of the visible window is shown
    void renderFailed(const QString &message);
    // "col 120, row 45 · x 291911 m, y 9116429 m (SIRGAS 2000 / UTM zone 25S): 83 61 40 …", or
    // empty outside the raster.
    void pixelInfo(const QString &text);

protected:
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void wheelEvent(QWheelEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void leaveEvent(QEvent *event) override;

private:
    struct Rendered {
        QImage image;
        QRect window;
        QString error;
        int generation = 0;
    };
    void changed();  // the view moved: schedule a render, tell the others
    void startRender();
    void renderDone();
    void probe(QPointF at);
    void probeDone();
    bool nearDivider(QPointF widgetPoint) const;
    void drawPicture(QPainter &painter, const RasterView &source) const;
    void drawCheckerboard(QPainter &painter, const QRectF &area) const;

    std::shared_ptr<const RasterReader> m_reader;
    CompositeSpec m_spec;
    QSize m_rasterSize;
    QString m_caption;
    double m_scale = 1.0;
    QPointF m_origin;
    bool m_fitted = true;  // follows resizes until the user zooms or pans

    QImage m_image;
    QRect m_renderedWindow;
    int m_generation = 0;
    QTimer m_renderTimer;
    QFutureWatcher<Rendered> m_watcher;

    QFutureWatcher<QString> m_probeWatcher;
    std::optional<QPointF> m_probePending;
    CrsUnits m_crs;
    QRect m_overlay;

    bool m_dragging = false;
    bool m_draggingDivider = false;
    QPointF m_lastMouse;

    QPointer<RasterView> m_partner;
    bool m_swipe = false;
    double m_swipePosition = 0.5;
};

}  // namespace dw
