#include "plugins/imageclass/models/conv_norm_activation.h"

#include <torch/nn/init.h>

namespace dw::imageclass {

ConvNormActivationImpl::ConvNormActivationImpl(int64_t inChannels, int64_t outChannels, ConvNormOptions options)
    : m_activation(options.activation)
{
    m_conv = register_module("0", torch::nn::Conv2d(torch::nn::Conv2dOptions(inChannels, outChannels, options.kernel)
                                                        .stride(options.stride)
                                                        .padding((options.kernel - 1) / 2)
                                                        .groups(options.groups)
                                                        .bias(false)));
    m_norm = register_module("1", torch::nn::BatchNorm2d(outChannels));
}

torch::Tensor ConvNormActivationImpl::forward(torch::Tensor x)
{
    x = m_norm->forward(m_conv->forward(x));
    switch (m_activation) {
    case Activation::ReLU:
        return torch::relu_(x);
    case Activation::ReLU6:
        return torch::hardtanh_(x, 0.0, 6.0);
    case Activation::SiLU:
        return torch::silu_(x);
    case Activation::None:
        break;
    }
    return x;
}

void initConvAndNorm(torch::nn::Module &module)
{
    torch::NoGradGuard noGrad;
    for (auto &child : module.modules(/*include_self=*/false)) {  // called from constructors
        if (auto *conv = child->as<torch::nn::Conv2d>()) {
            torch::nn::init::kaiming_normal_(conv->weight, 0.0, torch::kFanOut, torch::kReLU);
            if (conv->bias.defined())
                conv->bias.zero_();
        } else if (auto *norm = child->as<torch::nn::BatchNorm2d>()) {
            norm->weight.fill_(1.0);
            norm->bias.zero_();
        }
    }
}

}  // namespace dw::imageclass
