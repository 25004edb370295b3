#pragma once
// Generated rasters for the super-resolution tests: smooth random fields (a few sinusoids
// of random frequency and phase per band, correlated across bands) with sharp edges (random
// rectangles raised by a step), so that there is detail bicubic upsampling misses. Optional
// nodata holes. And the block mean that stands in for a coarser sensor.
#include "core/io/raster_buffer.h"
#include "core/io/raster_info.h"
#include "core/io/raster_writer.h"

#include <QStringList>

#include <cmath>
#include <random>

namespace dw::test {

inline RasterBuffer smoothRasterWithEdges(int width, int height, int bands, unsigned seed, bool holes = false)
{
    std::mt19937 rng(seed);
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    RasterBuffer r = RasterBuffer::zeros(width, height, bands);
    struct Wave {
        double fx, fy, phase;
    };
    std::vector<Wave> waves;
    for (int k = 0; k < 4; ++k)
        waves.push_back({0.02 + 0.25 * unit(rng), 0.02 + 0.25 * unit(rng), 6.28 * unit(rng)});
    struct Box {
        int x0, y0, x1, y1;
        double step;
    };
    std::vector<Box> boxes;
    for (int k = 0; k < 12; ++k) {
        const int x0 = int(unit(rng) * width), y0 = int(unit(rng) * height);
        boxes.push_back({x0, y0, x0 + 4 + int(unit(rng) * 20), y0 + 4 + int(unit(rng) * 20), 0.5 + unit(rng)});
    }
    for (int b = 0; b < bands; ++b) {
        std::vector<double> weight;
        for (std::size_t k = 0; k < waves.size(); ++k)
            weight.push_back(0.3 + unit(rng));
        const double gain = 100.0 * (b + 1), offset = 1000.0 + 50.0 * b;
        for (int y = 0; y < height; ++y) {
            for (int x = 0; x < width; ++x) {
                double v = 0.0;
                for (std::size_t k = 0; k < waves.size(); ++k)
                    v += weight[k] * std::sin(waves[k].fx * x + waves[k].fy * y + waves[k].phase + 0.3 * b);
                for (const Box &box : boxes)
                    if (x >= box.x0 && x < box.x1 && y >= box.y0 && y < box.y1)
                        v += box.step * (b % 2 == 0 ? 1.0 : -0.7);
                r.at(b, x, y) = float(offset + gain * v);
            }
        }
    }
    if (holes) {
        r.valid.assign(r.planeSize(), 1);
        for (int y = 5; y < 15 && y < height; ++y)
            for (int x = 7; x < 19 && x < width; ++x)
                r.valid[std::size_t(y) * std::size_t(width) + std::size_t(x)] = 0;
    }
    return r;
}

// The mean of each scale × scale block: what a sensor `scale` times coarser sees of `fine`
// (rows and columns beyond the last whole block are dropped).
inline RasterBuffer blockMean(const RasterBuffer &fine, int scale)
{
    RasterBuffer out = RasterBuffer::zeros(fine.width / scale, fine.height / scale, fine.bands);
    for (int b = 0; b < fine.bands; ++b)
        for (int y = 0; y < out.height; ++y)
            for (int x = 0; x < out.width; ++x) {
                double sum = 0.0;
                for (int dy = 0; dy < scale; ++dy)
                    for (int dx = 0; dx < scale; ++dx)
                        sum += fine.at(b, x * scale + dx, y * scale + dy);
                out.at(b, x, y) = float(sum / double(scale * scale));
            }
    return out;
}

// Writes pixels as a Float32 GeoTIFF on the grid of `like` with pixels `pixelFactor` times
// larger (same origin and coordinate system): a coarser sensor's view of the same area.
inline Result<void> writeOnGridOf(const QString &path, const RasterBuffer &pixels, const RasterInfo &like,
                                  int pixelFactor, const QStringList &bandNames)
{
    RasterWriteSpec spec;
    spec.path = path;
    spec.width = pixels.width;
    spec.height = pixels.height;
    spec.bandDescriptions = bandNames;
    spec.dataType = QStringLiteral("Float32");
    spec.georeferenced = true;
    spec.geoTransform = like.geoTransform;
    spec.geoTransform[1] *= pixelFactor;
    spec.geoTransform[5] *= pixelFactor;
    spec.crsWkt = like.crsWkt;
    Result<RasterWriter> writer = RasterWriter::create(spec);
    if (!writer)
        return writer.error();
    if (Result<void> written = writer->write(QRect(0, 0, pixels.width, pixels.height), pixels); !written)
        return written;
    return writer->finish();
}

}  // namespace dw::test
