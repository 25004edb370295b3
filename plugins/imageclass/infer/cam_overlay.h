#pragma once
// The Grad-CAM picture a person looks at: the heat map, colour-mapped, blended over the
// part of the image the network saw (the centre crop of the evaluation pipeline), at the
// image's own resolution (small images enlarged so that the map can be read).
#include "core/util/result.h"
#include "plugins/imageclass/data/image_pipeline.h"

#include <QString>

#include <opencv2/core.hpp>

namespace dw::imageclass {

// image: CV_8UC3 RGB; cam: CV_32F in [0, 1], any size (resized to the image's). Returns a
// CV_8UC3 BGR image (for cv::imwrite): the JET colour map blended with the image, alpha
// being the heat map's share.
cv::Mat camOverlay(const cv::Mat &imageRgb, const cv::Mat &cam, double alpha = 0.45);

// The region of an image (cols × rows) that the evaluation pipeline's resize and centre
// crop keep, in the image's own pixel coordinates.
cv::Rect evaluationCropRect(cv::Size image, const PipelineOptions &options);

// Reads imagePath again (as 8-bit RGB), cuts out the region the network saw and writes the
// overlay as a PNG at outPath (QSaveFile: never a half-written file).
Result<void> writeCamOverlay(const QString &imagePath, const cv::Mat &cam, const PipelineOptions &options,
                             const QString &outPath);

}  // namespace dw::imageclass
