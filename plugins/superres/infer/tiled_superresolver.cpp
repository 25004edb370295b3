// One row of tiles at a time: read, fill nodata, run in batches, place the cores, write.
#include "plugins/superres/infer/tiled_superresolver.h"

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>

namespace dw::superres {

namespace {

// Replaces the tile's nodata pixels by the band means of its valid ones; false when the
// tile holds no valid pixel at all.
bool fillNodata(RasterBuffer &tile)
{
    if (tile.valid.empty())
        return true;
    const size_t plane = tile.planeSize();
    size_t validCount = 0;
    for (uint8_t v : tile.valid)
        validCount += v ? 1 : 0;
    if (validCount == 0)
        return false;
    if (validCount == plane)
        return true;
    for (int b = 0; b < tile.bands; ++b) {
        float *values = tile.band(b);
        double sum = 0.0;
        for (size_t i = 0; i < plane; ++i)
            if (tile.valid[i])
                sum += values[i];
        const float mean = float(sum / double(validCount));
        for (size_t i = 0; i < plane; ++i)
            if (!tile.valid[i])
                values[i] = mean;
    }
    return true;
}

// Copies the core of a network output (or of an upsampled tile) into the block of rows.
void placeCore(const RasterBuffer &from, const QRect &fromRect, RasterBuffer &block, int firstBand,
               const QRect &outputRect, int blockTop)
{
    for (int b = 0; b < from.bands; ++b) {
        for (int y = 0; y < fromRect.height(); ++y) {
            const float *src = from.band(b) + size_t(fromRect.y() + y) * size_t(from.width) + size_t(fromRect.x());
            float *dst = block.band(firstBand + b) + size_t(outputRect.y() - blockTop + y) * size_t(block.width) +
                         size_t(outputRect.x());
            std::copy(src, src + fromRect.width(), dst);
        }
    }
}

// The tile's first `bands` bands upsampled by the scale: nearest (pixel replication) or bicubic
// (OpenCV, a = −0.75).
RasterBuffer upsample(const RasterBuffer &tile, int bands, int scale, OriginalBands mode)
{
    RasterBuffer out = RasterBuffer::zeros(tile.width * scale, tile.height * scale, bands);
    for (int b = 0; b < bands; ++b) {
        const cv::Mat src(tile.height, tile.width, CV_32F, const_cast<float *>(tile.band(b)));
        cv::Mat dst(out.height, out.width, CV_32F, out.band(b));
        cv::resize(src, dst, dst.size(), 0, 0, mode == OriginalBands::Bicubic ? cv::INTER_CUBIC : cv::INTER_NEAREST);
    }
    return out;
}

}  // namespace

TiledSuperResolver::TiledSuperResolver(TiledSuperResolutionOptions options) : m_options(std::move(options))
{}

Result<SuperResTilePlan> TiledSuperResolver::plan(QSize rasterSize) const
{
    return TilePlanner::plan(rasterSize, m_options.roi, m_options.tileSize, m_options.overlap, m_options.scale,
                             m_options.minimumSize);
}

Result<TiledSuperResolutionStats> TiledSuperResolver::run(QSize rasterSize, const ReadWindow &read,
                                                          const RunBatch &network, const WriteBlock &write,
                                                          JobContext &context) const
{
    Result<SuperResTilePlan> planned = plan(rasterSize);
    if (!planned)
        return planned.error();
    const SuperResTilePlan &tiles = *planned;
    const int scale = tiles.scale;
    const int batchSize = std::max(1, m_options.batchSize);
    TiledSuperResolutionStats stats;
    stats.tiles = tiles.tileCount();
    stats.outputSize = tiles.outputSize;
    int done = 0;

    for (const SuperResTileRow &row : tiles.rows) {
        if (context.isCancelled())
            return failure(QStringLiteral("cancelled"));
        Result<RasterBuffer> source = read(row.source);
        if (!source)
            return source.error();
        if (source->width != row.source.width() || source->height != row.source.height() || source->bands < 1)
            return failure(QStringLiteral("the raster reader returned %1 × %2 pixels for a window of %3 × %4")
                               .arg(source->width)
                               .arg(source->height)
                               .arg(row.source.width())
                               .arg(row.source.height()));
        const int bands = m_options.outputBands > 0 ? m_options.outputBands : source->bands;
        if (bands > source->bands)
            return failure(QStringLiteral("the raster reader returned %1 band(s) where the network writes %2")
                               .arg(source->bands)
                               .arg(bands));
        const bool masked = !source->valid.empty();
        const int outBands = bands * (m_options.originals == OriginalBands::None ? 1 : 2);
        RasterBuffer block = RasterBuffer::zeros(row.outputRows.width(), row.outputRows.height(), outBands);
        if (masked)
            block.valid.assign(block.planeSize(), 0);
        qint64 buffered = qint64(source->values.size() + block.values.size());

        // Windows of this row, nodata filled; those without a valid pixel stay out.
        std::vector<RasterBuffer> windows;
        std::vector<size_t> runnable;
        for (size_t t = 0; t < row.tiles.size(); ++t) {
            windows.push_back(TilePlanner::extract(*source, row.source, row.tiles[t].window, rasterSize));
            if (fillNodata(windows.back()))
                runnable.push_back(t);
            buffered += qint64(windows.back().values.size());
        }
        source = RasterBuffer();  // the row's tiles hold what is needed now

        for (size_t first = 0; first < runnable.size(); first += size_t(batchSize)) {
            if (context.isCancelled())
                return failure(QStringLiteral("cancelled"));
            const size_t last = std::min(runnable.size(), first + size_t(batchSize));
            std::vector<RasterBuffer> batch;
            for (size_t i = first; i < last; ++i)
                batch.push_back(windows[runnable[i]]);  // a copy: the originals may still be needed
            Result<std::vector<RasterBuffer>> outputs = network(batch);
            if (!outputs)
                return outputs.error();
            ++stats.batches;
            if (outputs->size() != batch.size())
                return failure(QStringLiteral("the network returned %1 tiles for a batch of %2")
                                   .arg(outputs->size())
                                   .arg(batch.size()));
            for (size_t i = first; i < last; ++i) {
                const SuperResTile &tile = row.tiles[runnable[i]];
                const RasterBuffer &out = (*outputs)[i - first];
                if (out.width != tiles.tileSize * scale || out.height != tiles.tileSize * scale || out.bands != bands)
                    return failure(QStringLiteral("the network returned a %1 × %2 tile of %3 bands where %4 × %4 "
                                                  "of %5 bands were expected")
                                       .arg(out.width)
                                       .arg(out.height)
                                       .arg(out.bands)
                                       .arg(tiles.tileSize * scale)
                                       .arg(bands));
                placeCore(out, tile.coreInOutput(scale), block, 0, tile.output, row.outputRows.y());
                ++stats.networkTiles;
            }
            buffered += qint64(batch.size()) * qint64(batch.front().values.size()) * (1 + qint64(scale) * scale);
            done += int(last - first);
            context.setProgress(qint64(done), qint64(stats.tiles),
                                QStringLiteral("tile %1 of %2").arg(done).arg(stats.tiles));
        }

        for (size_t t = 0; t < row.tiles.size(); ++t) {
            const SuperResTile &tile = row.tiles[t];
            const QRect core = tile.coreInOutput(scale);
            if (m_options.originals != OriginalBands::None)
                placeCore(upsample(windows[t], bands, scale, m_options.originals), core, block, bands, tile.output,
                          row.outputRows.y());
            if (!masked)
                continue;
            // The output mask follows the nearest input pixel.
            const RasterBuffer &window = windows[t];
            for (int y = 0; y < core.height(); ++y) {
                const int wy = (core.y() + y) / scale;
                uint8_t *dst = block.valid.data() +
                               size_t(tile.output.y() - row.outputRows.y() + y) * size_t(block.width) +
                               size_t(tile.output.x());
                for (int x = 0; x < core.width(); ++x)
                    dst[x] = window.valid[size_t(wy) * size_t(window.width) + size_t((core.x() + x) / scale)];
            }
        }
        if (masked)
            for (int b = 0; b < block.bands; ++b)
                for (size_t i = 0; i < block.planeSize(); ++i)
                    if (!block.valid[i])
                        block.band(b)[i] = 0.0f;
        done += int(row.tiles.size() - runnable.size());  // tiles that skipped the network
        stats.peakBufferedValues = std::max(stats.peakBufferedValues, buffered);
        Result<void> written = write(row.outputRows, block);
        if (!written)
            return written.error();
        ++stats.rowBlocks;
        context.setProgress(qint64(done), qint64(stats.tiles),
                            QStringLiteral("tile %1 of %2").arg(done).arg(stats.tiles));
    }
    return stats;
}

}  // namespace dw::superres
