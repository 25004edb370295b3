#pragma once
// A stratified split: each class is divided in the given proportions on its own, so that
// a rare class appears in validation and test as it does in the whole, and every class
// keeps at least one training sample. Fixed by the seed on every platform.
#include "core/util/result.h"
#include "plugins/imageclass/data/dataset_split.h"

#include <cstdint>
#include <vector>

namespace dw::imageclass {

class StratifiedSplitter {
public:
    // Fractions must be >= 0 with a positive train fraction; they are scaled to sum to 1.
    static Result<void> check(const SplitFractions &fractions);

    // labels[i] is sample i's class; positions are the samples to split. Each part of
    // the result is sorted. splitAll splits every sample.
    static DatasetSplit split(const std::vector<int> &labels, const std::vector<int> &positions,
                              const SplitFractions &fractions, std::uint64_t seed);
    static DatasetSplit splitAll(const std::vector<int> &labels, const SplitFractions &fractions, std::uint64_t seed);
};

}  // namespace dw::imageclass
