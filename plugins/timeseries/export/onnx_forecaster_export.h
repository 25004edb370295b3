#pragma once
// A trained forecaster written as ONNX: input "input" N×W×F (the module's scaled, and
// differenced when it differences, window: targets first, then extra inputs), output
// "output" N×H×T in the same space. The window, horizon, feature names and the scaling a
// consumer must apply travel in the metadata.
#include "core/ml/torch/onnx_emitter.h"
#include "core/task/task_result.h"
#include "core/util/result.h"

#include <QString>

namespace dw::timeseries {

class ForecasterImpl;

// The nodes of any forecaster (LSTM, GRU, CNN, MLP, with its residual) for an N×W×F input.
Result<ml::OnnxValue> emitForecaster(ml::OnnxEmitter &emitter, ForecasterImpl &network, const ml::OnnxValue &input);

// Writes the module at moduleDir to output (a .onnx file); nothing is left on failure.
Result<TaskResult> exportForecasterOnnx(const QString &moduleDir, const QString &output);

}  // namespace dw::timeseries
