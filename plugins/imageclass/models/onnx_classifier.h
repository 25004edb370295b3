#pragma once
// A classifier shared as ONNX (architecture "onnx", weights model.onnx): the graph run by
// OpenCV's DNN module (core/onnx/opencv_onnx_net.h) behind the ClassifierImpl interface, so
// that prediction, evaluation and the REST API use it as any other classifier. It has no
// gradients (OpenCV does not differentiate): no heat maps, no re-training.
#include "plugins/imageclass/models/classifier.h"

#include "core/onnx/opencv_onnx_net.h"

#include <memory>
#include <mutex>

namespace dw::imageclass {

class OnnxClassifierImpl : public ClassifierImpl {
public:
    // Reads the file and runs a probe batch: it must take spec.inChannels × imageSize² and
    // return spec.numClasses scores. nullptr and *error otherwise.
    static std::shared_ptr<OnnxClassifierImpl> load(const std::string &path, const ModelSpec &spec, std::string *error);

    torch::Tensor forward(torch::Tensor x) override;
    torch::Tensor features(torch::Tensor x) override { return x; }
    torch::Tensor head(torch::Tensor featureMap) override { return forward(std::move(featureMap)); }
    bool hasFeatureMap() const override { return false; }
    bool differentiable() const override { return false; }
    std::string headName() const override { return {}; }
    std::vector<std::string> lastStagePrefixes() const override { return {}; }
    // Throws: an ONNX graph's layers cannot be replaced here.
    void replaceHead(int64_t numClasses) override;

private:
    OnnxClassifierImpl(ModelSpec spec, OpenCvOnnxNet net);

    std::mutex m_mutex;  // one OpenCV pass at a time
    OpenCvOnnxNet m_net;
};

}  // namespace dw::imageclass
