#include "plugins/timeseries/models/mlp_forecaster.h"

#include <torch/nn/modules/activation.h>
#include <torch/nn/modules/dropout.h>
#include <torch/nn/modules/linear.h>

namespace dw::timeseries {

MlpForecasterImpl::MlpForecasterImpl(ForecasterSpec spec) : ForecasterImpl(std::move(spec))
{
    m_layers = torch::nn::Sequential();
    int64_t width = m_spec.window * m_spec.features;
    for (int64_t layer = 0; layer < m_spec.layers; ++layer) {
        m_layers->push_back(torch::nn::Linear(width, m_spec.hidden));
        m_layers->push_back(torch::nn::ReLU());
        if (m_spec.dropout > 0.0)
            m_layers->push_back(torch::nn::Dropout(m_spec.dropout));
        width = m_spec.hidden;
    }
    m_layers->push_back(torch::nn::Linear(width, m_spec.horizon * m_spec.targets));
    register_module("layers", m_layers);
}

torch::Tensor MlpForecasterImpl::body(const torch::Tensor &input)
{
    return m_layers->forward(input.flatten(1));
}

}  // namespace dw::timeseries
