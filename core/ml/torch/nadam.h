#pragma once
// NAdam (Dozat, 2016, "Incorporating Nesterov momentum into Adam") as PyTorch's
// torch.optim.NAdam computes it (1.13/2.x, without decoupled weight decay): Debian's
// LibTorch 1.13 has no C++ NAdam, so here it is, with its state serialisable like Adam's
// (so that checkpoints resume it exactly). For step t (from 1):
//   g      = grad + weight_decay · θ
//   μ_t    = β1 · (1 − ½ · 0.96^(t · ψ)),  μ_t+1 = β1 · (1 − ½ · 0.96^((t+1) · ψ))   (ψ = momentum_decay)
//   Π_t    = Π_t−1 · μ_t
//   m      = β1 · m + (1 − β1) · g;   v = β2 · v + (1 − β2) · g²
//   d      = √(v / (1 − β2^t)) + ε
//   θ     −= lr · (1 − μ_t) / (1 − Π_t) · g / d  +  lr · μ_t+1 / (1 − Π_t · μ_t+1) · m / d
#include <torch/optim/optimizer.h>
#include <torch/optim/serialize.h>

#include <tuple>
#include <vector>

namespace dw::ml {

struct NAdamOptions : public torch::optim::OptimizerCloneableOptions<NAdamOptions> {
    NAdamOptions(double lr = 2e-3);  // NOLINT(google-explicit-constructor): as LibTorch's options
    TORCH_ARG(double, lr) = 2e-3;
    typedef std::tuple<double, double> betas_t;
    TORCH_ARG(betas_t, betas) = std::make_tuple(0.9, 0.999);
    TORCH_ARG(double, eps) = 1e-8;
    TORCH_ARG(double, weight_decay) = 0;
    TORCH_ARG(double, momentum_decay) = 4e-3;

public:
    void serialize(torch::serialize::InputArchive &archive) override;
    void serialize(torch::serialize::OutputArchive &archive) const override;
    double get_lr() const override { return lr(); }
    void set_lr(const double value) override { lr(value); }
};

struct NAdamParamState : public torch::optim::OptimizerCloneableParamState<NAdamParamState> {
    TORCH_ARG(int64_t, step) = 0;
    TORCH_ARG(double, mu_product) = 1.0;
    TORCH_ARG(torch::Tensor, exp_avg);
    TORCH_ARG(torch::Tensor, exp_avg_sq);

public:
    void serialize(torch::serialize::InputArchive &archive) override;
    void serialize(torch::serialize::OutputArchive &archive) const override;
};

class NAdam : public torch::optim::Optimizer {
public:
    explicit NAdam(std::vector<torch::optim::OptimizerParamGroup> groups, NAdamOptions defaults = {});
    explicit NAdam(std::vector<torch::Tensor> params, NAdamOptions defaults = {})
        : NAdam({torch::optim::OptimizerParamGroup(std::move(params))}, std::move(defaults))
    {}

    torch::Tensor step(LossClosure closure = nullptr) override;
    void save(torch::serialize::OutputArchive &archive) const override;
    void load(torch::serialize::InputArchive &archive) override;

private:
    template <typename Self, typename Archive>
    static void serialize(Self &self, Archive &archive)
    {
        torch::optim::serialize<NAdamParamState, NAdamOptions>(archive, self);
    }
};

}  // namespace dw::ml
