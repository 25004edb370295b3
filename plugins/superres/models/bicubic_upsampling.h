#pragma once
// Bicubic upsampling by an integer factor, the one routine both the training data (Wald's
// protocol) and inference use, so that the network learns the residual of exactly the
// upsampling it is later given: LibTorch's bicubic interpolation (Keys, a = −0.75, pixel
// centres at half-pixel offsets — align_corners false —, samples outside the image clamped
// to the edge), on whatever device the tensor is.
#include <torch/types.h>

namespace dw::superres {

// [N, C, h, w] → [N, C, h·scale, w·scale], float32.
torch::Tensor bicubicUpsample(const torch::Tensor &lowRes, int scale);

}  // namespace dw::superres
