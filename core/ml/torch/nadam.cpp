#include "core/ml/torch/nadam.h"

#include <torch/serialize/archive.h>

#include <cmath>
#include <sstream>
#include <string>
#include <type_traits>

namespace dw::ml {

namespace {
// The optimiser's state is keyed by the parameter's TensorImpl: as its address in text in
// LibTorch 1.13 (what c10::guts::to_string gives), as the pointer itself in 2.x.
template <typename Map>
typename Map::key_type stateKey(const Map &, const torch::Tensor &p)
{
    using Key = typename Map::key_type;
    if constexpr (std::is_same_v<Key, std::string>) {
        std::ostringstream text;
        text << p.unsafeGetTensorImpl();
        return text.str();
    } else {
        return static_cast<Key>(p.unsafeGetTensorImpl());
    }
}
}  // namespace

NAdamOptions::NAdamOptions(double lr) : lr_(lr)
{}

void NAdamOptions::serialize(torch::serialize::OutputArchive &archive) const
{
    _TORCH_OPTIM_SERIALIZE_TORCH_ARG(lr);
    _TORCH_OPTIM_SERIALIZE_TORCH_ARG(betas);
    _TORCH_OPTIM_SERIALIZE_TORCH_ARG(eps);
    _TORCH_OPTIM_SERIALIZE_TORCH_ARG(weight_decay);
    _TORCH_OPTIM_SERIALIZE_TORCH_ARG(momentum_decay);
}

void NAdamOptions::serialize(torch::serialize::InputArchive &archive)
{
    _TORCH_OPTIM_DESERIALIZE_TORCH_ARG(double, lr);
    _TORCH_OPTIM_DESERIALIZE_TORCH_ARG(betas_t, betas);
    _TORCH_OPTIM_DESERIALIZE_TORCH_ARG(double, eps);
    _TORCH_OPTIM_DESERIALIZE_TORCH_ARG(double, weight_decay);
    _TORCH_OPTIM_DESERIALIZE_TORCH_ARG(double, momentum_decay);
}

void NAdamParamState::serialize(torch::serialize::OutputArchive &archive) const
{
    _TORCH_OPTIM_SERIALIZE_TORCH_ARG(step);
    _TORCH_OPTIM_SERIALIZE_TORCH_ARG(mu_product);
    _TORCH_OPTIM_SERIALIZE_TORCH_ARG(exp_avg);
    _TORCH_OPTIM_SERIALIZE_TORCH_ARG(exp_avg_sq);
}

void NAdamParamState::serialize(torch::serialize::InputArchive &archive)
{
    _TORCH_OPTIM_DESERIALIZE_TORCH_ARG(int64_t, step);
    _TORCH_OPTIM_DESERIALIZE_TORCH_ARG(double, mu_product);
    _TORCH_OPTIM_DESERIALIZE_TORCH_ARG(torch::Tensor, exp_avg);
    _TORCH_OPTIM_DESERIALIZE_TORCH_ARG(torch::Tensor, exp_avg_sq);
}

NAdam::NAdam(std::vector<torch::optim::OptimizerParamGroup> groups, NAdamOptions defaults)
    : Optimizer(std::move(groups), std::make_unique<NAdamOptions>(defaults))
{
    TORCH_CHECK(defaults.lr() >= 0, "Invalid learning rate: ", defaults.lr());
    TORCH_CHECK(defaults.eps() >= 0, "Invalid epsilon value: ", defaults.eps());
    const auto [beta1, beta2] = defaults.betas();
    TORCH_CHECK(0 <= beta1 && beta1 < 1.0, "Invalid beta parameter at index 0: ", beta1);
    TORCH_CHECK(0 <= beta2 && beta2 < 1.0, "Invalid beta parameter at index 1: ", beta2);
    TORCH_CHECK(defaults.weight_decay() >= 0, "Invalid weight_decay value: ", defaults.weight_decay());
    TORCH_CHECK(defaults.momentum_decay() >= 0, "Invalid momentum_decay value: ", defaults.momentum_decay());
}

torch::Tensor NAdam::step(LossClosure closure)
{
    torch::NoGradGuard noGrad;
    torch::Tensor loss;
    if (closure) {
        at::AutoGradMode enable(true);
        loss = closure();
    }
    for (auto &group : param_groups_) {
        const auto &options = static_cast<const NAdamOptions &>(group.options());
        const auto [beta1, beta2] = options.betas();
        for (auto &p : group.params()) {
            if (!p.grad().defined())
                continue;
            torch::Tensor grad = p.grad();
            TORCH_CHECK(!grad.is_sparse(), "NAdam does not support sparse gradients");
            const auto key = stateKey(state_, p);
            auto found = state_.find(key);
            if (found == state_.end()) {
                auto fresh = std::make_unique<NAdamParamState>();
                fresh->exp_avg(torch::zeros_like(p, torch::MemoryFormat::Preserve));
                fresh->exp_avg_sq(torch::zeros_like(p, torch::MemoryFormat::Preserve));
                found = state_.emplace(key, std::move(fresh)).first;
            }
            auto &state = static_cast<NAdamParamState &>(*found->second);
            state.step(state.step() + 1);
            const double t = double(state.step());
            if (options.weight_decay() != 0)
                grad = grad.add(p, options.weight_decay());
            const double mu = beta1 * (1.0 - 0.5 * std::pow(0.96, t * options.momentum_decay()));
            const double muNext = beta1 * (1.0 - 0.5 * std::pow(0.96, (t + 1.0) * options.momentum_decay()));
            const double muProduct = state.mu_product() * mu;
            const double muProductNext = muProduct * muNext;
            state.mu_product(muProduct);
            torch::Tensor &m = state.exp_avg();
            torch::Tensor &v = state.exp_avg_sq();
            m.mul_(beta1).add_(grad, 1.0 - beta1);
            v.mul_(beta2).addcmul_(grad, grad, 1.0 - beta2);
            const double biasCorrection2 = 1.0 - std::pow(beta2, t);
            const torch::Tensor denom = (v / biasCorrection2).sqrt_().add_(options.eps());
            p.addcdiv_(grad, denom, -options.lr() * (1.0 - mu) / (1.0 - muProduct));
            p.addcdiv_(m, denom, -options.lr() * muNext / (1.0 - muProductNext));
        }
    }
    return loss;
}

void NAdam::save(torch::serialize::OutputArchive &archive) const
{
    serialize(*this, archive);
}

void NAdam::load(torch::serialize::InputArchive &archive)
{
    serialize(*this, archive);
}

}  // namespace dw::ml
