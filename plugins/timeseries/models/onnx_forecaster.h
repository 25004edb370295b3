#pragma once
// A forecaster shared as ONNX (architecture "onnx", weights model.onnx): the graph written by
// `deepwb export` (residual included) run by OpenCV's DNN module behind ForecasterImpl, so that
// prediction, evaluation, streams and the REST API use it as any other forecaster. No
// gradients: it cannot be trained or re-trained.
#include "plugins/timeseries/models/forecaster.h"

#include "core/onnx/opencv_onnx_net.h"

#include <mutex>

namespace dw::timeseries {

class OnnxForecasterImpl : public ForecasterImpl {
public:
    // Reads the file and runs a probe window: it must take spec.window × spec.features and
    // give spec.horizon × spec.targets.
    static Result<ForecasterPtr> load(const QString &path, ForecasterSpec spec);

protected:
    torch::Tensor body(const torch::Tensor &input) override;

private:
    OnnxForecasterImpl(ForecasterSpec spec, OpenCvOnnxNet net);

    std::mutex m_mutex;
    OpenCvOnnxNet m_net;
};

}  // namespace dw::timeseries
