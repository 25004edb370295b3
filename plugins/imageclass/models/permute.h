#pragma once
// torchvision.ops.misc.Permute: reorders the dimensions (a view). It has no parameters but
// occupies an index in ConvNeXt's Sequential "block", so that the layers after it carry
// torchvision's numbers (block.2 the LayerNorm, block.3 and block.5 the linear layers).
#include <torch/nn/module.h>
#include <torch/nn/pimpl.h>

#include <cstdint>
#include <vector>

namespace dw::imageclass {

class PermuteImpl : public torch::nn::Module {
public:
    explicit PermuteImpl(std::vector<int64_t> dims) : m_dims(std::move(dims)) {}
    torch::Tensor forward(const torch::Tensor &x) { return x.permute(m_dims); }

private:
    std::vector<int64_t> m_dims;
};
TORCH_MODULE(Permute);

}  // namespace dw::imageclass
