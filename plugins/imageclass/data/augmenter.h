#pragma once
// Turns a decoded image into the model's input geometry: for training with random flips,
// rotation, crop/zoom, colour jitter, blur and noise, each drawn from the sample's seed
// alone (so a run is reproducible however threads are scheduled); for evaluation with a
// plain resize and centre crop. Input: CV_8U, CV_16U or CV_32F with any channel count,
// RGB order; output: CV_32F of the output size, intensities in [0, 1].
#include "plugins/imageclass/data/augmentation_options.h"

#include <opencv2/core.hpp>

#include <cstdint>

namespace dw::imageclass {

class SeededRng;

class Augmenter {
public:
    // evalResizeRatio: evaluation resizes the image to cover outputSize × ratio before the
    // centre crop (1.0: crop nothing more than the aspect ratio needs; 256/224: ImageNet).
    Augmenter(AugmentationOptions options, cv::Size outputSize, double evalResizeRatio = 1.0);

    cv::Mat train(const cv::Mat &image, std::uint64_t seed) const;
    cv::Mat evaluate(const cv::Mat &image) const;

    const AugmentationOptions &options() const { return m_options; }
    cv::Size outputSize() const { return m_size; }

    // The single steps, public so that each can be checked on its own.
    static cv::Mat toFloat(const cv::Mat &image);                  // CV_32F in [0, 1]
    static cv::Mat resizeTo(const cv::Mat &image, cv::Size size);  // area when shrinking, else bilinear
    // Resized to cover size × ratio, then the centre size cut out.
    static cv::Mat resizeCenterCrop(const cv::Mat &image, cv::Size size, double ratio = 1.0);
    static cv::Rect randomResizedCropRect(cv::Size image, const AugmentationOptions &options, SeededRng &rng);
    static cv::Mat rotate(const cv::Mat &image, double degrees);  // about the centre, borders reflected
    // On a CV_32F image in [0, 1]; results clamped to [0, 1].
    static void adjustBrightness(cv::Mat &image, double factor);
    static void adjustContrast(cv::Mat &image, double factor);
    static void adjustSaturation(cv::Mat &image, double factor);  // RGB(A) only; grey unchanged
    static void gaussianBlur(cv::Mat &image, double sigma);
    static void addNoise(cv::Mat &image, double sigma, std::uint64_t seed);

private:
    AugmentationOptions m_options;
    cv::Size m_size;
    double m_evalRatio;
};

}  // namespace dw::imageclass
