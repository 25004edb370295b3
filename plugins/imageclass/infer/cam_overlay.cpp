#include "plugins/imageclass/infer/cam_overlay.h"

#include "core/util/file_commit.h"

#include "core/io/image_reader.h"

#include <QSaveFile>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <vector>

namespace dw::imageclass {
namespace {

// Overlays of tiny inputs (28 px Fashion-MNIST) are enlarged to this shorter side.
constexpr int kMinDisplaySide = 224;

}  // namespace

cv::Mat camOverlay(const cv::Mat &imageRgb, const cv::Mat &cam, double alpha)
{
    cv::Mat resized;
    cv::resize(cam, resized, imageRgb.size(), 0, 0, cv::INTER_LINEAR);
    cv::Mat cam8;
    resized.convertTo(cam8, CV_8U, 255.0);
    cv::Mat heat;
    cv::applyColorMap(cam8, heat, cv::COLORMAP_JET);  // BGR
    cv::Mat imageBgr;
    cv::cvtColor(imageRgb, imageBgr, cv::COLOR_RGB2BGR);
    cv::Mat out;
    cv::addWeighted(heat, alpha, imageBgr, 1.0 - alpha, 0.0, out);
    return out;
}

cv::Rect evaluationCropRect(cv::Size image, const PipelineOptions &options)
{
    // As Augmenter::resizeCenterCrop: scaled to cover the input size × ratio, centre cut.
    const double ratio = options.evalResizeRatio;
    const double scale = std::max(options.width * ratio / image.width, options.height * ratio / image.height);
    const int w = std::clamp(static_cast<int>(std::lround(options.width / scale)), 1, image.width);
    const int h = std::clamp(static_cast<int>(std::lround(options.height / scale)), 1, image.height);
    return {(image.width - w) / 2, (image.height - h) / 2, w, h};
}

Result<void> writeCamOverlay(const QString &imagePath, const cv::Mat &cam, const PipelineOptions &options,
                             const QString &outPath)
{
    ImageReadOptions read;
    read.channels = 3;
    read.bitDepth = 8;
    read.maxSide = options.maxSide;
    read.reduceTo = 2048;  // a heat map to look at: no need for every pixel of a huge scan
    Result<Image> image = ImageReader::read(imagePath, read);
    if (!image)
        return image.error();
    try {
        const cv::Mat rgb = ImagePipeline::view(*image);
        cv::Mat seen = rgb(evaluationCropRect(rgb.size(), options));
        const int shorter = std::min(seen.cols, seen.rows);
        if (shorter < kMinDisplaySide) {
            const double factor = static_cast<double>(kMinDisplaySide) / shorter;
            cv::Mat larger;
            cv::resize(seen, larger, cv::Size(), factor, factor, cv::INTER_CUBIC);
            seen = larger;
        }
        std::vector<uchar> png;
        if (!cv::imencode(".png", camOverlay(seen, cam), png))
            return failure(QStringLiteral("the heat map of %1 could not be encoded as PNG").arg(imagePath));
        return writeFileAtomically(
            outPath, QByteArray(reinterpret_cast<const char *>(png.data()), static_cast<qsizetype>(png.size())),
            QStringLiteral("the heat map"), QStringLiteral("cam"));
    } catch (const cv::Exception &e) {
        return failure(
            QStringLiteral("the heat map of %1 could not be drawn: %2").arg(imagePath, QString::fromStdString(e.err)));
    }
}

}  // namespace dw::imageclass
