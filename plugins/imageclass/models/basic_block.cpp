#include "plugins/imageclass/models/basic_block.h"

namespace dw::imageclass {

namespace {
torch::nn::Conv2d conv3x3(int64_t in, int64_t out, int64_t stride)
{
    return torch::nn::Conv2d(torch::nn::Conv2dOptions(in, out, 3).stride(stride).padding(1).bias(false));
}
}  // namespace

torch::nn::Sequential makeDownsample(int64_t inPlanes, int64_t outPlanes, int64_t stride)
{
    return torch::nn::Sequential(
        torch::nn::Conv2d(torch::nn::Conv2dOptions(inPlanes, outPlanes, 1).stride(stride).bias(false)),
        torch::nn::BatchNorm2d(outPlanes));
}

BasicBlockImpl::BasicBlockImpl(int64_t inPlanes, int64_t planes, int64_t stride)
{
    m_conv1 = register_module("conv1", conv3x3(inPlanes, planes, stride));
    m_bn1 = register_module("bn1", torch::nn::BatchNorm2d(planes));
    m_conv2 = register_module("conv2", conv3x3(planes, planes, 1));
    m_bn2 = register_module("bn2", torch::nn::BatchNorm2d(planes));
    if (stride != 1 || inPlanes != planes * kExpansion)
        m_downsample = register_module("downsample", makeDownsample(inPlanes, planes * kExpansion, stride));
}

torch::Tensor BasicBlockImpl::forward(torch::Tensor x)
{
    torch::Tensor identity = m_downsample ? m_downsample->forward(x) : x;
    torch::Tensor out = m_bn1->forward(m_conv1->forward(x)).relu_();
    out = m_bn2->forward(m_conv2->forward(out));
    out += identity;
    return out.relu_();
}

void BasicBlockImpl::zeroInitLastNorm()
{
    torch::NoGradGuard noGrad;
    m_bn2->weight.zero_();
}

}  // namespace dw::imageclass
