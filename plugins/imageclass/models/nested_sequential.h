#pragma once
// A Sequential that can sit inside another Sequential: LibTorch's AnyModule cannot hold
// nn::Sequential itself because its forward() is a template, so this one gives it a plain
// Tensor -> Tensor forward (as torchvision's own C++ models do). The stages of EfficientNet
// and ConvNeXt need it to be named features.N.M... like torchvision's nested Sequentials.
#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/pimpl.h>

namespace dw::imageclass {

class NestedSequentialImpl : public torch::nn::SequentialImpl {
public:
    using SequentialImpl::SequentialImpl;
    torch::Tensor forward(torch::Tensor x) { return SequentialImpl::forward(std::move(x)); }
};
TORCH_MODULE(NestedSequential);

}  // namespace dw::imageclass
