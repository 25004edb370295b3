#pragma once
// The views test-time augmentation averages: the centre view itself, then fixed flips and
// crops of it. Fixed (not random) so that the same image always gets the same answer.
// Working on the normalised batch is exact: flips and bilinear crop-resizes are per-channel
// weighted means, which commute with the per-channel affine normalisation.
#include <torch/types.h>

namespace dw::imageclass {

// How many different views there are: 1 plus flips and crops (see testTimeView).
int testTimeViewCount();

// View v of a batch N×C×H×W, same shape: 0 the batch itself, 1 mirrored left-right,
// 2 a central zoom, 3-6 the four corner crops (each 87.5 % of the side, resized back),
// 7-11 the mirrored zoom and corner crops. v is taken modulo testTimeViewCount().
torch::Tensor testTimeView(const torch::Tensor &batch, int view);

}  // namespace dw::imageclass
