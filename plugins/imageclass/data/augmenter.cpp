#include "plugins/imageclass/data/augmenter.h"

#include "plugins/imageclass/data/seeded_rng.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <utility>

namespace dw::imageclass {
namespace {

void clamp01(cv::Mat &image)
{
    cv::max(image, 0.0, image);
    cv::min(image, 1.0, image);
}

// Luminance (ITU-R 601, as torchvision's rgb_to_grayscale) of an RGB(A) float image.
cv::Mat luminance(const cv::Mat &image)
{
    cv::Mat grey;
    if (image.channels() == 1)
        return image;
    cv::cvtColor(image, grey, image.channels() == 4 ? cv::COLOR_RGBA2GRAY : cv::COLOR_RGB2GRAY);
    return grey;
}

double jitterFactor(double amount, SeededRng &rng)
{
    return rng.uniform(std::max(0.0, 1.0 - amount), 1.0 + amount);
}

}  // namespace

Augmenter::Augmenter(AugmentationOptions options, cv::Size outputSize, double evalResizeRatio)
    : m_options(std::move(options)), m_size(outputSize), m_evalRatio(evalResizeRatio > 0.0 ? evalResizeRatio : 1.0)
{}

cv::Mat Augmenter::toFloat(const cv::Mat &image)
{
    cv::Mat out;
    switch (image.depth()) {
    case CV_8U:
        image.convertTo(out, CV_32F, 1.0 / 255.0);
        break;
    case CV_16U:
        image.convertTo(out, CV_32F, 1.0 / 65535.0);
        break;
    case CV_32F:
        out = image.clone();
        break;
    default:
        image.convertTo(out, CV_32F);
        break;
    }
    return out;
}

cv::Mat Augmenter::resizeTo(const cv::Mat &image, cv::Size size)
{
    if (image.size() == size)
        return image;
    cv::Mat out;
    const bool shrinking = size.width <= image.cols && size.height <= image.rows;
    cv::resize(image, out, size, 0, 0, shrinking ? cv::INTER_AREA : cv::INTER_LINEAR);
    return out;
}

cv::Mat Augmenter::resizeCenterCrop(const cv::Mat &image, cv::Size size, double ratio)
{
    if (image.size() == size)
        return image;
    const double scale = std::max(size.width * ratio / image.cols, size.height * ratio / image.rows);
    const cv::Size covering(std::max(size.width, static_cast<int>(std::lround(image.cols * scale))),
                            std::max(size.height, static_cast<int>(std::lround(image.rows * scale))));
    const cv::Mat resized = resizeTo(image, covering);
    const cv::Rect crop((covering.width - size.width) / 2, (covering.height - size.height) / 2, size.width,
                        size.height);
    return resized(crop);
}

cv::Rect Augmenter::randomResizedCropRect(cv::Size image, const AugmentationOptions &o, SeededRng &rng)
{
    const double area = static_cast<double>(image.width) * image.height;
    const double logRatioMin = std::log(std::max(1e-6, o.ratioMin));
    const double logRatioMax = std::log(std::max(o.ratioMin, o.ratioMax) + 1e-12);
    for (int attempt = 0; attempt < 10; ++attempt) {
        const double target = area * rng.uniform(o.scaleMin, std::max(o.scaleMin, o.scaleMax));
        const double aspect = std::exp(rng.uniform(logRatioMin, logRatioMax));
        const int w = static_cast<int>(std::lround(std::sqrt(target * aspect)));
        const int h = static_cast<int>(std::lround(std::sqrt(target / aspect)));
        if (w > 0 && h > 0 && w <= image.width && h <= image.height) {
            const int x = static_cast<int>(rng.below(static_cast<std::uint64_t>(image.width - w + 1)));
            const int y = static_cast<int>(rng.below(static_cast<std::uint64_t>(image.height - h + 1)));
            return {x, y, w, h};
        }
    }
    // Fallback, as torchvision: the largest centred crop within the ratio range.
    const double inRatio = static_cast<double>(image.width) / image.height;
    int w = image.width, h = image.height;
    if (inRatio < o.ratioMin)
        h = std::clamp(static_cast<int>(std::lround(w / o.ratioMin)), 1, image.height);
    else if (inRatio > o.ratioMax)
        w = std::clamp(static_cast<int>(std::lround(h * o.ratioMax)), 1, image.width);
    return {(image.width - w) / 2, (image.height - h) / 2, w, h};
}

cv::Mat Augmenter::rotate(const cv::Mat &image, double degrees)
{
    if (degrees == 0.0)
        return image;
    const cv::Point2f centre(static_cast<float>(image.cols - 1) / 2.0f, static_cast<float>(image.rows - 1) / 2.0f);
    const cv::Mat matrix = cv::getRotationMatrix2D(centre, degrees, 1.0);
    cv::Mat out;
    cv::warpAffine(image, out, matrix, image.size(), cv::INTER_LINEAR, cv::BORDER_REFLECT_101);
    return out;
}

void Augmenter::adjustBrightness(cv::Mat &image, double factor)
{
    image.convertTo(image, CV_32F, factor);
    clamp01(image);
}

void Augmenter::adjustContrast(cv::Mat &image, double factor)
{
    const double mean = cv::mean(luminance(image))[0];
    image.convertTo(image, CV_32F, factor, (1.0 - factor) * mean);
    clamp01(image);
}

void Augmenter::adjustSaturation(cv::Mat &image, double factor)
{
    if (image.channels() < 3)
        return;
    cv::Mat grey = luminance(image);
    std::vector<cv::Mat> planes;
    cv::split(image, planes);
    for (int c = 0; c < 3; ++c)
        cv::addWeighted(planes[static_cast<std::size_t>(c)], factor, grey, 1.0 - factor, 0.0,
                        planes[static_cast<std::size_t>(c)]);
    cv::merge(planes, image);
    clamp01(image);
}

void Augmenter::gaussianBlur(cv::Mat &image, double sigma)
{
    if (sigma <= 0.0)
        return;
    // torchvision's kernel: odd, covering about ±3 sigma, capped by the image.
    int k = 2 * static_cast<int>(std::ceil(3.0 * sigma)) + 1;
    k = std::max(1, std::min(k, 2 * ((std::min(image.cols, image.rows) - 1) / 2) + 1));
    cv::GaussianBlur(image, image, cv::Size(k, k), sigma, sigma, cv::BORDER_REFLECT_101);
}

void Augmenter::addNoise(cv::Mat &image, double sigma, std::uint64_t seed)
{
    if (sigma <= 0.0)
        return;
    cv::Mat noise(image.size(), image.type());
    cv::RNG rng(seed);
    rng.fill(noise, cv::RNG::NORMAL, cv::Scalar::all(0.0), cv::Scalar::all(sigma));
    image += noise;
    clamp01(image);
}

cv::Mat Augmenter::train(const cv::Mat &image, std::uint64_t seed) const
{
    SeededRng rng(seed);
    const AugmentationOptions &o = m_options;
    cv::Mat out;
    if (o.randomResizedCrop)
        out = resizeTo(image(randomResizedCropRect(image.size(), o, rng)), m_size);
    else
        out = resizeCenterCrop(image, m_size, 1.0);
    // Never in place: out may still share the caller's pixels.
    const bool flipH = rng.chance(o.horizontalFlip);
    const bool flipV = rng.chance(o.verticalFlip);
    if (flipH || flipV) {
        cv::Mat flipped;
        cv::flip(out, flipped, flipH && flipV ? -1 : flipH ? 1 : 0);
        out = flipped;
    }
    if (o.rotationDegrees > 0.0)
        out = rotate(out, rng.uniform(-o.rotationDegrees, o.rotationDegrees));
    out = toFloat(out);  // a fresh image from here on
    if (o.brightness > 0.0)
        adjustBrightness(out, jitterFactor(o.brightness, rng));
    if (o.contrast > 0.0)
        adjustContrast(out, jitterFactor(o.contrast, rng));
    if (o.saturation > 0.0)
        adjustSaturation(out, jitterFactor(o.saturation, rng));
    if (rng.chance(o.blurProbability))
        gaussianBlur(out, rng.uniform(o.blurSigmaMin, std::max(o.blurSigmaMin, o.blurSigmaMax)));
    if (rng.chance(o.noiseProbability))
        addNoise(out, o.noiseSigma, rng.next());
    return out;
}

cv::Mat Augmenter::evaluate(const cv::Mat &image) const
{
    return toFloat(resizeCenterCrop(image, m_size, m_evalRatio));
}

}  // namespace dw::imageclass
