#include "plugins/timeseries/infer/recurrent_kernel.h"

#include "plugins/timeseries/models/forecaster.h"

#include <cmath>

namespace dw::timeseries {

namespace {

inline float sigmoid(float x)
{
    return 1.0f / (1.0f + std::exp(-x));
}
inline float tanhFast(float x)
{
    return 2.0f * sigmoid(2.0f * x) - 1.0f;
}

// [rows][cols] row-major from a 2-D tensor [cols][rows]: the transpose, as floats.
std::vector<float> transposed(const torch::Tensor &tensor)
{
    const torch::Tensor t = tensor.detach().to(torch::kCPU, torch::kFloat32).t().contiguous();
    return std::vector<float>(t.data_ptr<float>(), t.data_ptr<float>() + t.numel());
}

std::vector<float> values(const torch::Tensor &tensor)
{
    const torch::Tensor t = tensor.detach().to(torch::kCPU, torch::kFloat32).contiguous();
    return std::vector<float>(t.data_ptr<float>(), t.data_ptr<float>() + t.numel());
}

// out[g] += sum_k in[k] * weights[k][g], weights transposed: each k one contiguous axpy.
inline void accumulate(const float *in, int inputs, const float *weights, int gates, float *out)
{
    for (int k = 0; k < inputs; ++k) {
        const float v = in[k];
        const float *row = weights + std::size_t(k) * std::size_t(gates);
        for (int g = 0; g < gates; ++g)
            out[g] += v * row[g];
    }
}

}  // namespace

std::unique_ptr<RecurrentKernel> RecurrentKernel::from(ForecasterImpl &model)
{
    const ForecasterSpec &spec = model.spec();
    if ((spec.kind != "lstm" && spec.kind != "gru") || model.parameters().empty())  // empty: an ONNX graph
        return nullptr;
    torch::NoGradGuard noGrad;
    const auto parameters = model.named_parameters();
    std::unique_ptr<RecurrentKernel> kernel(new RecurrentKernel());
    RecurrentKernel &k = *kernel;
    k.m_gru = spec.kind == "gru";
    k.m_window = int(spec.window);
    k.m_features = int(spec.features);
    k.m_hidden = int(spec.hidden);
    k.m_targets = int(spec.targets);
    k.m_outputs = int(spec.horizon * spec.targets);
    k.m_residual = spec.residual;
    const int gates = (k.m_gru ? 3 : 4) * k.m_hidden;
    const std::string prefix = k.m_gru ? "gru." : "lstm.";
    for (int64_t l = 0; l < spec.layers; ++l) {
        const std::string n = std::to_string(l);
        const torch::Tensor *wih = parameters.find(prefix + "weight_ih_l" + n);
        const torch::Tensor *whh = parameters.find(prefix + "weight_hh_l" + n);
        const torch::Tensor *bih = parameters.find(prefix + "bias_ih_l" + n);
        const torch::Tensor *bhh = parameters.find(prefix + "bias_hh_l" + n);
        if (!wih || !whh || !bih || !bhh || whh->size(0) != gates || whh->size(1) != k.m_hidden)
            return nullptr;
        Layer layer;
        layer.inputs = int(wih->size(1));
        layer.inputWeights = transposed(*wih);
        layer.recurrentWeights = transposed(*whh);
        layer.bias = values(*bih);
        const std::vector<float> hiddenBias = values(*bhh);
        for (int g = 0; g < gates; ++g) {
            if (k.m_gru && g >= 2 * k.m_hidden)
                layer.newGateBias.push_back(hiddenBias[std::size_t(g)]);  // inside r * (W_hn h + b_hn)
            else
                layer.bias[std::size_t(g)] += hiddenBias[std::size_t(g)];
        }
        k.m_layers.push_back(std::move(layer));
    }
    const torch::Tensor *headWeight = parameters.find("head.weight");
    const torch::Tensor *headBias = parameters.find("head.bias");
    if (!headWeight || !headBias || headWeight->size(0) != k.m_outputs)
        return nullptr;
    k.m_headWeights = transposed(*headWeight);
    k.m_headBias = values(*headBias);
    k.m_projected.resize(std::size_t(k.m_window) * std::size_t(gates));
    k.m_sequence.resize(std::size_t(k.m_window) * std::size_t(k.m_hidden));
    k.m_next.resize(k.m_sequence.size());
    k.m_gates.resize(std::size_t(gates));
    k.m_recurrent.resize(std::size_t(gates));
    k.m_state.resize(std::size_t(k.m_hidden));
    k.m_cell.resize(std::size_t(k.m_hidden));
    return kernel;
}

void RecurrentKernel::forward(const float *window, float *output)
{
    const int H = m_hidden, gates = (m_gru ? 3 : 4) * H;
    const float *input = window;
    for (std::size_t l = 0; l < m_layers.size(); ++l) {
        const Layer &layer = m_layers[l];
        // The input projection of every step at once.
        for (int t = 0; t < m_window; ++t) {
            float *p = m_projected.data() + std::size_t(t) * std::size_t(gates);
            std::copy(layer.bias.begin(), layer.bias.end(), p);
            accumulate(input + std::size_t(t) * std::size_t(layer.inputs), layer.inputs, layer.inputWeights.data(),
                       gates, p);
        }
        std::fill(m_state.begin(), m_state.end(), 0.0f);
        std::fill(m_cell.begin(), m_cell.end(), 0.0f);
        for (int t = 0; t < m_window; ++t) {
            const float *p = m_projected.data() + std::size_t(t) * std::size_t(gates);
            float *h = m_next.data() + std::size_t(t) * std::size_t(H);
            if (!m_gru) {  // gates i, f, g, o
                std::copy(p, p + gates, m_gates.begin());
                accumulate(m_state.data(), H, layer.recurrentWeights.data(), gates, m_gates.data());
                for (int j = 0; j < H; ++j) {
                    const float i = sigmoid(m_gates[std::size_t(j)]);
                    const float f = sigmoid(m_gates[std::size_t(H + j)]);
                    const float g = tanhFast(m_gates[std::size_t(2 * H + j)]);
                    const float o = sigmoid(m_gates[std::size_t(3 * H + j)]);
                    const float c = f * m_cell[std::size_t(j)] + i * g;
                    m_cell[std::size_t(j)] = c;
                    h[j] = o * tanhFast(c);
                }
            } else {  // gates r, z, n: n = tanh(W_in x + b_in + r * (W_hn h + b_hn))
                std::fill(m_recurrent.begin(), m_recurrent.end(), 0.0f);
                accumulate(m_state.data(), H, layer.recurrentWeights.data(), gates, m_recurrent.data());
                for (int j = 0; j < H; ++j) {
                    const float r = sigmoid(p[j] + m_recurrent[std::size_t(j)]);
                    const float z = sigmoid(p[H + j] + m_recurrent[std::size_t(H + j)]);
                    const float n = tanhFast(
                        p[2 * H + j] + r * (m_recurrent[std::size_t(2 * H + j)] + layer.newGateBias[std::size_t(j)]));
                    h[j] = (1.0f - z) * n + z * m_state[std::size_t(j)];
                }
            }
            std::copy(h, h + H, m_state.begin());
        }
        std::swap(m_sequence, m_next);  // this layer's outputs are the next one's inputs
        input = m_sequence.data();
    }
    // The head on the last step, then the residual: the last observed value of each target.
    std::copy(m_headBias.begin(), m_headBias.end(), output);
    accumulate(m_state.data(), H, m_headWeights.data(), m_outputs, output);
    if (m_residual) {
        const float *last = window + std::size_t(m_window - 1) * std::size_t(m_features);
        for (int o = 0; o < m_outputs; ++o)
            output[o] += last[o % m_targets];  // outputs are [H][T]
    }
}

}  // namespace dw::timeseries
