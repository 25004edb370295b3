#pragma once
// Mean and standard deviation per channel from the data itself: a streaming pass over a
// seeded sample of the training images, each as the model sees it for evaluation
// (resized and cropped, before normalisation). The result does not depend on the thread
// count: per-image sums are combined in image order.
#include "core/util/result.h"
#include "plugins/imageclass/data/image_pipeline.h"
#include "plugins/imageclass/data/normalization.h"

#include <QStringList>

#include <atomic>
#include <cstdint>

namespace dw::imageclass {

class NormalizationEstimator {
public:
    struct Options {
        int maxImages = 2000;  // a seeded sample when there are more
        std::uint64_t seed = 0;
        int threads = 0;  // 0: one per core
    };

    // Unreadable images are skipped; an error when none can be read or when cancelled.
    static Result<Normalization> estimate(const QStringList &paths, const PipelineOptions &pipeline,
                                          const Options &options, const std::atomic_bool *cancel = nullptr);
};

}  // namespace dw::imageclass
