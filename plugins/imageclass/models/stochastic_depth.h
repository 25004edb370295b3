#pragma once
// torchvision.ops.stochastic_depth in "row" mode, used by EfficientNet's and ConvNeXt's
// residual blocks: while training, each sample's residual branch is dropped with
// probability p, so that the deep networks train as if they were shallower ensembles.
#include <torch/types.h>

namespace dw::imageclass {

// x unchanged in eval mode or for p == 0; otherwise x times a per-sample Bernoulli(1 - p)
// mask divided by 1 - p, so that the expected value equals the eval-mode output.
torch::Tensor stochasticDepth(const torch::Tensor &x, double p, bool training);

}  // namespace dw::imageclass
