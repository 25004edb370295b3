#include "plugins/timeseries/models/conv_forecaster.h"

#include <torch/nn/modules/activation.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/modules/dropout.h>

namespace dw::timeseries {

ConvForecasterImpl::ConvForecasterImpl(ForecasterSpec spec) : ForecasterImpl(std::move(spec))
{
    m_convs = torch::nn::Sequential();
    int64_t channels = m_spec.features;
    for (int64_t layer = 0; layer < m_spec.layers; ++layer) {
        const int64_t dilation = int64_t(1) << std::min<int64_t>(layer, 10);
        // Padding = dilation keeps the length W, so the head sees every step.
        m_convs->push_back(torch::nn::Conv1d(
            torch::nn::Conv1dOptions(channels, m_spec.hidden, 3).padding(dilation).dilation(dilation)));
        m_convs->push_back(torch::nn::ReLU());
        if (m_spec.dropout > 0.0)
            m_convs->push_back(torch::nn::Dropout(m_spec.dropout));
        channels = m_spec.hidden;
    }
    register_module("convs", m_convs);
    m_head = register_module("head", torch::nn::Linear(m_spec.hidden * m_spec.window, m_spec.horizon * m_spec.targets));
}

torch::Tensor ConvForecasterImpl::body(const torch::Tensor &input)
{
    // Conv1d wants [N, channels, length]: the features are the channels.
    const torch::Tensor maps = m_convs->forward(input.transpose(1, 2));
    return m_head->forward(maps.flatten(1));
}

}  // namespace dw::timeseries
