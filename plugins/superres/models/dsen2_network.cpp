#include "plugins/superres/models/dsen2_network.h"

#include <torch/nn/functional/activation.h>

namespace dw::superres {

namespace {
torch::nn::Conv2d conv3x3(int in, int out)
{
    return torch::nn::Conv2d(torch::nn::Conv2dOptions(in, out, 3).padding(1).bias(true));
}
}  // namespace

Dsen2ResBlockImpl::Dsen2ResBlockImpl(int filters, double residualScale) : m_residualScale(residualScale)
{
    m_conv1 = register_module("conv1", conv3x3(filters, filters));
    m_conv2 = register_module("conv2", conv3x3(filters, filters));
}

torch::Tensor Dsen2ResBlockImpl::forward(const torch::Tensor &x)
{
    torch::Tensor r = torch::relu(m_conv1->forward(x));
    r = m_conv2->forward(r);
    return x + r * m_residualScale;
}

Dsen2NetworkImpl::Dsen2NetworkImpl(const SrNetworkSpec &spec) : m_spec(spec)
{
    m_head = register_module("head", conv3x3(spec.bands + spec.guideBands, spec.filters));
    m_blocks = register_module("blocks", torch::nn::ModuleList());
    for (int i = 0; i < spec.blocks; ++i)
        m_blocks->push_back(Dsen2ResBlock(spec.filters, kResidualScale));
    m_tail = register_module("tail", conv3x3(spec.filters, spec.bands));
    // The network starts close to bicubic (its output ≈ its input): the tail's default
    // (Kaiming-uniform) weights are scaled down and its bias zeroed, so that the first epochs
    // refine bicubic instead of first undoing random noise added to it.
    torch::NoGradGuard noGrad;
    m_tail->weight.mul_(kTailInitScale);
    m_tail->bias.zero_();
}

torch::Tensor Dsen2NetworkImpl::forward(const torch::Tensor &upsampled)
{
    torch::Tensor x = torch::relu(m_head->forward(upsampled));
    for (const auto &block : *m_blocks)
        x = block->as<Dsen2ResBlock>()->forward(x);
    const torch::Tensor skip = m_spec.guided() ? upsampled.narrow(1, 0, m_spec.bands) : upsampled;
    return m_tail->forward(x) + skip;
}

}  // namespace dw::superres
