#pragma once
// A 1-D CNN over time: `layers` convolutions (kernel 3, dilation 1, 2, 4, ... so that the
// receptive field grows fast without pooling away the recent steps), ReLU between them,
// then a linear layer from the flattened feature map to all H × T outputs.
#include "plugins/timeseries/models/forecaster.h"

#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/modules/linear.h>

namespace dw::timeseries {

class ConvForecasterImpl : public ForecasterImpl {
public:
    explicit ConvForecasterImpl(ForecasterSpec spec);

protected:
    torch::Tensor body(const torch::Tensor &input) override;

private:
    torch::nn::Sequential m_convs{nullptr};
    torch::nn::Linear m_head{nullptr};
};
TORCH_MODULE(ConvForecaster);

}  // namespace dw::timeseries
