#pragma once
// A multi-layer perceptron on the flattened window (W × F values): `layers` hidden layers
// with ReLU, then a linear layer to all H × T outputs.
#include "plugins/timeseries/models/forecaster.h"

#include <torch/nn/modules/container/sequential.h>

namespace dw::timeseries {

class MlpForecasterImpl : public ForecasterImpl {
public:
    explicit MlpForecasterImpl(ForecasterSpec spec);

protected:
    torch::Tensor body(const torch::Tensor &input) override;

private:
    torch::nn::Sequential m_layers{nullptr};
};
TORCH_MODULE(MlpForecaster);

}  // namespace dw::timeseries
