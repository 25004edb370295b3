#include "core/io/image_reader.h"

#include "core/io/reduced_decode.h"

#include <QAtomicInteger>
#include <QFile>
#include <QFileInfo>

#include <gdal_priv.h>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <cpl_error.h>
#include <cpl_vsi.h>

#include <cstring>
#include <limits>
#include <mutex>

namespace dw {
namespace {

constexpr qint64 kInfoHeadBytes = 1 << 20;  // readInfo of a huge file reads this much

QString displayName(const QString &name)
{
    return name.isEmpty() ? QStringLiteral("image") : name;
}

Error imageError(const QString &name, const QString &why)
{
    return Error::at(displayName(name), why);
}

QString formatTitle(const QString &format)
{
    return format == QLatin1String("jpeg") || format == QLatin1String("png") || format == QLatin1String("bmp") ||
                   format == QLatin1String("pnm")
               ? format.toUpper()
           : format == QLatin1String("tiff") ? QStringLiteral("TIFF")
           : format == QLatin1String("webp") ? QStringLiteral("WebP")
                                             : format;
}

// Formats our header parser does not know (JPEG 2000, OpenEXR, ...): ask GDAL for the
// size, which it reads from the header without decoding.
void probeSizeWithGdal(const QByteArray &bytes, ImageInfo &info)
{
    static std::once_flag registered;
    std::call_once(registered, [] { GDALAllRegister(); });
    static QAtomicInteger<quint64> counter;
    const QByteArray vsiName = "/vsimem/dw_image_probe_" + QByteArray::number(counter.fetchAndAddRelaxed(1));
    VSILFILE *file =
        VSIFileFromMemBuffer(vsiName.constData(), reinterpret_cast<GByte *>(const_cast<char *>(bytes.constData())),
                             static_cast<vsi_l_offset>(bytes.size()), FALSE);
    if (!file)
        return;
    VSIFCloseL(file);
    CPLPushErrorHandler(CPLQuietErrorHandler);
    {
        const GDALDatasetUniquePtr dataset(GDALDataset::FromHandle(
            GDALOpenEx(vsiName.constData(), GDAL_OF_RASTER | GDAL_OF_READONLY, nullptr, nullptr, nullptr)));
        if (dataset) {
            info.width = dataset->GetRasterXSize();
            info.height = dataset->GetRasterYSize();
            info.channels = dataset->GetRasterCount();
        }
    }
    CPLPopErrorHandler();
    VSIUnlink(vsiName.constData());
}

Result<void> checkSize(int width, int height, int maxSide, const QString &name)
{
    if (width <= maxSide && height <= maxSide)
        return success();
    const double gib = double(width) * double(height) * 3.0 / double(1 << 30);
    return imageError(name,
                      QStringLiteral("the image is %1 × %2 pixels; images over %3 pixels a side are refused "
                                     "(decoded it would take about %4 GiB). Scale it down or cut it into tiles first.")
                          .arg(width)
                          .arg(height)
                          .arg(maxSide)
                          .arg(gib, 0, 'f', 1));
}

// The same mapping as OpenCV's own ApplyExifOrientation, which IMREAD_UNCHANGED skips.
void applyOrientation(cv::Mat &mat, int orientation)
{
    switch (orientation) {
    case 2:
        cv::flip(mat, mat, 1);
        break;
    case 3:
        cv::flip(mat, mat, -1);
        break;
    case 4:
        cv::flip(mat, mat, 0);
        break;
    case 5:
        cv::transpose(mat, mat);
        break;
    case 6:
        cv::transpose(mat, mat);
        cv::flip(mat, mat, 1);
        break;
    case 7:
        cv::transpose(mat, mat);
        cv::flip(mat, mat, -1);
        break;
    case 8:
        cv::transpose(mat, mat);
        cv::flip(mat, mat, 0);
        break;
    default:
        break;
    }
}

// 8- and 16-bit unsigned pass through; signed and floating-point data (float TIFFs,
// PFM, EXR) become 16-bit: values already in [0, 1] are scaled, others stretched from
// their minimum to their maximum.
cv::Mat toUnsignedDepth(const cv::Mat &mat)
{
    if (mat.depth() == CV_8U || mat.depth() == CV_16U)
        return mat;
    double lo = 0.0, hi = 0.0;
    cv::minMaxLoc(mat.reshape(1), &lo, &hi);
    cv::Mat out;
    if (lo >= 0.0 && hi <= 1.0 && (mat.depth() == CV_32F || mat.depth() == CV_64F))
        mat.convertTo(out, CV_16U, 65535.0);
    else if (hi > lo)
        mat.convertTo(out, CV_16U, 65535.0 / (hi - lo), -lo * 65535.0 / (hi - lo));
    else
        out = cv::Mat(mat.size(), CV_MAKETYPE(CV_16U, mat.channels()), cv::Scalar::all(0));
    return out;
}

Result<cv::Mat> convertChannelsMat(const cv::Mat &in, int channels, const QString &name)
{
    const int have = in.channels();
    if (channels <= 0 || channels == have)
        return in;
    cv::Mat out;
    if (have == 2) {  // grey + alpha: the grey plane is what counts
        cv::Mat grey;
        cv::extractChannel(in, grey, 0);
        if (channels == 1)
            return grey;
        return convertChannelsMat(grey, channels, name);
    }
    int code = -1;
    if (have == 1 && channels == 3)
        code = cv::COLOR_GRAY2RGB;
    else if (have == 1 && channels == 4)
        code = cv::COLOR_GRAY2RGBA;
    else if (have == 3 && channels == 1)
        code = cv::COLOR_RGB2GRAY;
    else if (have == 3 && channels == 4)
        code = cv::COLOR_RGB2RGBA;
    else if (have == 4 && channels == 1)
        code = cv::COLOR_RGBA2GRAY;
    else if (have == 4 && channels == 3)
        code = cv::COLOR_RGBA2RGB;
    if (code < 0)
        return imageError(name, QStringLiteral("the image has %1 channels and the model takes %2; only grey, RGB and "
                                               "RGBA images can be converted. Use images with %2 channels.")
                                    .arg(have)
                                    .arg(channels));
    cv::cvtColor(in, out, code);
    return out;
}

Image toImage(const cv::Mat &mat)
{
    Image image;
    image.width = mat.cols;
    image.height = mat.rows;
    image.channels = mat.channels();
    image.bitDepth = mat.depth() == CV_16U ? 16 : 8;
    const cv::Mat continuous = mat.isContinuous() ? mat : mat.clone();
    if (image.bitDepth == 16) {
        image.data16.resize(image.sampleCount());
        std::memcpy(image.data16.data(), continuous.data, image.data16.size() * sizeof(std::uint16_t));
    } else {
        image.data8.resize(image.sampleCount());
        std::memcpy(image.data8.data(), continuous.data, image.data8.size());
    }
    return image;
}

}  // namespace

const QStringList &ImageReader::suffixes()
{
    static const QStringList list{QStringLiteral("jpg"), QStringLiteral("jpeg"), QStringLiteral("jpe"),
                                  QStringLiteral("png"), QStringLiteral("bmp"),  QStringLiteral("dib"),
                                  QStringLiteral("tif"), QStringLiteral("tiff"), QStringLiteral("webp"),
                                  QStringLiteral("pbm"), QStringLiteral("pgm"),  QStringLiteral("ppm"),
                                  QStringLiteral("pnm")};
    return list;
}

bool ImageReader::isImageFileName(const QString &fileName)
{
    const QString base = QFileInfo(fileName).fileName();
    if (base.isEmpty() || base.startsWith(QLatin1Char('.')))
        return false;
    const qsizetype dot = base.lastIndexOf(QLatin1Char('.'));
    return dot > 0 && suffixes().contains(base.mid(dot + 1).toLower());
}

Result<ImageInfo> ImageReader::readInfo(const QString &path)
{
    QFile file(path);
    if (!file.exists())
        return imageError(path, QStringLiteral("the file does not exist."));
    if (!file.open(QIODevice::ReadOnly))
        return imageError(path, QStringLiteral("cannot be opened: %1.").arg(file.errorString()));
    const qint64 total = file.size();
    if (total == 0)
        return imageError(path, QStringLiteral("the file is empty."));
    const bool whole = total <= 64 * kInfoHeadBytes;
    const QByteArray bytes = file.read(whole ? total : kInfoHeadBytes);
    ImageInfo info = ImageInfo::fromHeader(reinterpret_cast<const std::uint8_t *>(bytes.constData()),
                                           static_cast<std::size_t>(bytes.size()));
    if (!whole)
        info.truncated = false;  // only the head was read: the end is not known
    if (!info.sizeKnown() && whole)
        probeSizeWithGdal(bytes, info);
    if (!info.sizeKnown())
        return imageError(path, QStringLiteral("not an image in a known format (JPEG, PNG, BMP, TIFF, WebP), or its "
                                               "header is damaged."));
    return info;
}

Result<Image> ImageReader::read(const QString &path, const ImageReadOptions &options)
{
    QFile file(path);
    if (!file.exists())
        return imageError(path, QStringLiteral("the file does not exist."));
    if (!file.open(QIODevice::ReadOnly))
        return imageError(path, QStringLiteral("cannot be opened: %1.").arg(file.errorString()));
    const QByteArray bytes = file.readAll();
    if (bytes.size() != file.size())
        return imageError(path, QStringLiteral("could not be read completely: %1.").arg(file.errorString()));
    return decode(bytes, path, options);
}

Result<Image> ImageReader::decode(const QByteArray &bytes, const QString &name, const ImageReadOptions &options)
{
    if (bytes.isEmpty())
        return imageError(name, QStringLiteral("the file is empty."));
    if (bytes.size() > std::numeric_limits<int>::max())
        return imageError(name, QStringLiteral("the file is over 2 GiB, too large for an image to classify."));
    ImageInfo info = ImageInfo::fromHeader(reinterpret_cast<const std::uint8_t *>(bytes.constData()),
                                           static_cast<std::size_t>(bytes.size()));
    if (!info.format.isEmpty() && !info.sizeKnown())
        return imageError(name, QStringLiteral("the %1 file is damaged or truncated: its header cannot be read.")
                                    .arg(formatTitle(info.format)));
    if (!info.sizeKnown())
        probeSizeWithGdal(bytes, info);
    if (info.sizeKnown()) {
        if (auto ok = checkSize(info.width, info.height, options.maxSide, name); !ok)
            return ok.error();
    }
    if (info.truncated)
        return imageError(name, QStringLiteral("the %1 file is truncated: it ends before its image data does (an "
                                               "incomplete copy or download?). Copy it again or remove it.")
                                    .arg(formatTitle(info.format)));

    cv::Mat mat;
    QString why;
    const int factor = options.reduceTo > 0 ? reductionFactor(info, options.reduceTo) : 1;
    if (factor > 1 &&
        (info.format == QLatin1String("jpeg") || qint64(info.width) * info.height > options.reduceAbovePixels)) {
        QString notReduced;
        mat = decodeReduced(bytes, info, factor, &notReduced);
    }
    if (mat.empty() && info.sizeKnown()) {
        const qint64 samples =
            qint64(info.width) * info.height * std::max(info.channels, 3) * (info.bitDepth > 8 ? 2 : 1);
        if (samples > options.maxDecodedBytes)
            return imageError(
                name, QStringLiteral("the image is %1 × %2 pixels: decoding it would take about %3 MiB, more than "
                                     "the %4 MiB allowed for one image. Scale it down or cut it into tiles first.")
                          .arg(info.width)
                          .arg(info.height)
                          .arg(samples >> 20)
                          .arg(options.maxDecodedBytes >> 20));
    }
    // Once GDAL is registered its handler receives libtiff's messages too; a damaged
    // file is reported through the Error, not on the terminal.
    CPLPushErrorHandler(CPLQuietErrorHandler);
    try {
        if (mat.empty()) {
            const cv::Mat buffer(1, static_cast<int>(bytes.size()), CV_8U, const_cast<char *>(bytes.constData()));
            mat = cv::imdecode(buffer, cv::IMREAD_UNCHANGED);
        }
    } catch (const cv::Exception &e) {
        why = QString::fromStdString(e.err);
    } catch (const std::exception &e) {
        why = QString::fromLocal8Bit(e.what());
    }
    CPLPopErrorHandler();
    if (mat.empty()) {
        // A valid image OpenCV does not decode (5 bands): say what it is, not that it is damaged.
        ImageInfo probed;
        probeSizeWithGdal(bytes, probed);
        if (probed.sizeKnown() && (probed.channels == 2 || probed.channels > 4))
            return imageError(
                name,
                QStringLiteral("is a valid %1 image of %2 × %3 pixels with %4 bands, but images to classify "
                               "have 1 (grey), 3 (RGB) or 4 (RGBA) channels. Keep three bands (e.g. gdal_translate "
                               "-b 1 -b 2 -b 3 IN OUT.tif), or use the raster in super-resolution, which reads any "
                               "number of bands.")
                    .arg(formatTitle(info.format.isEmpty() ? QStringLiteral("raster") : info.format))
                    .arg(probed.width)
                    .arg(probed.height)
                    .arg(probed.channels));
        const QString what = info.format.isEmpty()
                                 ? QStringLiteral("not an image in a format that can be read (JPEG, PNG, BMP, TIFF, "
                                                  "WebP), or a damaged one")
                                 : QStringLiteral("looks like a %1 file but cannot be decoded: it is damaged")
                                       .arg(formatTitle(info.format));
        return imageError(name, why.isEmpty() ? what + QLatin1Char('.')
                                              : what + QStringLiteral(" (") + why + QStringLiteral(")."));
    }
    if (auto ok = checkSize(mat.cols, mat.rows, options.maxSide, name); !ok)
        return ok.error();

    try {
        mat = toUnsignedDepth(mat);
        if (options.applyOrientation)
            applyOrientation(mat, info.orientation);
        if (mat.channels() == 3)
            cv::cvtColor(mat, mat, cv::COLOR_BGR2RGB);
        else if (mat.channels() == 4)
            cv::cvtColor(mat, mat, cv::COLOR_BGRA2RGBA);
        auto converted = convertChannelsMat(mat, options.channels, name);
        if (!converted)
            return converted.error();
        mat = std::move(converted).value();
        if (options.bitDepth == 8 && mat.depth() == CV_16U)
            mat.convertTo(mat, CV_8U, 1.0 / 257.0);
        else if (options.bitDepth == 16 && mat.depth() == CV_8U)
            mat.convertTo(mat, CV_16U, 257.0);
        return toImage(mat);
    } catch (const cv::Exception &e) {
        return imageError(name, QStringLiteral("could not be converted: %1.").arg(QString::fromStdString(e.err)));
    }
}

Result<Image> ImageReader::convertChannels(const Image &image, int channels, const QString &name)
{
    if (image.isNull())
        return imageError(name, QStringLiteral("the image is empty."));
    const int type = CV_MAKETYPE(image.bitDepth == 16 ? CV_16U : CV_8U, image.channels);
    const cv::Mat mat(image.height, image.width, type, const_cast<void *>(image.data()));
    try {
        auto converted = convertChannelsMat(mat, channels, name);
        if (!converted)
            return converted.error();
        return toImage(*converted);
    } catch (const cv::Exception &e) {
        return imageError(name, QStringLiteral("could not be converted: %1.").arg(QString::fromStdString(e.err)));
    }
}

}  // namespace dw
