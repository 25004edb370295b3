#pragma once
// Convolution, batch norm and an optional activation, named like torchvision's
// Conv2dNormActivation ("0" the convolution, "1" the batch norm) so that the parameter names
// match: features.0.0.weight, features.0.1.running_mean, ...
#include <torch/nn/module.h>
#include <torch/nn/modules/batchnorm.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/pimpl.h>

#include <cstdint>

namespace dw::imageclass {

enum class Activation { None, ReLU, ReLU6, SiLU };  // SiLU: EfficientNet

struct ConvNormOptions {
    int64_t kernel = 3;
    int64_t stride = 1;
    int64_t groups = 1;
    Activation activation = Activation::ReLU;
};

class ConvNormActivationImpl : public torch::nn::Module {
public:
    ConvNormActivationImpl(int64_t inChannels, int64_t outChannels, ConvNormOptions options = {});
    torch::Tensor forward(torch::Tensor x);
    Activation activation() const { return m_activation; }

private:
    torch::nn::Conv2d m_conv{nullptr};
    torch::nn::BatchNorm2d m_norm{nullptr};
    Activation m_activation;
};
TORCH_MODULE(ConvNormActivation);

// torchvision's initialisation: Kaiming-normal (fan-out) convolutions without bias, batch
// norms at weight 1 and bias 0. Linear layers keep LibTorch's default (as torchvision's ResNet).
void initConvAndNorm(torch::nn::Module &module);

}  // namespace dw::imageclass
