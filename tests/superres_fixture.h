#pragma once
// Generated rasters for the super-resolution tests: smooth random fields (a few sinusoids
// of random frequency and phase per band, correlated across bands) with sharp edges (random
// rectangles raised by a step), so that there is detail bicubic upsampling misses. Optional
// nodata holes.
#include "core/io/raster_buffer.h"

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

}  // namespace dw::test
