#include "plugins/imageclass/export/classifier_layers_onnx.h"

#include "plugins/imageclass/models/basic_block.h"
#include "plugins/imageclass/models/bottleneck.h"
#include "plugins/imageclass/models/cn_block.h"
#include "plugins/imageclass/models/conv_norm_activation.h"
#include "plugins/imageclass/models/convnext.h"
#include "plugins/imageclass/models/efficientnet.h"
#include "plugins/imageclass/models/inverted_residual.h"
#include "plugins/imageclass/models/layer_norm_2d.h"
#include "plugins/imageclass/models/mb_conv.h"
#include "plugins/imageclass/models/mobilenet_v2.h"
#include "plugins/imageclass/models/nested_sequential.h"
#include "plugins/imageclass/models/resnet.h"
#include "plugins/imageclass/models/small_cnn.h"
#include "plugins/imageclass/models/squeeze_excitation.h"

#include <torch/torch.h>

namespace dw::imageclass {

namespace {

using ml::childPath;
using ml::OnnxEmitter;
using ml::OnnxValue;
using torch::nn::Module;

Module *child(Module &parent, const std::string &name)
{
    return ml::namedChild(parent, name);
}

template <class Impl>
Impl &childAs(Module &parent, const std::string &name)
{
    return ml::namedChildAs<Impl>(parent, name);
}

torch::Tensor parameter(Module &module, const std::string &name)
{
    return module.named_parameters(/*recurse=*/false)[name];
}

// conv + folded batch norm (+ activation): ConvNormActivation.
Result<OnnxValue> convNormActivation(OnnxEmitter &e, Module &m, const OnnxValue &in, const std::string &path)
{
    auto &block = dynamic_cast<ConvNormActivationImpl &>(m);
    Result<OnnxValue> x = e.conv2d(childAs<torch::nn::Conv2dImpl>(m, "0"), &childAs<torch::nn::BatchNorm2dImpl>(m, "1"),
                                   in, childPath(path, "0"));
    if (!x)
        return x;
    switch (block.activation()) {
    case Activation::ReLU:
        return e.relu(*x, path);
    case Activation::ReLU6:
        return e.clip(*x, 0.0f, 6.0f, path);
    case Activation::SiLU:
        return e.silu(*x, path);
    case Activation::None:
        break;
    }
    return x;
}

// BasicBlock and Bottleneck: conv-bn pairs with ReLU between, the shortcut, add, ReLU.
Result<OnnxValue> resnetBlock(OnnxEmitter &e, Module &m, const OnnxValue &in, const std::string &path)
{
    const int convs = child(m, "conv3") ? 3 : 2;
    OnnxValue x = in;
    for (int i = 1; i <= convs; ++i) {
        const std::string n = std::to_string(i);
        Result<OnnxValue> next =
            e.conv2d(childAs<torch::nn::Conv2dImpl>(m, "conv" + n), &childAs<torch::nn::BatchNorm2dImpl>(m, "bn" + n),
                     x, childPath(path, "conv" + n));
        if (!next)
            return next;
        x = i < convs ? e.relu(*next, childPath(path, "conv" + n)) : *next;
    }
    OnnxValue identity = in;
    if (child(m, "downsample")) {
        Result<OnnxValue> shortcut = e.emitChild(m, "downsample", in, path);
        if (!shortcut)
            return shortcut;
        identity = *shortcut;
    }
    return e.relu(e.add(x, identity, path), path);
}

// MobileNetV2's inverted residual and EfficientNet's MBConv: a sequence, plus x when residual.
template <class Impl>
Result<OnnxValue> residualSequence(OnnxEmitter &e, Module &m, const OnnxValue &in, const std::string &path,
                                   const std::string &name)
{
    Result<OnnxValue> out = e.emitChild(m, name, in, path);
    if (!out || !dynamic_cast<Impl &>(m).residual())
        return out;
    return e.add(*out, in, path);  // stochastic depth is the identity at inference
}

Result<OnnxValue> squeezeExcitation(OnnxEmitter &e, Module &m, const OnnxValue &in, const std::string &path)
{
    const OnnxValue pooled = e.adaptiveAvgPool(in, 1, 1, path);
    Result<OnnxValue> squeezed =
        e.conv2d(childAs<torch::nn::Conv2dImpl>(m, "fc1"), nullptr, pooled, childPath(path, "fc1"));
    if (!squeezed)
        return squeezed;
    Result<OnnxValue> expanded = e.conv2d(childAs<torch::nn::Conv2dImpl>(m, "fc2"), nullptr,
                                          e.silu(*squeezed, childPath(path, "fc1")), childPath(path, "fc2"));
    if (!expanded)
        return expanded;
    return e.mul(in, e.sigmoid(*expanded, childPath(path, "fc2")), path);
}

Result<OnnxValue> layerNorm2d(OnnxEmitter &e, Module &m, const OnnxValue &in, const std::string &path)
{
    return e.layerNormOverChannels(in, parameter(m, "weight"), parameter(m, "bias"),
                                   dynamic_cast<LayerNorm2dImpl &>(m).eps(), path);
}

// ConvNeXt's block: depthwise 7×7, LayerNorm over channels, two Linears with GELU between
// (1×1 convolutions here: no permutes), layer scale, plus x.
Result<OnnxValue> cnBlock(OnnxEmitter &e, Module &m, const OnnxValue &in, const std::string &path)
{
    Module &block = *child(m, "block");
    const std::string base = childPath(path, "block");
    Result<OnnxValue> x = e.conv2d(childAs<torch::nn::Conv2dImpl>(block, "0"), nullptr, in, childPath(base, "0"));
    if (!x)
        return x;
    auto &norm = childAs<torch::nn::LayerNormImpl>(block, "2");
    OnnxValue y = e.layerNormOverChannels(*x, norm.weight, norm.bias, norm.options.eps(), childPath(base, "2"));
    y = e.linearOverChannels(childAs<torch::nn::LinearImpl>(block, "3"), y, childPath(base, "3"));
    y = e.gelu(y, childPath(base, "4"));
    y = e.linearOverChannels(childAs<torch::nn::LinearImpl>(block, "5"), y, childPath(base, "5"));
    return e.add(e.scale(y, parameter(m, "layer_scale"), path), in, path);
}

// pooled features -> flatten -> the classifier Sequential (Dropout, Linear).
Result<OnnxValue> pooledHead(OnnxEmitter &e, Module &net, const OnnxValue &features, int64_t side,
                             const std::string &headName)
{
    const OnnxValue pooled = e.adaptiveAvgPool(features, side, side, "features");
    return e.emitChild(net, headName, e.flatten(pooled, "features"), "");
}

Result<OnnxValue> resnet(OnnxEmitter &e, Module &net, const OnnxValue &in)
{
    Result<OnnxValue> x = e.conv2d(childAs<torch::nn::Conv2dImpl>(net, "conv1"),
                                   &childAs<torch::nn::BatchNorm2dImpl>(net, "bn1"), in, "conv1");
    if (!x)
        return x;
    OnnxValue y = e.maxPool(e.relu(*x, "conv1"), 3, 2, 1, "stem");
    for (const char *layer : {"layer1", "layer2", "layer3", "layer4"}) {
        Result<OnnxValue> next = e.emitChild(net, layer, y, "");
        if (!next)
            return next;
        y = *next;
    }
    return e.linear(childAs<torch::nn::LinearImpl>(net, "fc"),
                    e.flatten(e.adaptiveAvgPool(y, 1, 1, "layer4"), "avgpool"), "fc");
}

}  // namespace

void addClassifierLayers(OnnxEmitter &emitter)
{
    emitter.add<ConvNormActivationImpl>(convNormActivation);
    emitter.add<BasicBlockImpl>(resnetBlock);
    emitter.add<BottleneckImpl>(resnetBlock);
    emitter.add<InvertedResidualImpl>([](OnnxEmitter &e, Module &m, const OnnxValue &in, const std::string &path) {
        return residualSequence<InvertedResidualImpl>(e, m, in, path, "conv");
    });
    emitter.add<MBConvImpl>([](OnnxEmitter &e, Module &m, const OnnxValue &in, const std::string &path) {
        return residualSequence<MBConvImpl>(e, m, in, path, "block");
    });
    emitter.add<SqueezeExcitationImpl>(squeezeExcitation);
    emitter.add<LayerNorm2dImpl>(layerNorm2d);
    emitter.add<CNBlockImpl>(cnBlock);
    emitter.add<NestedSequentialImpl>([](OnnxEmitter &e, Module &m, const OnnxValue &in, const std::string &path) {
        return e.emitSequence(m, in, path);
    });
}

Result<OnnxValue> emitClassifier(OnnxEmitter &e, ClassifierImpl &classifier, const OnnxValue &in)
{
    try {
        torch::NoGradGuard noGrad;
        if (dynamic_cast<ResNetImpl *>(&classifier))
            return resnet(e, classifier, in);
        const bool convnext = dynamic_cast<ConvNeXtImpl *>(&classifier) != nullptr;
        if (!convnext && !dynamic_cast<SmallCNNImpl *>(&classifier) && !dynamic_cast<MobileNetV2Impl *>(&classifier) &&
            !dynamic_cast<EfficientNetImpl *>(&classifier))
            return e.emit(classifier, in, "");  // no emitter: the error names the network's type
        Result<OnnxValue> features = e.emitChild(classifier, "features", in, "");
        if (!features)
            return features;
        if (convnext)  // LayerNorm2d, Flatten, Linear after global pooling
            return e.emitChild(classifier, "classifier", e.adaptiveAvgPool(*features, 1, 1, "features"), "");
        int64_t side = 1;
        if (dynamic_cast<SmallCNNImpl *>(&classifier)) {  // pools to side × side before its Linear
            const int64_t inputs = childAs<torch::nn::LinearImpl>(*child(classifier, "classifier"), "1").weight.size(1);
            side = int64_t(std::lround(std::sqrt(double(inputs) / double(features->sample.size(1)))));
        }
        return pooledHead(e, classifier, *features, side, "classifier");
    } catch (const std::exception &error) {
        return failure(QStringLiteral("cannot export the %1 classifier to ONNX: %2")
                           .arg(QString::fromStdString(classifier.architecture()),
                                QString::fromUtf8(error.what()).section(QLatin1Char('\n'), 0, 0)));
    }
}

}  // namespace dw::imageclass
