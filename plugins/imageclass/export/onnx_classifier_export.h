#pragma once
// A trained classifier written as ONNX: input "input" N×C×H×W (float, the module's size),
// output "output" N×classes (logits: a softmax gives the probabilities). The labels, input
// size, normalisation and the keys QGIS Deepness reads travel in the metadata; with
// foldNormalisation the graph takes pixels in [0, 1] and normalises them itself.
#include "core/task/task_result.h"
#include "core/util/result.h"

#include <QString>

namespace dw::imageclass {

Result<TaskResult> exportClassifierOnnx(const QString &moduleDir, const QString &output, bool foldNormalisation);

}  // namespace dw::imageclass
