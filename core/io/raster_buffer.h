#pragma once
// A window of a raster in memory: `bands` planes of float values, band after band, and a
// validity mask shared by all bands (a pixel is valid when no band holds nodata there).
// The value type that raster I/O (core/io/raster_reader.h, raster_writer.h) and the
// super-resolution task exchange, so that neither needs the other's library (GDAL,
// LibTorch). No GDAL, no LibTorch here.
#include <cstddef>
#include <cstdint>
#include <vector>

namespace dw {

struct RasterBuffer {
    int width = 0;
    int height = 0;
    int bands = 0;
    std::vector<float> values;   // values[(band * height + y) * width + x]; size bands*height*width
    std::vector<uint8_t> valid;  // valid[y * width + x]: 1 = valid, 0 = nodata; empty = every pixel valid

    static RasterBuffer zeros(int width, int height, int bands)
    {
        RasterBuffer buffer;
        buffer.width = width;
        buffer.height = height;
        buffer.bands = bands;
        buffer.values.assign(size_t(width) * size_t(height) * size_t(bands), 0.0f);
        return buffer;
    }

    size_t planeSize() const { return size_t(width) * size_t(height); }
    float *band(int b) { return values.data() + size_t(b) * planeSize(); }
    const float *band(int b) const { return values.data() + size_t(b) * planeSize(); }
    float at(int b, int x, int y) const { return band(b)[size_t(y) * size_t(width) + size_t(x)]; }
    float &at(int b, int x, int y) { return band(b)[size_t(y) * size_t(width) + size_t(x)]; }
    bool isValid(int x, int y) const { return valid.empty() || valid[size_t(y) * size_t(width) + size_t(x)] != 0; }
    bool allValid() const
    {
        for (uint8_t v : valid)
            if (!v)
                return false;
        return true;
    }
};

}  // namespace dw
