#pragma once
// A forward pass of a trained LSTM or GRU forecaster over one window, in plain C++ on the
// CPU, for streams that forecast one point at a time. LibTorch spends most of such a small
// pass (2 x 64 units over 48 steps) dispatching about ten operators per step; here each
// layer's input projection is one loop over the window, each step one pass over the
// transposed recurrent weights, and the gates use expf. The numbers are those of the
// network (float32; they agree with LibTorch to rounding). No LibTorch in this header.
#include <memory>
#include <vector>

namespace dw::timeseries {

class ForecasterImpl;

class RecurrentKernel {
public:
    // The weights of an LSTM or GRU forecaster (RecurrentForecasterImpl); nullptr for any
    // other network (CNN, MLP) or names that do not match.
    static std::unique_ptr<RecurrentKernel> from(ForecasterImpl &model);

    // window: W rows of F features (scaled, as the network reads them), row-major. output:
    // H × T values, as ForecasterImpl::forward gives them (the residual added).
    void forward(const float *window, float *output);

private:
    RecurrentKernel() = default;

    struct Layer {
        int inputs = 0;
        std::vector<float> inputWeights;      // [inputs][gates], transposed
        std::vector<float> recurrentWeights;  // [hidden][gates], transposed
        std::vector<float> bias;              // [gates]: b_ih + b_hh (GRU: b_hh of the new gate kept apart)
        std::vector<float> newGateBias;       // GRU: b_hn [hidden]
    };

    bool m_gru = false;
    int m_window = 0, m_features = 0, m_hidden = 0, m_targets = 0, m_outputs = 0;
    bool m_residual = true;
    std::vector<Layer> m_layers;
    std::vector<float> m_headWeights;  // [hidden][outputs], transposed
    std::vector<float> m_headBias;     // [outputs]
    // Scratch, reused: projections [W][gates], layer outputs [W][hidden], one step's gates.
    std::vector<float> m_projected, m_sequence, m_next, m_gates, m_recurrent, m_state, m_cell;
};

}  // namespace dw::timeseries
