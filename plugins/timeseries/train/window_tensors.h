#pragma once
// A WindowSet's arrays as tensors: inputs [count, W, F] and outputs [count, H, T], float32,
// on the CPU (batches are picked from them and moved to the device).
#include "core/io/sliding_windows.h"

#include <torch/types.h>

namespace dw::timeseries {

struct WindowTensors {
    torch::Tensor inputs;
    torch::Tensor outputs;

    int64_t count() const { return inputs.defined() ? inputs.size(0) : 0; }
    static WindowTensors from(const WindowSet &set);
};

}  // namespace dw::timeseries
