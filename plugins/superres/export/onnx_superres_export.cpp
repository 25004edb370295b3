#include "plugins/superres/export/onnx_superres_export.h"

#include "core/ml/torch/module_weights.h"
#include "core/ml/torch/onnx_export.h"
#include "core/onnx/onnx_module_metadata.h"
#include "plugins/superres/export/bicubic_onnx.h"
#include "plugins/superres/models/dsen2_network.h"
#include "plugins/superres/module/sr_module.h"

#include <torch/torch.h>

#include <QJsonArray>

namespace dw::superres {

namespace {

constexpr int kDeepnessTile = 256;    // low-resolution pixels per tile offered to QGIS Deepness
constexpr int kDeepnessOverlap = 10;  // percent

torch::nn::Conv2dImpl &conv(torch::nn::Module &parent, const std::string &name)
{
    return ml::namedChildAs<torch::nn::Conv2dImpl>(parent, name);
}

// Per input channel: (offset, scale) of the bands, then of the packed guide (scale² channels
// per guide band).
SrChannelNormalization channelNormalization(const SrModule &module)
{
    std::vector<double> offsets, scales;
    for (int b = 0; b < module.bands(); ++b) {
        offsets.push_back(module.normalization.offset(b));
        scales.push_back(module.normalization.scale(b));
    }
    for (int g = 0; g < module.guideBands(); ++g) {
        for (int k = 0; k < module.scale() * module.scale(); ++k) {
            offsets.push_back(module.guideNormalization.offset(g));
            scales.push_back(module.guideNormalization.scale(g));
        }
    }
    return {offsets, scales};
}

QJsonArray numbers(const std::vector<double> &values, double divisor = 1.0)
{
    QJsonArray array;
    for (double v : values)
        array.append(v / divisor);
    return array;
}

QMap<QString, QString> srMetadata(const SrModule &module, bool folded)
{
    QMap<QString, QString> metadata = moduleOnnxMetadata(module.manifest);
    metadata.insert(QStringLiteral("scale"), QString::number(module.scale()));
    metadata.insert(QStringLiteral("bands"), onnxJsonText(QJsonArray::fromStringList(module.bandNames)));
    metadata.insert(QStringLiteral("normalization"), onnxJsonText(module.normalization.toJson()));
    if (module.guided()) {
        metadata.insert(QStringLiteral("guide_bands"), onnxJsonText(QJsonArray::fromStringList(module.guideBandNames)));
        metadata.insert(QStringLiteral("guide_normalization"), onnxJsonText(module.guideNormalization.toJson()));
        metadata.insert(QStringLiteral("guide_packing"),
                        QStringLiteral("the guide (at scale x the resolution) follows the bands, packed scale^2 "
                                       "channels per guide band (space-to-depth, PyTorch's pixel_unshuffle order)"));
    }
    metadata.insert(QStringLiteral("input_layout"),
                    QStringLiteral("batch x channels x height x width, low resolution"));
    metadata.insert(QStringLiteral("output_layout"), QStringLiteral("batch x bands x (scale*height) x (scale*width)"));
    metadata.insert(QStringLiteral("normalization_in_graph"),
                    folded ? QStringLiteral("true") : QStringLiteral("false"));
    metadata.insert(QStringLiteral("patch_size"), QString::number(module.patchSize));
    // QGIS Deepness divides pixel values by 255, then standardises: these values turn that
    // into the input the graph takes (raw values when the normalisation is folded in, else
    // the normalised ones).
    const SrChannelNormalization normalization = channelNormalization(module);
    const std::vector<double> &offsets = normalization.offsets, &scales = normalization.scales;
    const int channels = int(offsets.size());
    metadata.insert(QStringLiteral("model_type"), onnxJsonText(QStringLiteral("Superresolution")));
    metadata.insert(QStringLiteral("tile_size"), QString::number(kDeepnessTile));
    metadata.insert(QStringLiteral("tiles_size"), QString::number(kDeepnessTile));
    metadata.insert(QStringLiteral("tiles_overlap"), QString::number(kDeepnessOverlap));
    metadata.insert(QStringLiteral("scale_factor"), QString::number(module.scale()));
    metadata.insert(
        QStringLiteral("standardization_mean"),
        onnxJsonText(folded ? numbers(std::vector<double>(size_t(channels), 0.0)) : numbers(offsets, 255.0)));
    metadata.insert(
        QStringLiteral("standardization_std"),
        onnxJsonText(folded ? numbers(std::vector<double>(size_t(channels), 1.0 / 255.0)) : numbers(scales, 255.0)));
    return metadata;
}

// x * (1 / scale) + (-offset / scale) per channel, or its inverse.
ml::OnnxValue affine(ml::OnnxEmitter &e, const ml::OnnxValue &x, const std::vector<double> &offsets,
                     const std::vector<double> &scales, bool undo, const std::string &path)
{
    const auto offset = torch::tensor(offsets, torch::kFloat64).view({-1, 1, 1});
    const auto scale = torch::tensor(scales, torch::kFloat64).view({-1, 1, 1});
    const torch::Tensor factor = (undo ? scale : 1.0 / scale).to(torch::kFloat32);
    const torch::Tensor shift = (undo ? offset : -offset / scale).to(torch::kFloat32);
    const ml::OnnxValue scaled = e.scale(x, factor, path);
    return e.node("Add", {scaled.name, e.constant(shift, path + ".shift")}, x.sample * factor + shift,
                  path + ".shifted");
}

}  // namespace

Result<ml::OnnxValue> emitDsen2(ml::OnnxEmitter &e, Dsen2NetworkImpl &network, const ml::OnnxValue &upsampled)
{
    try {
        Result<ml::OnnxValue> head = e.conv2d(conv(network, "head"), nullptr, upsampled, "head");
        if (!head)
            return head;
        ml::OnnxValue x = e.relu(*head, "head");
        int index = 0;
        for (const auto &block : network.named_children()) {
            if (block.key() != "blocks")
                continue;
            for (const auto &item : block.value()->named_children()) {
                const std::string path = "blocks." + item.key();
                Result<ml::OnnxValue> first = e.conv2d(conv(*item.value(), "conv1"), nullptr, x, path + ".conv1");
                if (!first)
                    return first;
                Result<ml::OnnxValue> second =
                    e.conv2d(conv(*item.value(), "conv2"), nullptr, e.relu(*first, path + ".conv1"), path + ".conv2");
                if (!second)
                    return second;
                x = e.add(x, e.scale(*second, torch::tensor({float(Dsen2NetworkImpl::kResidualScale)}), path), path);
                ++index;
            }
        }
        if (index != network.spec().blocks)
            return failure(QStringLiteral("cannot export the super-resolution network: %1 blocks found, %2 expected")
                               .arg(index)
                               .arg(network.spec().blocks));
        Result<ml::OnnxValue> tail = e.conv2d(conv(network, "tail"), nullptr, x, "tail");
        if (!tail)
            return tail;
        const SrNetworkSpec &spec = network.spec();
        const ml::OnnxValue skip = spec.guided() ? e.slice(upsampled, 1, 0, spec.bands, "skip") : upsampled;
        ml::OnnxValue out = e.add(*tail, skip, "tail");
        out.sample = network.forward(upsampled.sample);
        return out;
    } catch (const std::exception &error) {
        return failure(QStringLiteral("cannot export the super-resolution network to ONNX: %1")
                           .arg(QString::fromUtf8(error.what()).section(QLatin1Char('\n'), 0, 0)));
    }
}

Result<ml::OnnxValue> emitSuperResolution(ml::OnnxEmitter &e, Dsen2NetworkImpl &network, const ml::OnnxValue &lowRes,
                                          const SrChannelNormalization *folded)
{
    const SrNetworkSpec &spec = network.spec();
    const int bands = spec.bands, scale = spec.scale;
    const int64_t channels = lowRes.sample.size(1);
    if (channels != bands + int64_t(spec.guideBands) * scale * scale)
        return failure(QStringLiteral("the super-resolution graph needs %1 input channels, got %2")
                           .arg(bands + spec.guideBands * scale * scale)
                           .arg(channels));
    const ml::OnnxValue x = folded ? affine(e, lowRes, folded->offsets, folded->scales, false, "normalize") : lowRes;
    const ml::OnnxValue low = spec.guided() ? e.slice(x, 1, 0, bands, "bands") : x;
    ml::OnnxValue upsampled = emitBicubicUpsample(e, low, scale, "bicubic");
    if (spec.guided()) {
        const ml::OnnxValue packed = e.slice(x, 1, bands, channels, "guide");
        const ml::OnnxValue guide =
            e.node("DepthToSpace", {packed.name}, torch::pixel_shuffle(packed.sample, scale), "guide.unpacked",
                   {{"blocksize", int64_t(scale)}, {"mode", std::string("CRD")}});
        upsampled = e.concat({upsampled, guide}, 1, "network_input");
    }
    Result<ml::OnnxValue> out = emitDsen2(e, network, upsampled);
    if (!out || !folded)
        return out;
    const std::vector<double> offsets(folded->offsets.begin(), folded->offsets.begin() + bands);
    const std::vector<double> scales(folded->scales.begin(), folded->scales.begin() + bands);
    return affine(e, *out, offsets, scales, true, "denormalize");
}

Result<TaskResult> exportSuperResolutionOnnx(const QString &moduleDir, const QString &output, bool foldNormalisation)
{
    Result<SrModule> module = readSrModule(moduleDir);
    if (!module)
        return module.error();
    if (module->scripted)
        return ml::torchScriptNotExportable(module->manifest.id);
    Dsen2Network network(module->network);
    if (Result<void> loaded = ml::ModuleWeights::load(*network, module->weightsPath(), torch::kCPU); !loaded)
        return loaded.error();
    network->eval();
    const int bands = module->bands(), scale = module->scale();
    const int channels = bands + module->guideBands() * scale * scale;
    const SrChannelNormalization normalization = channelNormalization(*module);

    ml::OnnxExportSpec spec;
    spec.graphName = module->manifest.id.toStdString();
    spec.inputDims = {{-1, "batch"}, {channels, {}}, {-1, "height"}, {-1, "width"}};
    spec.outputDims = {
        {-1, "batch"}, {bands, {}}, {-1, "height_x" + std::to_string(scale)}, {-1, "width_x" + std::to_string(scale)}};
    const int side = std::max(8, module->patchSize / scale);
    spec.sample = torch::randn({1, channels, side, side});
    spec.metadata = srMetadata(*module, foldNormalisation);
    spec.description = QStringLiteral("%1: x%2 super-resolution of %3 band(s) (%4)%5")
                           .arg(module->manifest.title)
                           .arg(scale)
                           .arg(bands)
                           .arg(module->bandNames.join(QStringLiteral(", ")),
                                foldNormalisation ? QStringLiteral(", values on the raster's own scale")
                                                  : QStringLiteral(", normalised values (see the metadata)"));
    Dsen2NetworkImpl &net = *network;
    Result<ml::OnnxExportReport> report = ml::exportOnnx(
        spec, {},
        [&](ml::OnnxEmitter &e, const ml::OnnxValue &in) {
            return emitSuperResolution(e, net, in, foldNormalisation ? &normalization : nullptr);
        },
        output);
    if (!report)
        return report.error();
    return TaskResult{JsonResult{
        ml::onnxExportSummary(*report, output, {{QStringLiteral("normalization_in_graph"), foldNormalisation}})}};
}

}  // namespace dw::superres
