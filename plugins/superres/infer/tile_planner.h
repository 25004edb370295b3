#pragma once
// Tiles for super-resolving a raster of any size: square windows of tileSize input pixels
// whose cores, grown by an overlapping border on every side, are what the network sees.
// The cores cover the region of interest exactly once, so that their outputs (each core
// times the scale) cover the output exactly once; the borders only give the network context
// and are thrown away. Where a window reaches past the raster's edge its pixels are
// mirrored (reflect padding: … 2 1 | 0 1 2 …). Tiles come in rows, so that the output can
// be written one finished block of rows at a time. No LibTorch, no GDAL.
#include "core/io/raster_buffer.h"
#include "core/util/result.h"

#include <QRect>
#include <QSize>

#include <vector>

namespace dw::superres {

struct SuperResTile {
    QRect core;    // raster pixels inside the region of interest this tile is responsible for
    QRect window;  // raster pixels the network sees: core grown by the overlap, tileSize a side;
                   // may reach outside the raster (mirrored there)
    QRect output;  // core × scale, relative to the output's origin (the region's top left)
    // Where the core's output lies inside the network's output for this tile.
    QRect coreInOutput(int scale) const;
};

struct SuperResTileRow {
    std::vector<SuperResTile> tiles;  // left to right
    QRect outputRows;                 // the output block these tiles complete: full output width
    QRect source;                     // the raster pixels the row's windows need (mirrors included)
};

struct SuperResTilePlan {
    QSize rasterSize;
    QRect roi;         // raster pixels to super-resolve
    int tileSize = 0;  // input pixels a side of each window (may be less than asked for small regions)
    int overlap = 0;
    int scale = 1;
    QSize outputSize;  // roi size × scale
    std::vector<SuperResTileRow> rows;

    int tileCount() const;
};

class TilePlanner {
public:
    // The smallest raster super-resolved (by mirroring it into a tile); smaller ones are an
    // error: a 3×3 convolution needs a neighbourhood, and reflect padding needs 2 pixels.
    static constexpr int kDefaultMinimumSize = 3;

    // roi empty: the whole raster. tileSize must exceed 2·overlap; the windows shrink to
    // max(roi width, roi height) + 2·overlap when the region is smaller than a tile. Core
    // widths within a row (and heights between rows) differ by at most one pixel.
    static Result<SuperResTilePlan> plan(QSize rasterSize, QRect roi, int tileSize, int overlap, int scale,
                                         int minimumSize = kDefaultMinimumSize);

    // index reflected into [0, size): −1 → 1, size → size − 2; folds again as often as
    // needed for windows far larger than the raster. size 1: always 0.
    static int mirror(int index, int size);

    // The window's pixels (all bands, and the mask when source has one) from source, which
    // holds the raster pixels of sourceRect; positions outside rasterSize are mirrored.
    // sourceRect must contain every mirrored position (SuperResTileRow::source does).
    static RasterBuffer extract(const RasterBuffer &source, const QRect &sourceRect, const QRect &window,
                                QSize rasterSize);
};

}  // namespace dw::superres
