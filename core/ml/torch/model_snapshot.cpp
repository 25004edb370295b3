#include "core/ml/torch/model_snapshot.h"

#include <torch/utils.h>

namespace dw::ml {

NamedTensors snapshotOf(const torch::nn::Module &module)
{
    NamedTensors out;
    for (const auto &item : module.named_parameters())
        out.emplace_back(item.key(), item.value().detach().clone());
    for (const auto &item : module.named_buffers())
        out.emplace_back(item.key(), item.value().detach().clone());
    return out;
}

void restoreSnapshot(torch::nn::Module &module, const NamedTensors &snapshot)
{
    if (snapshot.empty())
        return;
    torch::NoGradGuard noGrad;
    auto parameters = module.named_parameters();
    auto buffers = module.named_buffers();
    for (const auto &[name, tensor] : snapshot) {
        torch::Tensor *target = parameters.find(name);
        if (!target)
            target = buffers.find(name);
        if (target)
            target->copy_(tensor);
    }
}

}  // namespace dw::ml
