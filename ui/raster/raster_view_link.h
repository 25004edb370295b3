#pragma once
// Keeps two raster views on the same ground: a zoom or pan in either moves the other to the
// matching region. The second raster's pixel coordinates are the first's, less an offset,
// times a factor (a super-resolved raster ×2 of a region starting at (x, y): offset (x, y),
// factor 2). forRasters() derives them from the geotransforms when both rasters have one,
// else from the sizes.
#include <QObject>
#include <QPointF>
#include <QPointer>
#include <QRect>

namespace dw {

struct RasterInfo;
class RasterView;

struct RasterViewMapping {
    QPointF offset;       // in the first raster's pixels
    double factor = 1.0;  // second raster's pixels per first raster's pixel

    // first: the whole first raster; region: the part of it the second covers (empty: all).
    static RasterViewMapping forRasters(const RasterInfo &first, const RasterInfo &second, const QRect &region = {});
};

class RasterViewLink : public QObject {
    Q_OBJECT
public:
    RasterViewLink(RasterView *first, RasterView *second, const RasterViewMapping &mapping, QObject *parent = nullptr);

    const RasterViewMapping &mapping() const { return m_mapping; }
    // Moves the second view to match the first.
    void syncSecond();

private:
    void follow(RasterView *from, RasterView *to, bool forward);

    QPointer<RasterView> m_first;
    QPointer<RasterView> m_second;
    RasterViewMapping m_mapping;
    bool m_busy = false;
};

}  // namespace dw
