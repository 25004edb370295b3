#pragma once
// Wald's protocol for training super-resolution without higher-resolution data: a raster is
// degraded to a grid `scale` times coarser, and the network learns to restore the original
// from it (the degraded raster, upsampled again, is the input; the original the target).
//
// The degradation, as in DSen2's own code (Lanaras et al., 2018: a Gaussian filter with
// σ = 1/s, then the mean of s×s blocks):
//   1. Gaussian blur with σ = 1/scale measured in pixels of the ORIGINAL (fine) grid. This is
//      DSen2's choice (scipy gaussian_filter(img, sigma=1/s) before block averaging): a mild
//      anti-aliasing filter that, together with the block mean, approximates the wider point
//      spread of a coarser sensor; σ in coarse pixels (s times wider) would blur the fine
//      grid by a full coarse pixel and throw away the very detail the network must learn.
//      Kernel side 2·⌈3σ⌉ + 1 (5 for ×2, 3 for ×3 and up), borders mirrored (scipy's
//      "reflect"). Nodata pixels do not enter the blur: it is a normalised convolution
//      (blur of values × mask divided by blur of the mask).
//   2. the mean of each scale×scale block (OpenCV INTER_AREA, exact block mean for integer
//      factors). Rows and columns beyond the last whole block are dropped.
//   3. a coarse pixel is valid only when all its scale×scale source pixels were valid.
// The upsampling back to the fine grid (step 3 of the protocol) is bicubicUpsample() in
// models/bicubic_upsampling.h, shared with inference. No OpenCV or LibTorch here.
#include "core/io/raster_buffer.h"
#include "core/util/result.h"

namespace dw::superres {

class WaldDegradation {
public:
    static double blurSigma(int scale) { return 1.0 / double(scale); }
    // Odd kernel side for σ: 2·⌈3σ⌉ + 1.
    static int kernelSize(double sigma);

    // Degrades the fine raster to ⌊width/scale⌋ × ⌊height/scale⌋. An error when the scale is
    // below 2 or the raster is smaller than one block.
    static Result<RasterBuffer> degrade(const RasterBuffer &fine, int scale);
    // Only step 1 (for tests and for looking at it): the blurred fine raster, same size.
    static RasterBuffer blur(const RasterBuffer &fine, double sigma);
};

}  // namespace dw::superres
