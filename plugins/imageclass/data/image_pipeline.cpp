#include "plugins/imageclass/data/image_pipeline.h"

#include "core/io/image_reader.h"

#include <algorithm>
#include <utility>

namespace dw::imageclass {

ImagePipeline::ImagePipeline(PipelineOptions options)
    : m_options(std::move(options)),
      m_augmenter(m_options.augmentation, cv::Size(m_options.width, m_options.height), m_options.evalResizeRatio)
{}

Result<void> ImagePipeline::check(const PipelineOptions &o)
{
    if (o.width < 1 || o.height < 1 || o.width > o.maxSide || o.height > o.maxSide)
        return failure(QStringLiteral("the input size %1 × %2 is not usable; give a size of at least 1 pixel.")
                           .arg(o.width)
                           .arg(o.height),
                       QStringLiteral("image_size"));
    if (o.channels < 1 || o.channels > 64)
        return failure(
            QStringLiteral("%1 channels is not usable; images have 1 (grey), 3 (RGB) or 4 (RGBA).").arg(o.channels),
            QStringLiteral("channels"));
    if (o.normalization.isSet() && o.normalization.channels() != o.channels)
        return failure(QStringLiteral("the normalisation gives %1 values per channel list but the model takes %2 "
                                      "channels.")
                           .arg(o.normalization.channels())
                           .arg(o.channels),
                       QStringLiteral("normalization"));
    return success();
}

cv::Mat ImagePipeline::view(const Image &image)
{
    const int type = CV_MAKETYPE(image.bitDepth == 16 ? CV_16U : CV_8U, image.channels);
    return cv::Mat(image.height, image.width, type, const_cast<void *>(image.data()));
}

Result<cv::Mat> ImagePipeline::load(const QString &path, bool train, std::uint64_t seed) const
{
    ImageReadOptions read;
    read.channels = m_options.channels;
    read.maxSide = m_options.maxSide;
    // Decoded no larger than needed: twice the network's input keeps the detail a resize
    // to it would keep (a 20,000² scan is read at a fraction of the memory and time).
    read.reduceTo = 2 * std::max(m_options.width, m_options.height);
    auto image = ImageReader::read(path, read);
    if (!image)
        return image.error();
    try {
        return transform(view(*image), train, seed);
    } catch (const cv::Exception &e) {
        return Error::at(path, QStringLiteral("could not be transformed: %1.").arg(QString::fromStdString(e.err)));
    }
}

cv::Mat ImagePipeline::transform(const cv::Mat &image, bool train, std::uint64_t seed) const
{
    cv::Mat out = train ? m_augmenter.train(image, seed) : m_augmenter.evaluate(image);
    normalize(out);
    return out;
}

void ImagePipeline::normalize(cv::Mat &image) const
{
    const Normalization &n = m_options.normalization;
    if (!n.isSet() || n.channels() != image.channels())
        return;
    cv::Scalar offset, scale;
    for (int c = 0; c < std::min(4, image.channels()); ++c) {
        scale[c] = 1.0 / n.std[static_cast<std::size_t>(c)];
        offset[c] = -n.mean[static_cast<std::size_t>(c)] / n.std[static_cast<std::size_t>(c)];
    }
    if (image.channels() <= 4) {
        cv::multiply(image, scale, image);
        cv::add(image, offset, image);
        return;
    }
    // More channels than a cv::Scalar holds: one plane at a time.
    std::vector<cv::Mat> planes;
    cv::split(image, planes);
    for (std::size_t c = 0; c < planes.size(); ++c)
        planes[c].convertTo(planes[c], CV_32F, 1.0 / n.std[c], -n.mean[c] / n.std[c]);
    cv::merge(planes, image);
}

}  // namespace dw::imageclass
