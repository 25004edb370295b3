#pragma once
// The state of LibTorch's default random generators (CPU, and the current CUDA device's
// when there is one): what dropout and weight initialisation draw from. Saved in
// checkpoints so that a resumed run draws the same numbers an uninterrupted one would.
#include <torch/types.h>

namespace dw::ml {

struct RandomState {
    torch::Tensor cpu;   // uint8 bytes of the CPU generator
    torch::Tensor cuda;  // undefined without CUDA

    static RandomState capture();
    // Restores what was captured; parts that are undefined are left alone.
    void restore() const;
    // Seeds every generator (torch::manual_seed).
    static void seed(std::uint64_t seed);
};

}  // namespace dw::ml
