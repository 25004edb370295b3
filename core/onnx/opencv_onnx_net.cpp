#include "core/onnx/opencv_onnx_net.h"

#include <onnx/onnx_pb.h>
#include <opencv2/dnn.hpp>

#include <QFile>

#include <map>

namespace dw {

struct OpenCvOnnxNet::Nets {
    std::map<std::vector<int64_t>, cv::dnn::Net> byShape;
};

namespace {

QString dimsText(const std::vector<int64_t> &dims)
{
    QStringList parts;
    for (int64_t d : dims)
        parts << (d < 0 ? QStringLiteral("?") : QString::number(d));
    return parts.join(QLatin1Char('x'));
}

}  // namespace

OpenCvOnnxNet::OpenCvOnnxNet() : m_nets(std::make_unique<Nets>())
{}
OpenCvOnnxNet::OpenCvOnnxNet(OpenCvOnnxNet &&) noexcept = default;
OpenCvOnnxNet &OpenCvOnnxNet::operator=(OpenCvOnnxNet &&) noexcept = default;
OpenCvOnnxNet::~OpenCvOnnxNet() = default;

Result<OpenCvOnnxNet> OpenCvOnnxNet::load(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return failure(QStringLiteral("cannot read the ONNX file %1: %2").arg(path, file.errorString()));
    OpenCvOnnxNet net;
    net.m_path = path;
    net.m_bytes = file.readAll();
    onnx::ModelProto model;
    if (!model.ParseFromArray(net.m_bytes.constData(), int(net.m_bytes.size())))
        return failure(QStringLiteral("%1 is not an ONNX model (its protobuf could not be parsed)").arg(path));
    std::vector<std::string> initializers;
    for (const auto &init : model.graph().initializer())
        initializers.push_back(init.name());
    const onnx::ValueInfoProto *input = nullptr;
    for (const auto &candidate : model.graph().input()) {
        if (std::find(initializers.begin(), initializers.end(), candidate.name()) != initializers.end())
            continue;
        if (input)
            return failure(QStringLiteral("%1 has more than one input; the workbench runs models with one").arg(path));
        input = &candidate;
    }
    if (!input || !input->type().has_tensor_type() ||
        input->type().tensor_type().elem_type() != onnx::TensorProto::FLOAT)
        return failure(
            QStringLiteral("%1 has no float input; the workbench runs models with one float tensor in").arg(path));
    for (const auto &dim : input->type().tensor_type().shape().dim())
        net.m_inputDims.push_back(dim.has_dim_value() ? dim.dim_value() : -1);
    if (net.m_inputDims.empty())
        return failure(QStringLiteral("%1 does not say the rank of its input").arg(path));
    return net;
}

Result<OnnxBlob> OpenCvOnnxNet::forward(const OnnxBlob &input)
{
    if (input.dims.size() != m_inputDims.size())
        return failure(QStringLiteral("the model %1 takes %2 input, not %3")
                           .arg(m_path, dimsText(m_inputDims), dimsText(input.dims)));
    int64_t count = 1;
    for (size_t i = 0; i < input.dims.size(); ++i) {
        if (m_inputDims[i] >= 0 && m_inputDims[i] != input.dims[i])
            return failure(QStringLiteral("the model %1 takes %2 input, not %3")
                               .arg(m_path, dimsText(m_inputDims), dimsText(input.dims)));
        count *= input.dims[i];
    }
    if (count != int64_t(input.values.size()))
        return failure(QStringLiteral("an input of %1 needs %2 values, got %3")
                           .arg(dimsText(input.dims))
                           .arg(count)
                           .arg(input.values.size()));
    try {
        auto found = m_nets->byShape.find(input.dims);
        if (found == m_nets->byShape.end()) {
            // The graph with its dynamic input dimensions set to this input's sizes.
            onnx::ModelProto model;
            model.ParseFromArray(m_bytes.constData(), int(m_bytes.size()));
            for (auto &graphInput : *model.mutable_graph()->mutable_input()) {
                if (graphInput.type().tensor_type().shape().dim_size() != int(input.dims.size()))
                    continue;
                auto *shape = graphInput.mutable_type()->mutable_tensor_type()->mutable_shape();
                for (int i = 0; i < shape->dim_size(); ++i)
                    shape->mutable_dim(i)->set_dim_value(input.dims[size_t(i)]);
            }
            std::string bytes;
            model.SerializeToString(&bytes);
            cv::dnn::Net net = cv::dnn::readNetFromONNX(bytes.data(), bytes.size());
            net.setPreferableBackend(cv::dnn::DNN_BACKEND_OPENCV);
            net.setPreferableTarget(cv::dnn::DNN_TARGET_CPU);
            found = m_nets->byShape.emplace(input.dims, std::move(net)).first;
        }
        std::vector<int> sizes(input.dims.begin(), input.dims.end());
        cv::Mat blob(int(sizes.size()), sizes.data(), CV_32F, const_cast<float *>(input.values.data()));
        found->second.setInput(blob);
        cv::Mat out = found->second.forward();
        OnnxBlob result;
        for (int i = 0; i < out.dims; ++i)
            result.dims.push_back(out.size[i]);
        const cv::Mat continuous = out.isContinuous() ? out : out.clone();
        const auto *values = continuous.ptr<float>();
        result.values.assign(values, values + continuous.total());
        return result;
    } catch (const cv::Exception &e) {
        return failure(QStringLiteral("OpenCV could not run %1 on a %2 input: %3")
                           .arg(m_path, dimsText(input.dims), QString::fromStdString(e.msg)));
    }
}

}  // namespace dw
