#pragma once
// The training material of a super-resolution run, built once from the request's rasters:
// the per-band normalisation fitted on their valid pixels; for each raster, on its target
// grid (cropped to whole blocks of the scale), the normalised original (the target), the
// Wald-degraded copy upsampled back by bicubic interpolation (the input) and the mask of
// pixels the loss may use (the target valid and its coarse pixel valid); the patch sampler
// with the held-out rows; and the validation patches stacked once. Guided (request.guides):
// each guide, normalised on its own and Wald-degraded by the scale onto the raster's grid,
// follows the upsampled bands in the input, which then has bands + guide bands channels.
#include "core/jobs/job_context.h"
#include "core/util/result.h"
#include "plugins/superres/data/band_normalization.h"
#include "plugins/superres/data/patch_sampler.h"
#include "plugins/superres/train/sr_train_request.h"

#include <torch/types.h>

#include <QJsonObject>

#include <vector>

namespace dw::superres {

struct SrPatchBatch {
    torch::Tensor input;   // [N, B (+ G guide bands), p, p] bicubic-upsampled degraded patches, normalised
    torch::Tensor target;  // [N, B, p, p] the originals, normalised
    torch::Tensor mask;    // [N, 1, p, p] 1 where the loss counts
    int64_t count() const { return input.defined() ? input.size(0) : 0; }
};

// Normalisations given instead of fitted on the rasters (fine-tuning keeps its parent's, see
// sr_parent.h); null: fitted.
struct SrGivenNormalization {
    const BandNormalization *bands = nullptr;
    const BandNormalization *guide = nullptr;
};

class SrTrainingData {
public:
    static Result<SrTrainingData> build(const SrTrainRequest &request, const JobContext &context,
                                        const SrGivenNormalization &given = {});

    const BandNormalization &normalization() const { return m_normalization; }
    // Guided runs: the guide bands' normalisation (else empty).
    const BandNormalization &guideNormalization() const { return m_guideNormalization; }
    const PatchSampler &sampler() const { return m_sampler; }
    int patchesPerEpoch() const { return m_patchesPerEpoch; }
    // The patches [begin, begin + count) of `patches`, each flipped/rotated as its transform
    // says, stacked (on the CPU).
    SrPatchBatch gather(const std::vector<PatchRef> &patches, std::size_t begin, std::size_t count) const;
    const SrPatchBatch &validation() const { return m_validation; }
    // Per band, max − min of the valid validation targets (normalised scale): PSNR's peak.
    const std::vector<double> &validationRange() const { return m_validationRange; }
    // {"rasters": [{"name", "width", "height"}], "bands", "sha256" (of the values and masks),
    //  "validation": {"fraction", "rows": "bottom"}, "train_patches_per_epoch", "val_patches"}
    QJsonObject provenance() const { return m_provenance; }
    QString dataHash() const { return m_hash; }

private:
    struct RasterTensors {
        torch::Tensor input, target, mask;  // [B, H, W], [B, H, W], [1, H, W]
    };
    BandNormalization m_normalization;
    BandNormalization m_guideNormalization;
    std::vector<RasterTensors> m_rasters;
    PatchSampler m_sampler;
    int m_patchesPerEpoch = 0;
    int m_patchSize = 0;
    SrPatchBatch m_validation;
    std::vector<double> m_validationRange;
    QJsonObject m_provenance;
    QString m_hash;
};

// Masked L1 over valid pixels and bands: Σ |a − b|·mask / (Σ mask · bands). Mean reduction.
torch::Tensor maskedL1(const torch::Tensor &predicted, const torch::Tensor &target, const torch::Tensor &mask);
// PSNR in dB per band over the masked pixels, with peak = range[b] (see validationRange).
std::vector<double> maskedPsnr(const torch::Tensor &predicted, const torch::Tensor &target, const torch::Tensor &mask,
                               const std::vector<double> &range);

}  // namespace dw::superres
