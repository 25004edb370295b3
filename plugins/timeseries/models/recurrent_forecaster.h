#pragma once
// LSTM or GRU (1-3 layers, batch first) over the window; the last step's hidden state goes
// through a linear layer to all H × T outputs at once (direct multi-step forecasting, no
// feedback of its own errors).
#include "plugins/timeseries/models/forecaster.h"

#include <torch/nn/modules/linear.h>
#include <torch/nn/modules/rnn.h>

namespace dw::timeseries {

class RecurrentForecasterImpl : public ForecasterImpl {
public:
    explicit RecurrentForecasterImpl(ForecasterSpec spec);

protected:
    torch::Tensor body(const torch::Tensor &input) override;

private:
    torch::nn::LSTM m_lstm{nullptr};
    torch::nn::GRU m_gru{nullptr};
    torch::nn::Linear m_head{nullptr};
};
TORCH_MODULE(RecurrentForecaster);

}  // namespace dw::timeseries
