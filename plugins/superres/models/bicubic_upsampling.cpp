#include "plugins/superres/models/bicubic_upsampling.h"

#include <torch/nn/functional/upsampling.h>

namespace dw::superres {

torch::Tensor bicubicUpsample(const torch::Tensor &lowRes, int scale)
{
    namespace F = torch::nn::functional;
    const std::vector<int64_t> size{lowRes.size(2) * scale, lowRes.size(3) * scale};
    return F::interpolate(lowRes.to(torch::kFloat32),
                          F::InterpolateFuncOptions().size(size).mode(torch::kBicubic).align_corners(false));
}

}  // namespace dw::superres
