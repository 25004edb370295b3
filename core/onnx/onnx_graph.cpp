#include "core/onnx/onnx_graph.h"

#include <onnx/checker.h>
#include <onnx/onnx_pb.h>
#include <onnx/shape_inference/implementation.h>

#include <QFile>
#include <QSaveFile>

#include <algorithm>
#include <unordered_set>

namespace dw {

namespace {

void setDims(onnx::ValueInfoProto *info, const std::vector<OnnxDim> &dims)
{
    auto *tensor = info->mutable_type()->mutable_tensor_type();
    tensor->set_elem_type(onnx::TensorProto::FLOAT);
    auto *shape = tensor->mutable_shape();
    for (const OnnxDim &dim : dims) {
        auto *d = shape->add_dim();
        if (dim.size >= 0)
            d->set_dim_value(dim.size);
        else
            d->set_dim_param(dim.name);
    }
}

void setAttribute(onnx::NodeProto *node, const OnnxAttribute &attribute)
{
    onnx::AttributeProto *a = node->add_attribute();
    a->set_name(attribute.name);
    std::visit(
        [a](const auto &value) {
            using T = std::decay_t<decltype(value)>;
            if constexpr (std::is_same_v<T, int64_t>) {
                a->set_type(onnx::AttributeProto::INT);
                a->set_i(value);
            } else if constexpr (std::is_same_v<T, float>) {
                a->set_type(onnx::AttributeProto::FLOAT);
                a->set_f(value);
            } else if constexpr (std::is_same_v<T, std::string>) {
                a->set_type(onnx::AttributeProto::STRING);
                a->set_s(value);
            } else if constexpr (std::is_same_v<T, std::vector<int64_t>>) {
                a->set_type(onnx::AttributeProto::INTS);
                for (int64_t v : value)
                    a->add_ints(v);
            } else {
                a->set_type(onnx::AttributeProto::FLOATS);
                for (float v : value)
                    a->add_floats(v);
            }
        },
        attribute.value);
}

Result<onnx::ModelProto> parseFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return failure(QStringLiteral("cannot read the ONNX file %1: %2").arg(path, file.errorString()));
    const QByteArray bytes = file.readAll();
    onnx::ModelProto model;
    if (!model.ParseFromArray(bytes.constData(), int(bytes.size())))
        return failure(QStringLiteral("%1 is not an ONNX model (its protobuf could not be parsed)").arg(path));
    return model;
}

}  // namespace

OnnxGraph::OnnxGraph(const std::string &graphName) : m_model(std::make_unique<onnx::ModelProto>())
{
    m_model->set_ir_version(onnx::IR_VERSION_2019_9_19);  // IR 6, the one of opset 11
    auto *opset = m_model->add_opset_import();
    opset->set_domain("");
    opset->set_version(kOnnxOpset);
    m_model->mutable_graph()->set_name(graphName);
}

OnnxGraph::~OnnxGraph() = default;

std::string OnnxGraph::unique(const std::string &hint)
{
    std::string base = hint.empty() ? std::string("t") : hint;
    std::string name = base;
    for (int i = 1; std::find(m_names.begin(), m_names.end(), name) != m_names.end(); ++i)
        name = base + "_" + std::to_string(i);
    m_names.push_back(name);
    return name;
}

void OnnxGraph::addInput(const std::string &name, const std::vector<OnnxDim> &dims)
{
    m_names.push_back(name);
    setDims(m_model->mutable_graph()->add_input(), dims);
    m_model->mutable_graph()->mutable_input()->rbegin()->set_name(name);
}

void OnnxGraph::addOutput(const std::string &tensor, const std::string &name, const std::vector<OnnxDim> &dims)
{
    auto *graph = m_model->mutable_graph();
    for (auto &node : *graph->mutable_node()) {
        for (auto &output : *node.mutable_output())
            if (output == tensor)
                output = name;
        for (auto &input : *node.mutable_input())
            if (input == tensor)
                input = name;
    }
    auto *info = graph->add_output();
    info->set_name(name);
    setDims(info, dims);
}

