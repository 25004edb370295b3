#pragma once
// A trained super-resolution module written as ONNX: input "input" N×C×h×w at the low
// resolution (h and w dynamic, so that a consumer can tile), output "output"
// N×bands×(scale·h)×(scale·w). The graph does what LoadedSuperResolver does between the
// normalisation and its undoing: bicubic upsampling, for a guided module the unpacking of the
// guide packed after the bands (DepthToSpace), and the network. With foldNormalisation the
// graph takes and gives values on the raster's own scale; without, normalised values (the
// offsets and scales are in the metadata). Bands, scale, tile size and QGIS Deepness's keys
// travel in the metadata.
#include "core/ml/torch/onnx_emitter.h"
#include "core/task/task_result.h"
#include "core/util/result.h"

#include <QString>

namespace dw::superres {

class Dsen2NetworkImpl;

// The network's nodes for an upsampled N×(bands + guide)×H×W input.
Result<ml::OnnxValue> emitDsen2(ml::OnnxEmitter &emitter, Dsen2NetworkImpl &network, const ml::OnnxValue &upsampled);

// Per input channel (the bands, then the packed guide) the offset and scale of the module's
// normalisation; the first `bands` also undo it on the output.
struct SrChannelNormalization {
    std::vector<double> offsets, scales;
};

// The whole graph for a low-resolution N×C×h×w input (C = bands + guide bands·scale²):
// [normalisation], bicubic upsampling of the bands, [the guide unpacked], the network,
// [normalisation undone]. The brackets only with `folded`.
Result<ml::OnnxValue> emitSuperResolution(ml::OnnxEmitter &emitter, Dsen2NetworkImpl &network,
                                          const ml::OnnxValue &lowRes, const SrChannelNormalization *folded);

Result<TaskResult> exportSuperResolutionOnnx(const QString &moduleDir, const QString &output, bool foldNormalisation);

}  // namespace dw::superres
