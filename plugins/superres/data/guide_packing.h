#pragma once
// Guided super-resolution (DSen2's 20 m → 10 m) reads two rasters: the coarse bands to
// super-resolve and a guide `scale` times finer (e.g. Sentinel-2's 10 m bands). So that the
// tiles of the coarse raster (infer/tiled_superresolver.h) carry the guide without a second
// tiling, the guide is packed onto the coarse grid: each coarse pixel gets scale² channels per
// guide band holding the fine pixels it covers — channel bands + g·s² + dy·s + dx holds guide
// band g at (x·s + dx, y·s + dy), LibTorch's pixel_unshuffle layout, which the network runner
// undoes with pixel_shuffle. No LibTorch here.
#include "core/io/raster_buffer.h"
#include "core/util/result.h"

#include <vector>

namespace dw::superres {

struct GuideLayout {
    int bands = 0;       // plain channels first: the bands to super-resolve
    int guideBands = 0;  // guide bands packed after them, scale² channels each (0: not guided)
    int scale = 1;

    bool guided() const { return guideBands > 0; }
    int channels() const { return bands + guideBands * scale * scale; }
    // The input channel that lands in `channel` when a packed tile is flipped/transposed by
    // `transform` (SelfEnsemble's bits: 1 mirror x, 2 mirror y, 4 transpose), so that the
    // fine pixels inside each coarse pixel turn with the tile. Plain channels stay.
    int sourceChannel(int channel, int transform) const;
};

// coarse: W × H with its bands and mask; guide: on the fine grid, covering the coarse window's
// area from the same top-left corner (W·s × H·s; a guide cut short at the raster's right or
// bottom edge repeats its last column or row). Guide nodata pixels take fill[g] (the guide
// band's centre). Returns W × H with coarse.bands + guide.bands·s² channels and coarse's mask.
Result<RasterBuffer> packGuide(const RasterBuffer &coarse, const RasterBuffer &guide, int scale,
                               const std::vector<float> &fill);

}  // namespace dw::superres
