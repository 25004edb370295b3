// Balanced tiling of the region of interest and mirrored extraction of each window.
#include "plugins/superres/infer/tile_planner.h"

#include <algorithm>
#include <utility>

namespace dw::superres {

namespace {

// Splits [start, start + length) into n = ceil(length / step) spans whose lengths differ by
// at most one: (offset, length) pairs.
std::vector<std::pair<int, int>> balancedSpans(int start, int length, int step)
{
    const int n = (length + step - 1) / step;
    std::vector<std::pair<int, int>> spans;
    const int base = length / n, extra = length % n;
    int at = start;
    for (int i = 0; i < n; ++i) {
        const int len = base + (i < extra ? 1 : 0);
        spans.emplace_back(at, len);
        at += len;
    }
    return spans;
}

// The raster positions [from, to) map to once mirrored: their bounding interval.
std::pair<int, int> mirroredSpan(int from, int to, int size)
{
    int lo = size, hi = -1;
    // Inside the raster the identity; outside, at most 2·(size − 1) distinct mirror images.
    const int inFrom = std::max(from, 0), inTo = std::min(to, size);
    if (inFrom < inTo) {
        lo = inFrom;
        hi = inTo - 1;
    }
    auto cover = [&](int a, int b) {                  // positions [a, b) outside the raster
        const int limit = std::min(b - a, 2 * size);  // the reflection repeats with period 2(size−1)
        for (int i = 0; i < limit; ++i) {
            const int m = TilePlanner::mirror(a + i, size);
            lo = std::min(lo, m);
            hi = std::max(hi, m);
        }
        // Far beyond the period every position appears: the whole raster.
        if (b - a > limit) {
            lo = 0;
            hi = size - 1;
        }
    };
    if (from < 0)
        cover(from, std::min(to, 0));
    if (to > size)
        cover(std::max(from, size), to);
    return {lo, hi + 1};
}

}  // namespace

QRect SuperResTile::coreInOutput(int scale) const
{
    return QRect((core.x() - window.x()) * scale, (core.y() - window.y()) * scale, core.width() * scale,
                 core.height() * scale);
}

int SuperResTilePlan::tileCount() const
{
    int n = 0;
    for (const SuperResTileRow &row : rows)
        n += int(row.tiles.size());
    return n;
}

Result<SuperResTilePlan> TilePlanner::plan(QSize rasterSize, QRect roi, int tileSize, int overlap, int scale,
                                           int minimumSize)
{
    if (scale < 1)
        return failure(QStringLiteral("the scale must be a whole number of at least 1, not %1").arg(scale));
    if (overlap < 0 || tileSize <= 2 * overlap)
        return failure(QStringLiteral("a tile of %1 pixels leaves nothing inside an overlap of %2 pixels on each "
                                      "side: choose a tile larger than twice the overlap")
                           .arg(tileSize)
                           .arg(overlap));
    if (rasterSize.width() < minimumSize || rasterSize.height() < minimumSize)
        return failure(QStringLiteral("the raster is %1 × %2 pixels; super-resolution needs at least %3 × %3 "
                                      "pixels (smaller rasters are mirrored up to a tile, but not below that)")
                           .arg(rasterSize.width())
                           .arg(rasterSize.height())
                           .arg(minimumSize));
    const QRect whole(QPoint(0, 0), rasterSize);
    if (roi.isEmpty())
        roi = whole;
    if (!whole.contains(roi))
        return failure(QStringLiteral("the region %1,%2,%3,%4 (x,y,width,height) is not inside the raster of "
                                      "%5 × %6 pixels")
                           .arg(roi.x())
                           .arg(roi.y())
                           .arg(roi.width())
                           .arg(roi.height())
                           .arg(rasterSize.width())
                           .arg(rasterSize.height()),
                       QStringLiteral("roi"));

    SuperResTilePlan plan;
    plan.rasterSize = rasterSize;
    plan.roi = roi;
    plan.tileSize = std::min(tileSize, std::max(roi.width(), roi.height()) + 2 * overlap);
    plan.overlap = overlap;
    plan.scale = scale;
    plan.outputSize = roi.size() * scale;
    const int step = plan.tileSize - 2 * overlap;
    const auto columns = balancedSpans(roi.x(), roi.width(), step);
    for (const auto &[y, height] : balancedSpans(roi.y(), roi.height(), step)) {
        SuperResTileRow row;
        for (const auto &[x, width] : columns) {
            SuperResTile tile;
            tile.core = QRect(x, y, width, height);
            tile.window = QRect(x - overlap, y - overlap, plan.tileSize, plan.tileSize);
            tile.output = QRect((x - roi.x()) * scale, (y - roi.y()) * scale, width * scale, height * scale);
            row.tiles.push_back(tile);
        }
        row.outputRows = QRect(0, (y - roi.y()) * scale, plan.outputSize.width(), height * scale);
        const QRect first = row.tiles.front().window, last = row.tiles.back().window;
        const auto [x0, x1] = mirroredSpan(first.left(), last.right() + 1, rasterSize.width());
        const auto [y0, y1] = mirroredSpan(first.top(), first.bottom() + 1, rasterSize.height());
        row.source = QRect(x0, y0, x1 - x0, y1 - y0);
        plan.rows.push_back(std::move(row));
    }
    return plan;
}

int TilePlanner::mirror(int index, int size)
{
    if (size <= 1)
        return 0;
    const int period = 2 * (size - 1);
    int m = index % period;
    if (m < 0)
        m += period;
    return m < size ? m : period - m;
}

RasterBuffer TilePlanner::extract(const RasterBuffer &source, const QRect &sourceRect, const QRect &window,
                                  QSize rasterSize)
{
    RasterBuffer tile = RasterBuffer::zeros(window.width(), window.height(), source.bands);
    std::vector<int> xs(size_t(window.width()));
    for (int i = 0; i < window.width(); ++i)
        xs[size_t(i)] = mirror(window.x() + i, rasterSize.width()) - sourceRect.x();
    if (!source.valid.empty())
        tile.valid.assign(tile.planeSize(), 0);
    for (int j = 0; j < window.height(); ++j) {
        const int sy = mirror(window.y() + j, rasterSize.height()) - sourceRect.y();
        const size_t sourceRow = size_t(sy) * size_t(source.width);
        const size_t tileRow = size_t(j) * size_t(tile.width);
        for (int b = 0; b < source.bands; ++b) {
            const float *from = source.band(b) + sourceRow;
            float *to = tile.band(b) + tileRow;
            for (int i = 0; i < window.width(); ++i)
                to[i] = from[xs[size_t(i)]];
        }
        if (!source.valid.empty())
            for (int i = 0; i < window.width(); ++i)
                tile.valid[tileRow + size_t(i)] = source.valid[sourceRow + size_t(xs[size_t(i)])];
    }
    return tile;
}

}  // namespace dw::superres
