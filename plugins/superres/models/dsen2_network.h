#pragma once
// The DSen2-style super-resolution network (Lanaras et al., 2018, "Super-resolution of
// Sentinel-2 images: learning a globally applicable deep neural network"). It works on the
// target grid: its input is the low-resolution bands already upsampled (bicubic) to it,
// [N, B, H, W], and it learns the residual that bicubic misses:
//   head:   conv 3×3 (B → filters) + ReLU
//   blocks: `blocks` × [conv 3×3 → ReLU → conv 3×3, scaled by 0.1, added to the block input]
//   tail:   conv 3×3 (filters → B)
//   output: tail + input
// At initialisation the tail is small (its default weights × 0.1, bias 0): the output starts
// close to the bicubic input.
// Guided (DSen2's 20 m → 10 m and 60 m → 10 m networks): the input also carries `guideBands`
// channels of a raster already on the target grid (e.g. Sentinel-2's 10 m bands), after the
// upsampled ones, [N, bands + guideBands, H, W]; the head reads them all, the tail writes
// `bands` channels and the skip adds the upsampled bands only.
// Any band count ≥ 1 and any integer scale (the scale only shapes the data). Parameter names:
// head.*, blocks.N.conv1.*, blocks.N.conv2.*, tail.*.
#include "plugins/superres/models/sr_network_spec.h"

#include <torch/nn/module.h>
#include <torch/nn/modules/container/modulelist.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/pimpl.h>

namespace dw::superres {

class Dsen2ResBlockImpl : public torch::nn::Module {
public:
    Dsen2ResBlockImpl(int filters, double residualScale);
    torch::Tensor forward(const torch::Tensor &x);

private:
    torch::nn::Conv2d m_conv1{nullptr};
    torch::nn::Conv2d m_conv2{nullptr};
    double m_residualScale;
};
TORCH_MODULE(Dsen2ResBlock);

class Dsen2NetworkImpl : public torch::nn::Module {
public:
    // The spec must be valid (SrNetworkSpec::problem() empty).
    explicit Dsen2NetworkImpl(const SrNetworkSpec &spec);
    // upsampled: [N, bands + guideBands, H, W], normalised. Returns [N, bands, H, W].
    torch::Tensor forward(const torch::Tensor &upsampled);
    const SrNetworkSpec &spec() const { return m_spec; }

    // DSen2's scaling of each block's residual.
    static constexpr double kResidualScale = 0.1;
    // The tail's initial weights are LibTorch's default times this (see the constructor).
    static constexpr double kTailInitScale = 0.1;

private:
    SrNetworkSpec m_spec;
    torch::nn::Conv2d m_head{nullptr};
    torch::nn::ModuleList m_blocks{nullptr};
    torch::nn::Conv2d m_tail{nullptr};
};
TORCH_MODULE(Dsen2Network);

}  // namespace dw::superres
