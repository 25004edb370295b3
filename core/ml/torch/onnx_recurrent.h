#pragma once
// LSTM and GRU layers (batch_first, one direction, any number of layers) written as ONNX,
// unrolled over the steps of a fixed window into Gemm, Sigmoid, Tanh, Mul and Add nodes: the
// form every consumer runs (OpenCV 4.6 reads ONNX's own LSTM and GRU nodes only in narrow
// layouts), with the PyTorch gate order and GRU's reset applied after the hidden product.
#include "core/ml/torch/onnx_emitter.h"

#include <torch/nn/modules/rnn.h>

namespace dw::ml {

// The last layer's hidden state after the last step, N×hidden, for an N×W×F input.
Result<OnnxValue> emitRecurrentLastStep(OnnxEmitter &emitter, torch::nn::Module &recurrent, const OnnxValue &in,
                                        const std::string &path);

}  // namespace dw::ml
