#pragma once
// The ONNX emitters of the classifiers' own layers (ConvNormActivation, the ResNet blocks,
// MobileNetV2's inverted residual, EfficientNet's MBConv and squeeze-and-excitation,
// ConvNeXt's block and channel LayerNorm) and of each architecture's features and head.
#include "core/ml/torch/onnx_emitter.h"

namespace dw::imageclass {

class ClassifierImpl;

void addClassifierLayers(ml::OnnxEmitter &emitter);

// The logits N×classes of a classifier for an N×C×H×W input.
Result<ml::OnnxValue> emitClassifier(ml::OnnxEmitter &emitter, ClassifierImpl &classifier, const ml::OnnxValue &in);

}  // namespace dw::imageclass
