#pragma once
// Geometric self-ensemble for super-resolution (Lim et al. 2017, "EDSR+"): each tile also goes
// through the network mirrored and/or transposed, the outputs are turned back and averaged.
// Costs `views` times the compute; typically a few tenths of a dB PSNR, as the network's
// errors differ between orientations while the image content does not. Wraps the network
// callback of TiledSuperResolver; tiles must be square (TilePlanner's are). No LibTorch.
#include "plugins/superres/data/guide_packing.h"
#include "plugins/superres/infer/tiled_superresolver.h"

namespace dw::superres {

class SelfEnsemble {
public:
    // views 1 (the network alone), 2 (+ mirrored left-right), 4 (+ upside down, + both) or 8
    // (the same four transposed). Other values are rounded down to one of those. Tiles of a
    // guided module carry a packed guide (data/guide_packing.h): its layout turns the fine
    // pixels inside each coarse pixel with the tile.
    static TiledSuperResolver::RunBatch wrap(TiledSuperResolver::RunBatch network, int views, GuideLayout layout = {});

    // The eight flips/rotations of a square buffer (bit 0 mirror x, bit 1 mirror y, bit 2
    // transpose, applied in that order) and their inverses (the mask follows the values).
    static RasterBuffer apply(const RasterBuffer &square, int transform, const GuideLayout &layout = {});
    static RasterBuffer invert(const RasterBuffer &square, int transform);
};

}  // namespace dw::superres
