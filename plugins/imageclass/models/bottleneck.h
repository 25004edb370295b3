#pragma once
// torchvision's ResNet Bottleneck (v1.5: the stride on the 3×3 convolution):
// conv1 1×1, conv2 3×3, conv3 1×1 with 4× expansion, and a shortcut.
#include <torch/nn/module.h>
#include <torch/nn/modules/batchnorm.h>
#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/pimpl.h>

#include <cstdint>

namespace dw::imageclass {

class BottleneckImpl : public torch::nn::Module {
public:
    static constexpr int64_t kExpansion = 4;

    BottleneckImpl(int64_t inPlanes, int64_t planes, int64_t stride = 1);
    torch::Tensor forward(torch::Tensor x);
    void zeroInitLastNorm();

private:
    torch::nn::Conv2d m_conv1{nullptr}, m_conv2{nullptr}, m_conv3{nullptr};
    torch::nn::BatchNorm2d m_bn1{nullptr}, m_bn2{nullptr}, m_bn3{nullptr};
    torch::nn::Sequential m_downsample{nullptr};
};
TORCH_MODULE(Bottleneck);

}  // namespace dw::imageclass
