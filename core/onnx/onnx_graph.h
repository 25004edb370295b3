#pragma once
// An ONNX model under construction, written with the ONNX project's own C++ library (its
// protobuf model, checker and shape inference): graph inputs and outputs, weights as
// initializers, nodes, and the metadata_props a consumer reads. No LibTorch here; the layer
// emitters (core/ml/torch/onnx_emitter.h) fill it.
#include "core/util/result.h"

#include <QByteArray>
#include <QMap>
#include <QString>

#include <cstdint>
#include <memory>
#include <string>
#include <variant>
#include <vector>

namespace onnx {
class ModelProto;
}

namespace dw {

// The opset every exported graph imports: 11 is the newest that OpenCV 4.6 (Debian 12) reads
// without restrictions on Squeeze/Unsqueeze/ReduceMean; ONNX Runtime reads it too.
inline constexpr int64_t kOnnxOpset = 11;

struct OnnxAttribute {
    std::string name;
    std::variant<int64_t, float, std::string, std::vector<int64_t>, std::vector<float>> value;
};

// One dimension of a graph input or output: a size, or a name for a size chosen at run time.
struct OnnxDim {
    int64_t size = -1;  // -1: dynamic
    std::string name;   // the symbol of a dynamic dimension ("batch", "height")
};

class OnnxGraph {
public:
    explicit OnnxGraph(const std::string &graphName);
    ~OnnxGraph();
    OnnxGraph(const OnnxGraph &) = delete;
    OnnxGraph &operator=(const OnnxGraph &) = delete;

    void addInput(const std::string &name, const std::vector<OnnxDim> &dims);
    // The graph output: renames the tensor `tensor` to `name` where it is made and used.
    void addOutput(const std::string &tensor, const std::string &name, const std::vector<OnnxDim> &dims);

    // A float32 initializer (values in row-major order); returns its name, made unique from hint.
    std::string floats(const std::string &hint, const std::vector<int64_t> &dims, const float *values);
    std::string floats(const std::string &hint, const std::vector<int64_t> &dims, const std::vector<float> &values);
    // A 1-D int64 initializer (shapes, axes, slice bounds).
    std::string int64s(const std::string &hint, const std::vector<int64_t> &values);

    // Adds a node of type op; returns the name of its (first) output, made unique from hint.
    std::string node(const std::string &op, const std::vector<std::string> &inputs, const std::string &hint,
                     const std::vector<OnnxAttribute> &attributes = {});
    int nodeCount() const;

    void setMetadata(const QString &key, const QString &value);
    void setProducer(const QString &name, const QString &version);
    void setDocString(const QString &text);

    // Runs the ONNX checker and (strict) shape inference on the model; its bytes when both
    // pass, else what they found.
    Result<QByteArray> serialized() const;

private:
    std::string unique(const std::string &hint);

    std::unique_ptr<onnx::ModelProto> m_model;
    std::vector<std::string> m_names;
};

// Writes bytes to path through QSaveFile: the file appears whole or not at all.
Result<void> writeOnnxFile(const QByteArray &bytes, const QString &path);

// The metadata_props of an ONNX file, key -> value.
Result<QMap<QString, QString>> readOnnxMetadata(const QString &path);

// Runs the checker on a file (the same the Python package's onnx.checker.check_model runs).
Result<void> checkOnnxFile(const QString &path);

}  // namespace dw
