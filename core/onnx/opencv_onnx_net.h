#pragma once
// An ONNX file run by OpenCV's DNN module (cv::dnn::readNetFromONNX, Debian's OpenCV): what
// the workbench uses to run a model shared as ONNX, and what the export tests compare with.
// OpenCV 4.6 plans broadcasts and reductions when it reads a graph, from the sizes the graph
// declares, so the dynamic dimensions of the input (batch, height, width) are set to the
// sizes of the blob at hand in a copy of the model before OpenCV reads it; one network is
// kept per input shape. No LibTorch here.
#include "core/util/result.h"

#include <QByteArray>
#include <QString>

#include <cstdint>
#include <memory>
#include <vector>

namespace dw {

struct OnnxBlob {
    std::vector<int64_t> dims;  // N×C×H×W, N×W×F, N×K…
    std::vector<float> values;  // row-major
};

class OpenCvOnnxNet {
public:
    OpenCvOnnxNet(OpenCvOnnxNet &&) noexcept;
    OpenCvOnnxNet &operator=(OpenCvOnnxNet &&) noexcept;
    ~OpenCvOnnxNet();

    // Reads the file: one float input of known rank, parsed by the ONNX library. OpenCV reads
    // the graph at the first forward() (its errors come from there).
    static Result<OpenCvOnnxNet> load(const QString &path);

    // The declared dims of the single input (-1: dynamic).
    const std::vector<int64_t> &inputDims() const { return m_inputDims; }
    // One forward pass. The input's rank and fixed sizes must match the graph's.
    Result<OnnxBlob> forward(const OnnxBlob &input);

private:
    struct Nets;  // OpenCV's networks, one per input shape
    OpenCvOnnxNet();

    QString m_path;
    QByteArray m_bytes;
    std::vector<int64_t> m_inputDims;
    std::unique_ptr<Nets> m_nets;
};

}  // namespace dw
