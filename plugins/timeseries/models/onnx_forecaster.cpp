#include "plugins/timeseries/models/onnx_forecaster.h"

#include "core/ml/torch/onnx_blob.h"

#include <torch/torch.h>

#include <stdexcept>

namespace dw::timeseries {

namespace {

// The graph adds the last observation itself: ForecasterImpl must not add it again.
ForecasterSpec withoutResidual(ForecasterSpec spec)
{
    spec.residual = false;
    return spec;
}

}  // namespace

OnnxForecasterImpl::OnnxForecasterImpl(ForecasterSpec spec, OpenCvOnnxNet net)
    : ForecasterImpl(withoutResidual(std::move(spec))), m_net(std::move(net))
{}

Result<ForecasterPtr> OnnxForecasterImpl::load(const QString &path, ForecasterSpec spec)
{
    Result<OpenCvOnnxNet> net = OpenCvOnnxNet::load(path);
    if (!net)
        return net.error();
    std::shared_ptr<OnnxForecasterImpl> model(new OnnxForecasterImpl(spec, std::move(net).value()));
    try {
        const torch::Tensor probe = model->forward(torch::zeros({2, spec.window, spec.features}));
        if (probe.numel() != 2 * spec.horizon * spec.targets)
            return failure(QStringLiteral("the model gives %1 values per window, but the module forecasts %2 steps "
                                          "of %3 target(s)")
                               .arg(probe.numel() / 2)
                               .arg(spec.horizon)
                               .arg(spec.targets));
    } catch (const std::exception &e) {
        return failure(QString::fromUtf8(e.what()));
    }
    return ForecasterPtr(model);
}

torch::Tensor OnnxForecasterImpl::body(const torch::Tensor &input)
{
    const OnnxBlob blob = ml::toOnnxBlob(input);
    Result<OnnxBlob> out = [&] {
        std::lock_guard lock(m_mutex);
        return m_net.forward(blob);
    }();
    if (!out)
        throw std::runtime_error(out.error().message.toStdString());
    const torch::Tensor values = ml::fromOnnxBlob(*out).flatten();
    const int64_t batch = input.size(0);
    if (values.numel() != batch * m_spec.horizon * m_spec.targets)
        throw std::runtime_error("the ONNX forecaster gave " + std::to_string(values.numel()) + " values for " +
                                 std::to_string(batch) + " window(s)");
    return values.view({batch, -1}).to(input.device());
}

}  // namespace dw::timeseries
