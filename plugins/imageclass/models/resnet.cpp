#include "plugins/imageclass/models/resnet.h"

#include "plugins/imageclass/models/basic_block.h"
#include "plugins/imageclass/models/bottleneck.h"
#include "plugins/imageclass/models/conv_norm_activation.h"

#include <torch/nn/functional/pooling.h>

namespace dw::imageclass {

namespace {
constexpr int64_t kMinImageSize = 32;

int64_t expansion(ResNetBlock block)
{
    return block == ResNetBlock::Bottleneck ? BottleneckImpl::kExpansion : BasicBlockImpl::kExpansion;
}
}  // namespace

std::optional<ResNetLayout> ResNetImpl::layoutFor(const std::string &architecture)
{
    if (architecture == "resnet18")
        return ResNetLayout{ResNetBlock::Basic, {2, 2, 2, 2}};
    if (architecture == "resnet34")
        return ResNetLayout{ResNetBlock::Basic, {3, 4, 6, 3}};
    if (architecture == "resnet50")
        return ResNetLayout{ResNetBlock::Bottleneck, {3, 4, 6, 3}};
    return std::nullopt;
}

ResNetImpl::ResNetImpl(ModelSpec spec, ResNetLayout layout, bool zeroInitResidual)
    : ClassifierImpl(std::move(spec)), m_layout(layout)
{
    m_conv1 = register_module(
        "conv1", torch::nn::Conv2d(torch::nn::Conv2dOptions(inChannels(), 64, 7).stride(2).padding(3).bias(false)));
    m_bn1 = register_module("bn1", torch::nn::BatchNorm2d(64));
    m_layer1 = register_module("layer1", makeLayer(64, layout.blocks[0], 1));
    m_layer2 = register_module("layer2", makeLayer(128, layout.blocks[1], 2));
    m_layer3 = register_module("layer3", makeLayer(256, layout.blocks[2], 2));
    m_layer4 = register_module("layer4", makeLayer(512, layout.blocks[3], 2));
    m_fc = register_module("fc", torch::nn::Linear(512 * expansion(layout.block), numClasses()));
    initConvAndNorm(*this);
    if (zeroInitResidual) {
        for (auto &module : modules(/*include_self=*/false)) {
            if (auto *basic = module->as<BasicBlockImpl>())
                basic->zeroInitLastNorm();
            else if (auto *bottleneck = module->as<BottleneckImpl>())
                bottleneck->zeroInitLastNorm();
        }
    }
}

torch::nn::Sequential ResNetImpl::makeLayer(int64_t planes, int64_t blocks, int64_t stride)
{
    torch::nn::Sequential layer;
    for (int64_t i = 0; i < blocks; ++i) {
        const int64_t blockStride = i == 0 ? stride : 1;
        if (m_layout.block == ResNetBlock::Bottleneck)
            layer->push_back(Bottleneck(m_inPlanes, planes, blockStride));
        else
            layer->push_back(BasicBlock(m_inPlanes, planes, blockStride));
        m_inPlanes = planes * expansion(m_layout.block);
    }
    return layer;
}

torch::Tensor ResNetImpl::features(torch::Tensor x)
{
    checkInput(x, kMinImageSize);
    x = m_bn1->forward(m_conv1->forward(x)).relu_();
    x = torch::max_pool2d(x, /*kernel_size=*/3, /*stride=*/2, /*padding=*/1);
    x = m_layer1->forward(x);
    x = m_layer2->forward(x);
    x = m_layer3->forward(x);
    return m_layer4->forward(x);
}

torch::Tensor ResNetImpl::head(torch::Tensor featureMap)
{
    return m_fc->forward(torch::adaptive_avg_pool2d(featureMap, {1, 1}).flatten(1));
}

void ResNetImpl::replaceHead(int64_t numClasses)
{
    m_fc = swapHead("fc", torch::nn::Linear(m_fc->weight.size(1), numClasses), numClasses);
}

}  // namespace dw::imageclass
