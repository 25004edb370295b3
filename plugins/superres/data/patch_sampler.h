#pragma once
// Where training and validation patches come from. Each raster (on the target grid) keeps a
// held-out band of rows at its bottom for validation: training patches never touch it, and
// validation patches tile it. A patch is usable when more than `minValidFraction` of its
// pixels are valid. Training patches are drawn anew each epoch from a generator seeded with
// (seed, epoch), so that a resumed run draws what an uninterrupted one would.
// Patch sides and positions are multiples of the scale (they stay aligned with the coarse
// grid). No LibTorch or OpenCV here.
#include "core/util/result.h"

#include <QRect>

#include <cstdint>
#include <vector>

namespace dw::superres {

struct PatchRef {
    int raster = 0;  // index in the sampler's rasters
    int x = 0;       // top-left on the target grid
    int y = 0;
    int transform = 0;  // training: one of the 8 flips/rotations (bit 0 mirror x, bit 1 mirror y, bit 2 transpose)
    friend bool operator==(const PatchRef &, const PatchRef &) = default;
};

struct PatchSamplerOptions {
    int patchSize = 48;  // side on the target grid, a multiple of the scale
    int scale = 2;
    double validationFraction = 0.2;  // of each raster's rows, held out at the bottom
    double minValidFraction = 0.5;    // a patch needs strictly more valid pixels than this
    int maxValidationPatches = 256;   // beyond this, an evenly spread subset (validation runs every epoch)
};

class PatchSampler {
public:
    // valid[r]: the validity of raster r on the target grid (row-major, widths[r] × heights[r];
    // empty = all valid). An error when the options make no sense or no raster leaves room
    // for one training patch and one validation patch.
    static Result<PatchSampler> create(const std::vector<QSize> &sizes, const std::vector<std::vector<uint8_t>> &valid,
                                       const PatchSamplerOptions &options);

    // The rows held out of a raster of `size` on the target grid: at least the bottom
    // ⌈validationFraction × height⌉ rows (rounded up to the scale, at least one patch), so
    // that an evaluation on the bottom ⌈fraction × height⌉ rows never sees a training pixel.
    // The training rows are those above it.
    static QRect heldOutRows(QSize size, const PatchSamplerOptions &options);

    const PatchSamplerOptions &options() const { return m_options; }
    // Raster r's held-out rows (its full width); empty when the raster is too small for one.
    QRect validationArea(int raster) const { return m_validation.at(std::size_t(raster)); }
    // Raster r's rows open to training.
    QRect trainingArea(int raster) const { return m_training.at(std::size_t(raster)); }
    // The held-out areas tiled by non-overlapping patches, those that are valid enough (at
    // most maxValidationPatches of them, evenly spread over the tiling).
    const std::vector<PatchRef> &validationPatches() const { return m_validationPatches; }
    // `count` random training patches inside the training areas, valid enough, rasters drawn
    // in proportion to their training area, each with a random flip/rotation (augmentation).
    // Deterministic in (seed, epoch).
    std::vector<PatchRef> trainingPatches(int count, std::uint64_t seed, int epoch) const;
    // Fraction of valid pixels of a patch.
    double validFraction(const PatchRef &patch) const;

private:
    PatchSamplerOptions m_options;
    std::vector<QSize> m_sizes;
    std::vector<std::vector<int64_t>> m_integral;  // per raster, (w+1)×(h+1) summed validity
    std::vector<QRect> m_validation, m_training;
    std::vector<PatchRef> m_validationPatches;
    std::vector<double> m_trainWeights;  // cumulative, for choosing a raster
};

}  // namespace dw::superres
