#pragma once
// LibTorch tensors to and from the blobs OpenCvOnnxNet (core/onnx) runs: float32, row-major,
// on the CPU.
#include "core/onnx/opencv_onnx_net.h"

#include <torch/types.h>

namespace dw::ml {

inline OnnxBlob toOnnxBlob(const torch::Tensor &tensor)
{
    const torch::Tensor x = tensor.detach().to(torch::kCPU, torch::kFloat32).contiguous();
    return OnnxBlob{x.sizes().vec(), std::vector<float>(x.data_ptr<float>(), x.data_ptr<float>() + x.numel())};
}

// A copy of the blob's values with its dims.
inline torch::Tensor fromOnnxBlob(const OnnxBlob &blob)
{
    return torch::from_blob(const_cast<float *>(blob.values.data()), c10::IntArrayRef(blob.dims), torch::kFloat32)
        .clone();
}

}  // namespace dw::ml
