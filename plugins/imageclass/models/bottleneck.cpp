#include "plugins/imageclass/models/bottleneck.h"

#include "plugins/imageclass/models/basic_block.h"

namespace dw::imageclass {

BottleneckImpl::BottleneckImpl(int64_t inPlanes, int64_t planes, int64_t stride)
{
    using torch::nn::Conv2dOptions;
    const int64_t width = planes;  // groups 1, base width 64
    m_conv1 = register_module("conv1", torch::nn::Conv2d(Conv2dOptions(inPlanes, width, 1).bias(false)));
    m_bn1 = register_module("bn1", torch::nn::BatchNorm2d(width));
    m_conv2 = register_module("conv2",
                              torch::nn::Conv2d(Conv2dOptions(width, width, 3).stride(stride).padding(1).bias(false)));
    m_bn2 = register_module("bn2", torch::nn::BatchNorm2d(width));
    m_conv3 = register_module("conv3", torch::nn::Conv2d(Conv2dOptions(width, planes * kExpansion, 1).bias(false)));
    m_bn3 = register_module("bn3", torch::nn::BatchNorm2d(planes * kExpansion));
    if (stride != 1 || inPlanes != planes * kExpansion)
        m_downsample = register_module("downsample", makeDownsample(inPlanes, planes * kExpansion, stride));
}

torch::Tensor BottleneckImpl::forward(torch::Tensor x)
{
    torch::Tensor identity = m_downsample ? m_downsample->forward(x) : x;
    torch::Tensor out = m_bn1->forward(m_conv1->forward(x)).relu_();
    out = m_bn2->forward(m_conv2->forward(out)).relu_();
    out = m_bn3->forward(m_conv3->forward(out));
    out += identity;
    return out.relu_();
}

void BottleneckImpl::zeroInitLastNorm()
{
    torch::NoGradGuard noGrad;
    m_bn3->weight.zero_();
}

}  // namespace dw::imageclass
