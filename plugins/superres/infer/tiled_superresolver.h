#pragma once
// Super-resolves a raster of any size in bounded memory: reads the source pixels of one row
// of tiles at a time (TilePlanner), fills nodata, sends the tiles through the network in
// batches, and hands each finished block of output rows to a writer before the next row is
// read. Memory holds one row of tiles and one block of output rows, whatever the raster's
// size. Nodata: masked pixels are filled with the tile's band means on the way in and
// marked invalid (nearest input pixel) on the way out; tiles without a valid pixel skip the
// network. Optionally the original bands follow the super-resolved ones, upsampled to the
// new grid (nearest or bicubic). Progress and cancellation through the JobContext, checked
// at every batch. Reading, running and writing are callbacks (RasterReader, the loaded
// network, RasterWriter in the plugin; plain functions in tests): no LibTorch, no GDAL here.
#include "core/io/raster_buffer.h"
#include "core/jobs/job_context.h"
#include "core/util/result.h"
#include "plugins/superres/infer/tile_planner.h"

#include <QRect>
#include <QSize>

#include <functional>
#include <vector>

namespace dw::superres {

enum class OriginalBands { None, Nearest, Bicubic };

struct TiledSuperResolutionOptions {
    int scale = 2;
    int tileSize = 128;  // input pixels a side, overlap included
    int overlap = 8;     // input pixels of context on each side, thrown away afterwards
    int batchSize = 8;   // tiles per network call
    QRect roi{};         // raster pixels; empty = the whole raster
    OriginalBands originals = OriginalBands::None;
    int minimumSize = TilePlanner::kDefaultMinimumSize;
    // Bands the network returns per tile; 0: as many as the tile has. Fewer when the tiles also
    // carry a packed guide (data/guide_packing.h), which is neither output nor copied as an original.
    int outputBands = 0;
};

struct TiledSuperResolutionStats {
    int tiles = 0;         // tiles planned
    int networkTiles = 0;  // tiles that went through the network (the rest were all nodata)
    int batches = 0;
    int rowBlocks = 0;  // blocks of output rows written
    QSize outputSize;
    qint64 peakBufferedValues = 0;  // the most floats held at once (source row + tiles + output block)
};

class TiledSuperResolver {
public:
    // The raster pixels of a window inside the raster, every band the network takes.
    using ReadWindow = std::function<Result<RasterBuffer>(const QRect &window)>;
    // Tiles of equal size, all bands, no nodata; one output per tile, scale times larger
    // with the same bands (or options.outputBands).
    using RunBatch = std::function<Result<std::vector<RasterBuffer>>(const std::vector<RasterBuffer> &tiles)>;
    // A block of output rows at outputWindow (output pixels, origin at the region's top
    // left): the super-resolved bands, then the originals if asked for. Its mask is empty
    // when the source had none.
    using WriteBlock = std::function<Result<void>(const QRect &outputWindow, const RasterBuffer &block)>;

    explicit TiledSuperResolver(TiledSuperResolutionOptions options);

    const TiledSuperResolutionOptions &options() const { return m_options; }
    // The plan run() follows (errors for bad sizes, regions or tile settings).
    Result<SuperResTilePlan> plan(QSize rasterSize) const;

    // Cancelled: an error "cancelled" after the last finished block (what was written stays
    // with the writer, which must not make it look complete).
    Result<TiledSuperResolutionStats> run(QSize rasterSize, const ReadWindow &read, const RunBatch &network,
                                          const WriteBlock &write, JobContext &context) const;

private:
    TiledSuperResolutionOptions m_options;
};

}  // namespace dw::superres
