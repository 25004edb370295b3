#include "plugins/imageclass/models/onnx_classifier.h"

#include "core/ml/torch/onnx_blob.h"

#include <torch/torch.h>

#include <QString>

#include <stdexcept>

namespace dw::imageclass {

OnnxClassifierImpl::OnnxClassifierImpl(ModelSpec spec, OpenCvOnnxNet net)
    : ClassifierImpl(std::move(spec)), m_net(std::move(net))
{}

std::shared_ptr<OnnxClassifierImpl> OnnxClassifierImpl::load(const std::string &path, const ModelSpec &spec,
                                                             std::string *error)
{
    Result<OpenCvOnnxNet> net = OpenCvOnnxNet::load(QString::fromStdString(path));
    if (!net) {
        *error = net.error().message.toStdString();
        return nullptr;
    }
    std::shared_ptr<OnnxClassifierImpl> model(new OnnxClassifierImpl(spec, std::move(net).value()));
    try {
        const torch::Tensor probe = model->forward(torch::rand({2, spec.inChannels, spec.imageSize, spec.imageSize}));
        if (probe.dim() != 2 || probe.size(0) != 2 || probe.size(1) != spec.numClasses) {
            *error = "the model returns " + std::to_string(probe.dim() == 2 ? probe.size(1) : probe.numel() / 2) +
                     " scores per image, but its labels name " + std::to_string(spec.numClasses) + " classes";
            return nullptr;
        }
    } catch (const std::exception &e) {
        *error = e.what();
        return nullptr;
    }
    return model;
}

torch::Tensor OnnxClassifierImpl::forward(torch::Tensor x)
{
    const OnnxBlob blob = ml::toOnnxBlob(x);
    Result<OnnxBlob> out = [&] {
        std::lock_guard lock(m_mutex);
        return m_net.forward(blob);
    }();
    if (!out)
        throw std::runtime_error(out.error().message.toStdString());
    const torch::Tensor logits = ml::fromOnnxBlob(*out);
    return logits.view({x.size(0), -1}).to(x.device());
}

void OnnxClassifierImpl::replaceHead(int64_t)
{
    throw std::runtime_error("an ONNX module runs in OpenCV, which cannot train it: re-train the module it was "
                             "exported from, or a workbench architecture");
}

}  // namespace dw::imageclass
