#include "plugins/timeseries/models/recurrent_forecaster.h"

namespace dw::timeseries {

RecurrentForecasterImpl::RecurrentForecasterImpl(ForecasterSpec spec) : ForecasterImpl(std::move(spec))
{
    // LibTorch warns about dropout on a single layer (it has nowhere to go).
    const double dropout = m_spec.layers > 1 ? m_spec.dropout : 0.0;
    if (m_spec.kind == "gru") {
        m_gru = register_module("gru", torch::nn::GRU(torch::nn::GRUOptions(m_spec.features, m_spec.hidden)
                                                          .num_layers(m_spec.layers)
                                                          .batch_first(true)
                                                          .dropout(dropout)));
    } else {
        m_lstm = register_module("lstm", torch::nn::LSTM(torch::nn::LSTMOptions(m_spec.features, m_spec.hidden)
                                                             .num_layers(m_spec.layers)
                                                             .batch_first(true)
                                                             .dropout(dropout)));
    }
    m_head = register_module("head", torch::nn::Linear(m_spec.hidden, m_spec.horizon * m_spec.targets));
}

torch::Tensor RecurrentForecasterImpl::body(const torch::Tensor &input)
{
    const torch::Tensor sequence = m_gru ? std::get<0>(m_gru->forward(input)) : std::get<0>(m_lstm->forward(input));
    return m_head->forward(sequence.select(1, sequence.size(1) - 1));
}

}  // namespace dw::timeseries