std::string OnnxGraph::floats(const std::string &hint, const std::vector<int64_t> &dims, const float *values)
{
    const std::string name = unique(hint);
    onnx::TensorProto *tensor = m_model->mutable_graph()->add_initializer();
    tensor->set_name(name);
    tensor->set_data_type(onnx::TensorProto::FLOAT);
    int64_t count = 1;
    for (int64_t d : dims) {
        tensor->add_dims(d);
        count *= d;
    }
    tensor->set_raw_data(std::string(reinterpret_cast<const char *>(values), size_t(count) * sizeof(float)));
    return name;
}

std::string OnnxGraph::floats(const std::string &hint, const std::vector<int64_t> &dims,
                              const std::vector<float> &values)
{
    return floats(hint, dims, values.data());
}

std::string OnnxGraph::int64s(const std::string &hint, const std::vector<int64_t> &values)
{
    const std::string name = unique(hint);
    onnx::TensorProto *tensor = m_model->mutable_graph()->add_initializer();
    tensor->set_name(name);
    tensor->set_data_type(onnx::TensorProto::INT64);
    tensor->add_dims(int64_t(values.size()));
    for (int64_t v : values)
        tensor->add_int64_data(v);
    return name;
}

std::string OnnxGraph::node(const std::string &op, const std::vector<std::string> &inputs, const std::string &hint,
                            const std::vector<OnnxAttribute> &attributes)
{
    onnx::NodeProto *node = m_model->mutable_graph()->add_node();
    const std::string output = unique(hint);
    node->set_op_type(op);
    node->set_name(output);
    for (const std::string &input : inputs)
        node->add_input(input);
    node->add_output(output);
    for (const OnnxAttribute &attribute : attributes)
        setAttribute(node, attribute);
    return output;
}

int OnnxGraph::nodeCount() const
{
    return m_model->graph().node_size();
}

void OnnxGraph::setMetadata(const QString &key, const QString &value)
{
    for (auto &entry : *m_model->mutable_metadata_props()) {
        if (entry.key() == key.toStdString()) {
            entry.set_value(value.toStdString());
            return;
        }
    }
    auto *entry = m_model->add_metadata_props();
    entry->set_key(key.toStdString());
    entry->set_value(value.toStdString());
}

void OnnxGraph::setProducer(const QString &name, const QString &version)
{
    m_model->set_producer_name(name.toStdString());
    m_model->set_producer_version(version.toStdString());
}

void OnnxGraph::setDocString(const QString &text)
{
    m_model->set_doc_string(text.toStdString());
}

Result<QByteArray> OnnxGraph::serialized() const
{
    try {
        onnx::checker::check_model(*m_model);
        onnx::ModelProto inferred = *m_model;
        onnx::shape_inference::InferShapes(inferred, onnx::OpSchemaRegistry::Instance(),
                                           onnx::ShapeInferenceOptions(/*check_type=*/true, /*strict=*/1));
    } catch (const std::exception &e) {
        return failure(QStringLiteral("the ONNX graph is not valid (%1): %2")
                           .arg(QString::fromStdString(m_model->graph().name()), QString::fromUtf8(e.what())));
    }
    std::string bytes;
    if (!m_model->SerializeToString(&bytes))
        return failure(QStringLiteral("the ONNX model could not be serialised (over 2 GB?)"));
    return QByteArray(bytes.data(), qsizetype(bytes.size()));
}

Result<void> writeOnnxFile(const QByteArray &bytes, const QString &path)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return failure(QStringLiteral("cannot write %1: %2").arg(path, file.errorString()));
    if (file.write(bytes) != bytes.size() || !file.commit())
        return failure(QStringLiteral("cannot write %1: %2").arg(path, file.errorString()));
    return {};
}

Result<QMap<QString, QString>> readOnnxMetadata(const QString &path)
{
    Result<onnx::ModelProto> model = parseFile(path);
    if (!model)
        return model.error();
    QMap<QString, QString> metadata;
    for (const auto &entry : model->metadata_props())
        metadata.insert(QString::fromStdString(entry.key()), QString::fromStdString(entry.value()));
    return metadata;
}

Result<void> checkOnnxFile(const QString &path)
{
    Result<onnx::ModelProto> model = parseFile(path);
    if (!model)
        return model.error();
    try {
        onnx::checker::check_model(*model);
    } catch (const std::exception &e) {
        return failure(QStringLiteral("%1 fails the ONNX checker: %2").arg(path, QString::fromUtf8(e.what())));
    }
    return {};
}

}  // namespace dw
