#include "ui/raster/raster_view_link.h"

#include "core/io/raster_info.h"
#include "ui/raster/raster_view.h"

#include <cmath>

namespace dw {

RasterViewMapping RasterViewMapping::forRasters(const RasterInfo &first, const RasterInfo &second, const QRect &region)
{
    RasterViewMapping mapping;
    const auto &a = first.geoTransform;
    const auto &b = second.geoTransform;
    // North-up rasters with georeference: the ground tells where the second one lies.
    const bool northUp = a[2] == 0.0 && a[4] == 0.0 && b[2] == 0.0 && b[4] == 0.0 && a[1] != 0.0 && b[1] != 0.0;
    if (first.georeferenced && second.georeferenced && northUp) {
        mapping.factor = a[1] / b[1];
        mapping.offset = QPointF((b[0] - a[0]) / a[1], (b[3] - a[3]) / a[5]);
        return mapping;
    }
    const QRect covered = region.isEmpty() ? QRect(0, 0, first.width, first.height) : region;
    mapping.factor = covered.width() > 0 ? double(second.width) / covered.width() : 1.0;
    mapping.offset = covered.topLeft();
    return mapping;
}

RasterViewLink::RasterViewLink(RasterView *first, RasterView *second, const RasterViewMapping &mapping, QObject *parent)
    : QObject(parent), m_first(first), m_second(second), m_mapping(mapping)
{
    connect(first, &RasterView::viewChanged, this, [this] { follow(m_first, m_second, true); });
    connect(second, &RasterView::viewChanged, this, [this] { follow(m_second, m_first, false); });
}

void RasterViewLink::syncSecond()
{
    follow(m_first, m_second, true);
}

void RasterViewLink::follow(RasterView *from, RasterView *to, bool forward)
{
    if (m_busy || !from || !to || !(m_mapping.factor > 0.0))
        return;
    m_busy = true;
    // The centres match, so that views of different sizes show the same middle.
    const QPointF centre = from->toRaster(QPointF(from->width() / 2.0, from->height() / 2.0));
    const double k = forward ? m_mapping.factor : 1.0 / m_mapping.factor;
    const QPointF mapped = forward ? (centre - m_mapping.offset) * k : centre * k + m_mapping.offset;
    const double scale = from->scale() / k;
    to->setView(mapped - QPointF(to->width() / 2.0, to->height() / 2.0) / scale, scale);
    m_busy = false;
}

}  // namespace dw
