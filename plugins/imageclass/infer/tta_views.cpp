#include "plugins/imageclass/infer/tta_views.h"

#include "core/ml/torch_compat.h"

#include <algorithm>

namespace dw::imageclass {
namespace {

constexpr int kViews = 12;
constexpr double kCropFraction = 0.875;  // as the ten-crop of ImageNet evaluation (224 of 256)

// The crop of a corner (0 top-left, 1 top-right, 2 bottom-left, 3 bottom-right) or the
// centre (-1), resized back to the full size.
torch::Tensor cropView(const torch::Tensor &batch, int corner)
{
    const int64_t h = batch.size(2), w = batch.size(3);
    const int64_t ch = std::max<int64_t>(1, static_cast<int64_t>(h * kCropFraction));
    const int64_t cw = std::max<int64_t>(1, static_cast<int64_t>(w * kCropFraction));
    int64_t top = (h - ch) / 2, left = (w - cw) / 2;
    if (corner >= 0) {
        top = corner >= 2 ? h - ch : 0;
        left = corner % 2 == 1 ? w - cw : 0;
    }
    const torch::Tensor crop = batch.narrow(2, top, ch).narrow(3, left, cw);
    namespace F = torch::nn::functional;
    return F::interpolate(
        crop, F::InterpolateFuncOptions().size(std::vector<int64_t>{h, w}).mode(torch::kBilinear).align_corners(false));
}

}  // namespace

int testTimeViewCount()
{
    return kViews;
}

torch::Tensor testTimeView(const torch::Tensor &batch, int view)
{
    view = ((view % kViews) + kViews) % kViews;
    if (view == 0)
        return batch;
    if (view == 1)
        return batch.flip({3});
    const bool mirrored = view >= 7;
    const int crop = (mirrored ? view - 7 : view - 2) - 1;  // -1 centre zoom, 0..3 corners
    const torch::Tensor out = cropView(batch, crop);
    return mirrored ? out.flip({3}) : out;
}

}  // namespace dw::imageclass
