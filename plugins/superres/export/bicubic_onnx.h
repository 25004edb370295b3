#pragma once
// Bicubic upsampling by an integer scale as ONNX, equal to bicubicUpsample() (PyTorch's
// bicubic: a = -0.75, half-pixel centres, borders clamped): the borders are repeated two
// pixels out (Slice + Concat), then one ConvTranspose with stride `scale` applies the fixed
// 5·scale-tap kernel. Height and width stay dynamic. ONNX's Resize "cubic" would say the same,
// but OpenCV 4.6 runs only its nearest and linear modes.
#include "core/ml/torch/onnx_emitter.h"

namespace dw::superres {

ml::OnnxValue emitBicubicUpsample(ml::OnnxEmitter &emitter, const ml::OnnxValue &in, int scale,
                                  const std::string &path);

}  // namespace dw::superres
