#include "core/ml/torch/onnx_recurrent.h"

#include <torch/torch.h>

namespace dw::ml {

namespace {

struct Gates {
    std::string inputWeight, hiddenWeight;  // W_ih, W_hh as initializers
    torch::Tensor inputBias, hiddenBias;    // b_ih, b_hh
};

// One step of an LSTM layer: (h, c) from x_t and the previous (h, c) (empty at the first step).
void lstmStep(OnnxGraph &g, const Gates &gates, int64_t hidden, const std::string &x, std::string &h, std::string &c,
              const std::string &here)
{
    const torch::Tensor bias = gates.inputBias + gates.hiddenBias;
    std::string pre =
        g.node("Gemm", {x, gates.inputWeight, g.floats(here + ".bias", {4 * hidden}, bias.data_ptr<float>())},
               here + ".gates", {{"transB", int64_t(1)}});
    if (!h.empty())
        pre =
            g.node("Add", {pre, g.node("Gemm", {h, gates.hiddenWeight}, here + ".recurrent", {{"transB", int64_t(1)}})},
                   here + ".gates_sum");
    auto part = [&](int64_t k, const char *name) {
        return g.node("Slice",
                      {pre, g.int64s(here + ".from", {k * hidden}), g.int64s(here + ".to", {(k + 1) * hidden}),
                       g.int64s(here + ".axis", {1})},
                      here + "." + name);
    };
    // PyTorch's order: input, forget, cell, output.
    const std::string i = g.node("Sigmoid", {part(0, "i")}, here + ".input_gate");
    const std::string f = g.node("Sigmoid", {part(1, "f")}, here + ".forget_gate");
    const std::string cell = g.node("Tanh", {part(2, "g")}, here + ".cell_candidate");
    const std::string o = g.node("Sigmoid", {part(3, "o")}, here + ".output_gate");
    const std::string fresh = g.node("Mul", {i, cell}, here + ".fresh");
    c = c.empty() ? fresh : g.node("Add", {g.node("Mul", {f, c}, here + ".kept"), fresh}, here + ".c");
    h = g.node("Mul", {o, g.node("Tanh", {c}, here + ".c_tanh")}, here + ".h");
}

// One step of a GRU layer (PyTorch: n = tanh(W_in x + b_in + r * (W_hn h + b_hn))).
void gruStep(OnnxGraph &g, const Gates &gates, int64_t hidden, const std::string &x, std::string &h,
             const std::string &here)
{
    const std::string in = g.node(
        "Gemm", {x, gates.inputWeight, g.floats(here + ".bias_ih", {3 * hidden}, gates.inputBias.data_ptr<float>())},
        here + ".input_part", {{"transB", int64_t(1)}});
    const torch::Tensor hb = gates.hiddenBias;
    auto slice = [&](const std::string &from, int64_t k, const char *name) {
        return g.node("Slice",
                      {from, g.int64s(here + ".from", {k * hidden}), g.int64s(here + ".to", {(k + 1) * hidden}),
                       g.int64s(here + ".axis", {1})},
                      here + "." + name);
    };
    std::string hr, hz, hn;
    if (h.empty()) {  // the hidden state starts at zero: its product is the bias alone
        hr = g.floats(here + ".b_hr", {hidden}, hb.narrow(0, 0, hidden).contiguous().data_ptr<float>());
        hz = g.floats(here + ".b_hz", {hidden}, hb.narrow(0, hidden, hidden).contiguous().data_ptr<float>());
        hn = g.floats(here + ".b_hn", {hidden}, hb.narrow(0, 2 * hidden, hidden).contiguous().data_ptr<float>());
    } else {
        const std::string hp =
            g.node("Gemm", {h, gates.hiddenWeight, g.floats(here + ".bias_hh", {3 * hidden}, hb.data_ptr<float>())},
                   here + ".hidden_part", {{"transB", int64_t(1)}});
        hr = slice(hp, 0, "h_r");
        hz = slice(hp, 1, "h_z");
        hn = slice(hp, 2, "h_n");
    }
    // PyTorch's order: reset, update, new.
    const std::string r = g.node("Sigmoid", {g.node("Add", {slice(in, 0, "i_r"), hr}, here + ".r_sum")}, here + ".r");
    const std::string z = g.node("Sigmoid", {g.node("Add", {slice(in, 1, "i_z"), hz}, here + ".z_sum")}, here + ".z");
    const std::string n =
        g.node("Tanh", {g.node("Add", {slice(in, 2, "i_n"), g.node("Mul", {r, hn}, here + ".r_hn")}, here + ".n_sum")},
               here + ".n");
    // h' = (1 - z) * n + z * h = n + z * (h - n); with h = 0: n - z * n.
    h = h.empty() ? g.node("Sub", {n, g.node("Mul", {z, n}, here + ".zn")}, here + ".h")
                  : g.node("Add", {n, g.node("Mul", {z, g.node("Sub", {h, n}, here + ".h_minus_n")}, here + ".zd")},
                           here + ".h");
}

}  // namespace

Result<OnnxValue> emitRecurrentLastStep(OnnxEmitter &emitter, torch::nn::Module &recurrent, const OnnxValue &in,
                                        const std::string &path)
{
    auto *lstm = dynamic_cast<torch::nn::LSTMImpl *>(&recurrent);
    auto *gru = dynamic_cast<torch::nn::GRUImpl *>(&recurrent);
    if (!lstm && !gru)
        return failure(QStringLiteral("cannot export layer '%1' (%2) to ONNX: it is not an LSTM or a GRU")
                           .arg(QString::fromStdString(path), QString::fromStdString(recurrent.name())));
    const bool batchFirst = lstm ? lstm->options.batch_first() : gru->options.batch_first();
    const bool bidirectional = lstm ? lstm->options.bidirectional() : gru->options.bidirectional();
    const bool bias = lstm ? lstm->options.bias() : gru->options.bias();
    const int64_t hidden = lstm ? lstm->options.hidden_size() : gru->options.hidden_size();
    const int64_t layers = lstm ? lstm->options.num_layers() : gru->options.num_layers();
    if (!batchFirst || bidirectional || !bias || (lstm && lstm->options.proj_size() > 0))
        return failure(QStringLiteral("cannot export layer '%1' to ONNX: only batch-first, one-direction layers with "
                                      "biases and no projection have an emitter")
                           .arg(QString::fromStdString(path)));
    if (in.sample.dim() != 3)
        return failure(QStringLiteral("cannot export layer '%1' to ONNX: it needs an N×W×F input")
                           .arg(QString::fromStdString(path)));
    torch::NoGradGuard noGrad;
    OnnxGraph &g = emitter.graph();
    const int64_t steps = in.sample.size(1);
    std::vector<std::string> sequence;
    for (int64_t t = 0; t < steps; ++t)
        sequence.push_back(g.node("Flatten", {emitter.slice(in, 1, t, t + 1, path + ".input").name},
                                  path + ".x" + std::to_string(t), {{"axis", int64_t(1)}}));
    const auto parameters = recurrent.named_parameters(/*recurse=*/false);
    for (int64_t layer = 0; layer < layers; ++layer) {
        const std::string suffix = "_l" + std::to_string(layer);
        auto tensor = [&](const std::string &name) {
            return parameters[name + suffix].detach().to(torch::kCPU, torch::kFloat32).contiguous();
        };
        const Gates gates{emitter.constant(tensor("weight_ih"), path + ".weight_ih" + suffix),
                          emitter.constant(tensor("weight_hh"), path + ".weight_hh" + suffix), tensor("bias_ih"),
                          tensor("bias_hh")};
        std::string h, c;
        std::vector<std::string> outputs;
        for (int64_t t = 0; t < steps; ++t) {
            const std::string here = path + suffix + ".t" + std::to_string(t);
            if (lstm)
                lstmStep(g, gates, hidden, sequence[size_t(t)], h, c, here);
            else
                gruStep(g, gates, hidden, sequence[size_t(t)], h, here);
            outputs.push_back(h);
        }
        sequence = std::move(outputs);
    }
    const torch::Tensor out = lstm ? std::get<0>(lstm->forward(in.sample)) : std::get<0>(gru->forward(in.sample));
    return OnnxValue{sequence.back(), out.select(1, steps - 1)};
}

}  // namespace dw::ml
