#pragma once
// Image quality of a reconstruction against its reference, band by band, on the valid
// pixels only: PSNR, SSIM (Wang et al. 2004) and SRE (signal-to-reconstruction error ratio,
// Lanaras et al. 2018 — DSen2). Super-resolution scores its model and bicubic upsampling
// with these on a held-out area. Plain float planes and RasterBuffers; no LibTorch.
#include "core/io/raster_buffer.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <cstdint>
#include <limits>
#include <vector>

namespace dw {

struct BandQuality {
    qint64 count = 0;                                             // valid pixels compared
    double psnr = std::numeric_limits<double>::quiet_NaN();       // dB; +inf for an exact copy
    double ssim = std::numeric_limits<double>::quiet_NaN();       // −1 … 1
    double sre = std::numeric_limits<double>::quiet_NaN();        // dB; +inf for an exact copy
    double dataRange = std::numeric_limits<double>::quiet_NaN();  // the range PSNR and SSIM used
    // {"psnr", "ssim", "sre", "count", "data_range"}; NaN and infinities as null.
    QJsonObject toJson() const;
};

class ImageQuality {
public:
    // Pixels whose mask byte is 0 are left out; mask nullptr: every pixel counts.
    // dataRange <= 0 (or NaN): max − min of the reference's valid values (1 when those are
    // all equal, so that a constant band still gives a finite score).
    static double dataRangeOf(const float *reference, const uint8_t *mask, size_t count);

    // 10·log10(R² / MSE). +inf when the two are equal; NaN without valid pixels.
    static double psnr(const float *reference, const float *estimate, const uint8_t *mask, size_t count,
                       double dataRange = 0.0);
    // 10·log10(μ² / MSE) with μ the mean of the reference's valid values. +inf when equal.
    static double sre(const float *reference, const float *estimate, const uint8_t *mask, size_t count);
    // Mean SSIM: Gaussian window 11×11, σ 1.5, K1 0.01, K2 0.03, C = (K·R)². The local
    // means, variances and covariance are weighted by the window times the mask
    // (normalised convolution), so nodata never enters them; the map is averaged over the
    // valid pixels whose whole window lies inside the image (Wang's 'valid' filtering), or
    // over every valid pixel when the image is narrower or lower than the window.
    static double ssim(const float *reference, const float *estimate, const uint8_t *mask, int width, int height,
                       double dataRange = 0.0);

    // All three for one plane.
    static BandQuality compare(const float *reference, const float *estimate, const uint8_t *mask, int width,
                               int height, double dataRange = 0.0);

    // Band by band; a pixel counts when it is valid in both buffers. dataRanges[b] <= 0 or
    // missing: taken from the reference band. The buffers must have the same shape (empty
    // result otherwise).
    static std::vector<BandQuality> compare(const RasterBuffer &reference, const RasterBuffer &estimate,
                                            const std::vector<double> &dataRanges = {});

    // Mean of each score over the bands (finite values only; NaN when there are none).
    static BandQuality mean(const std::vector<BandQuality> &bands);
    // [{"band": name, ...scores}, ...]; names default to "band 1", "band 2", ...
    static QJsonArray toJson(const std::vector<BandQuality> &bands, const QStringList &names = {});
};

}  // namespace dw
