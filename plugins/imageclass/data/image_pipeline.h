#pragma once
// From a file to one model input: read (size checked, EXIF orientation applied, channels
// converted), augmented for training or resized and centre-cropped for evaluation, then
// normalised. The result is CV_32F, H×W×C, RGB order. Reentrant: one pipeline serves
// every loader thread.
#include "core/io/image.h"
#include "core/util/result.h"
#include "plugins/imageclass/data/augmentation_options.h"
#include "plugins/imageclass/data/augmenter.h"
#include "plugins/imageclass/data/normalization.h"

#include <QString>

#include <opencv2/core.hpp>

#include <cstdint>

namespace dw::imageclass {

struct PipelineOptions {
    int width = 224;
    int height = 224;
    int channels = 3;  // grey is replicated, alpha dropped, or colour turned grey
    AugmentationOptions augmentation;
    Normalization normalization;  // not set: inputs stay in [0, 1]
    double evalResizeRatio = 1.0;
    int maxSide = 20000;  // larger images are refused before decoding
};

class ImagePipeline {
public:
    explicit ImagePipeline(PipelineOptions options);

    // Sizes of at least 1 px, 1 to 64 channels, a normalisation (if set) for each channel.
    static Result<void> check(const PipelineOptions &options);

    Result<cv::Mat> load(const QString &path, bool train, std::uint64_t seed) const;
    // The same from an image already decoded in RGB order with the right channel count.
    cv::Mat transform(const cv::Mat &image, bool train, std::uint64_t seed) const;
    // In place on a CV_32F image with the pipeline's channel count.
    void normalize(cv::Mat &image) const;

    // A view of an Image's pixels as a cv::Mat (no copy; valid while image lives).
    static cv::Mat view(const Image &image);

    const PipelineOptions &options() const { return m_options; }
    const Augmenter &augmenter() const { return m_augmenter; }

private:
    PipelineOptions m_options;
    Augmenter m_augmenter;
};

}  // namespace dw::imageclass
