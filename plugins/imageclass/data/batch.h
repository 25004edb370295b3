#pragma once
// One batch of model inputs as the loader hands it over.
#include <torch/types.h>

#include <cstdint>

namespace dw::imageclass {

struct Batch {
    torch::Tensor images;     // N×C×H×W float32, normalised; channels_last strides when asked
    torch::Tensor labels;     // N int64
    torch::Tensor indices;    // N int64: positions of the samples in the loader's list
    std::int64_t number = 0;  // the batch's place in the epoch, from 0
    int skipped = 0;          // samples of this batch that could not be read

    std::int64_t size() const { return labels.defined() ? labels.size(0) : 0; }
};

}  // namespace dw::imageclass
