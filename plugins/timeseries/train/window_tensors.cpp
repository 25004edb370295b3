#include "plugins/timeseries/train/window_tensors.h"

namespace dw::timeseries {

WindowTensors WindowTensors::from(const WindowSet &set)
{
    // from_blob does not own the memory: clone so that the tensors outlive the WindowSet.
    WindowTensors out;
    out.inputs = torch::from_blob(const_cast<float *>(set.inputs.data()),
                                  {int64_t(set.count), set.window, set.features}, torch::kFloat32)
                     .clone();
    out.outputs = torch::from_blob(const_cast<float *>(set.outputs.data()),
                                   {int64_t(set.count), set.horizon, set.targets}, torch::kFloat32)
                      .clone();
    return out;
}

}  // namespace dw::timeseries
