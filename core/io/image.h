#pragma once
// A decoded image as a plain value: no OpenCV type crosses core's API. Samples are
// interleaved row-major (HWC) without row padding, channels in R, G, B, A order (never
// OpenCV's BGR), 8 or 16 bits per sample.
#include <cstddef>
#include <cstdint>
#include <vector>

namespace dw {

struct Image {
    int width = 0;
    int height = 0;
    int channels = 0;  // 1 grey, 2 grey+alpha, 3 RGB, 4 RGBA (or as converted)
    int bitDepth = 8;  // 8: samples in data8; 16: samples in data16
    std::vector<std::uint8_t> data8;
    std::vector<std::uint16_t> data16;

    bool isNull() const { return width <= 0 || height <= 0 || channels <= 0; }
    std::size_t sampleCount() const
    {
        return static_cast<std::size_t>(width) * static_cast<std::size_t>(height) * static_cast<std::size_t>(channels);
    }
    // Start of the samples, whichever the depth.
    const void *data() const
    {
        return bitDepth == 16 ? static_cast<const void *>(data16.data()) : static_cast<const void *>(data8.data());
    }
    void *data() { return bitDepth == 16 ? static_cast<void *>(data16.data()) : static_cast<void *>(data8.data()); }
    std::size_t bytesPerRow() const
    {
        return static_cast<std::size_t>(width) * static_cast<std::size_t>(channels) * (bitDepth == 16 ? 2u : 1u);
    }
    float maxValue() const { return bitDepth == 16 ? 65535.0f : 255.0f; }

    // Sample (x, y, c) scaled to [0, 1].
    float normalized(int x, int y, int c) const
    {
        const std::size_t i = (static_cast<std::size_t>(y) * width + x) * channels + c;
        return (bitDepth == 16 ? static_cast<float>(data16[i]) : static_cast<float>(data8[i])) / maxValue();
    }
    // Every sample scaled to [0, 1], HWC.
    std::vector<float> toFloat() const
    {
        std::vector<float> out(sampleCount());
        const float scale = 1.0f / maxValue();
        for (std::size_t i = 0; i < out.size(); ++i)
            out[i] = (bitDepth == 16 ? static_cast<float>(data16[i]) : static_cast<float>(data8[i])) * scale;
        return out;
    }
};

}  // namespace dw
