#pragma once
// torchvision's ResNet BasicBlock: two 3×3 convolutions and a shortcut
// (conv1, bn1, conv2, bn2, downsample.0, downsample.1).
#include <torch/nn/module.h>
#include <torch/nn/modules/batchnorm.h>
#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/pimpl.h>

#include <cstdint>

namespace dw::imageclass {

class BasicBlockImpl : public torch::nn::Module {
public:
    static constexpr int64_t kExpansion = 1;

    BasicBlockImpl(int64_t inPlanes, int64_t planes, int64_t stride = 1);
    torch::Tensor forward(torch::Tensor x);
    // The residual branch starts as the identity (torchvision's zero_init_residual).
    void zeroInitLastNorm();

private:
    torch::nn::Conv2d m_conv1{nullptr}, m_conv2{nullptr};
    torch::nn::BatchNorm2d m_bn1{nullptr}, m_bn2{nullptr};
    torch::nn::Sequential m_downsample{nullptr};
};
TORCH_MODULE(BasicBlock);

// The shortcut of a block whose shape changes: 1×1 convolution with stride, then batch norm.
torch::nn::Sequential makeDownsample(int64_t inPlanes, int64_t outPlanes, int64_t stride);

}  // namespace dw::imageclass
