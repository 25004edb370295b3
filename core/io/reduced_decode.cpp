#include "core/io/reduced_decode.h"

#include <QAtomicInteger>

#include <cpl_error.h>
#include <cpl_vsi.h>
#include <gdal_priv.h>
#include <opencv2/imgcodecs.hpp>

#include <algorithm>
#include <mutex>
#include <vector>

namespace dw {

namespace {

bool isJpeg(const ImageInfo &info)
{
    return info.format == QLatin1String("jpeg");
}

cv::Mat jpegReduced(const QByteArray &bytes, const ImageInfo &info, int factor)
{
    const bool grey = info.channels == 1;
    const int flag = factor >= 8   ? (grey ? cv::IMREAD_REDUCED_GRAYSCALE_8 : cv::IMREAD_REDUCED_COLOR_8)
                     : factor >= 4 ? (grey ? cv::IMREAD_REDUCED_GRAYSCALE_4 : cv::IMREAD_REDUCED_COLOR_4)
                                   : (grey ? cv::IMREAD_REDUCED_GRAYSCALE_2 : cv::IMREAD_REDUCED_COLOR_2);
    const cv::Mat buffer(1, static_cast<int>(bytes.size()), CV_8U, const_cast<char *>(bytes.constData()));
    return cv::imdecode(buffer, flag);
}

// A GDAL dataset on the bytes in memory, gone with this object.
class MemoryDataset {
public:
    explicit MemoryDataset(const QByteArray &bytes)
    {
        static std::once_flag registered;
        std::call_once(registered, [] { GDALAllRegister(); });
        static QAtomicInteger<quint64> counter;
        m_name = "/vsimem/dw_image_reduced_" + QByteArray::number(counter.fetchAndAddRelaxed(1));
        VSILFILE *file =
            VSIFileFromMemBuffer(m_name.constData(), reinterpret_cast<GByte *>(const_cast<char *>(bytes.constData())),
                                 static_cast<vsi_l_offset>(bytes.size()), FALSE);
        if (file) {
            VSIFCloseL(file);
            m_dataset.reset(GDALDataset::FromHandle(
                GDALOpenEx(m_name.constData(), GDAL_OF_RASTER | GDAL_OF_READONLY, nullptr, nullptr, nullptr)));
        }
    }
    ~MemoryDataset()
    {
        m_dataset.reset();
        VSIUnlink(m_name.constData());
    }
    GDALDataset *get() const { return m_dataset.get(); }

private:
    QByteArray m_name;
    GDALDatasetUniquePtr m_dataset;
};

// Box average of factor × factor pixels, read one source line at a time.
cv::Mat gdalReduced(const QByteArray &bytes, int factor, QString *why)
{
    CPLPushErrorHandler(CPLQuietErrorHandler);
    const MemoryDataset source(bytes);
    GDALDataset *dataset = source.get();
    cv::Mat out;
    if (!dataset) {
        *why = QStringLiteral("GDAL cannot open it");
    } else if (const int bands = dataset->GetRasterCount(); bands < 1 || bands > 4) {
        *why = QStringLiteral("it has %1 bands").arg(bands);
    } else {
        const GDALDataType type = dataset->GetRasterBand(1)->GetRasterDataType();
        const int width = dataset->GetRasterXSize(), height = dataset->GetRasterYSize();
        const int w = width / factor, h = height / factor;
        if (type != GDT_Byte && type != GDT_UInt16) {
            *why = QStringLiteral("its samples are %1").arg(QString::fromLatin1(GDALGetDataTypeName(type)));
        } else if (w < 1 || h < 1) {
            *why = QStringLiteral("it is too small to reduce");
        } else {
            out.create(h, w, CV_MAKETYPE(type == GDT_Byte ? CV_8U : CV_16U, bands));
            std::vector<std::uint16_t> line(static_cast<std::size_t>(width) * bands);
            std::vector<std::uint32_t> sums(static_cast<std::size_t>(w) * bands);
            // GDAL's band order is R, G, B(, A); OpenCV's B, G, R(, A).
            const int order[4] = {bands >= 3 ? 2 : 0, 1, bands >= 3 ? 0 : 2, 3};
            // Averaged over a grid of at most 4 × 4 samples in each factor × factor box: past a factor
            // of 4 the lines between are skipped (the decoder runs through them, nothing else does).
            const int step = std::max(1, factor / 4);
            const int taps = (factor + step - 1) / step;
            const std::uint32_t count = std::uint32_t(taps) * std::uint32_t(taps);
            long long linesRead = 0;
            for (int oy = 0; oy < h && why->isEmpty(); ++oy) {
                std::fill(sums.begin(), sums.end(), 0u);
                for (int k = 0; k < factor; k += step) {
                    if (dataset->RasterIO(GF_Read, 0, oy * factor + k, width, 1, line.data(), width, 1, GDT_UInt16,
                                          bands, nullptr, GSpacing(bands) * 2, GSpacing(width) * bands * 2, 2,
                                          nullptr) != CE_None) {
                        *why = QString::fromUtf8(CPLGetLastErrorMsg());
                        break;
                    }
                    for (int ox = 0; ox < w; ++ox) {
                        std::uint32_t *sum = sums.data() + static_cast<std::size_t>(ox) * bands;
                        for (int j = 0; j < factor; j += step) {
                            const std::uint16_t *pixel =
                                line.data() + (static_cast<std::size_t>(ox) * factor + j) * bands;
                            for (int b = 0; b < bands; ++b)
                                sum[b] += pixel[b];
                        }
                    }
                    if (++linesRead % 64 == 0)
                        dataset->FlushCache(false);  // the lines read so far are done with: keep memory flat
                }
                for (int x = 0; x < w; ++x)
                    for (int b = 0; b < bands; ++b) {
                        const std::uint32_t v = (sums[static_cast<std::size_t>(x) * bands + b] + count / 2) / count;
                        const int c = bands == 2 ? b : order[b];
                        if (type == GDT_Byte)
                            out.ptr<std::uint8_t>(oy)[x * bands + c] = static_cast<std::uint8_t>(v);
                        else
                            out.ptr<std::uint16_t>(oy)[x * bands + c] = static_cast<std::uint16_t>(v);
                    }
            }
            if (!why->isEmpty())
                out.release();
        }
    }
    CPLPopErrorHandler();
    return out;
}

}  // namespace

int reductionFactor(const ImageInfo &info, int keepSide)
{
    if (!info.sizeKnown() || keepSide <= 0)
        return 1;
    const int shorter = std::min(info.width, info.height);
    int factor = std::max(1, shorter / keepSide);
    if (isJpeg(info))
        factor = factor >= 8 ? 8 : factor >= 4 ? 4 : factor >= 2 ? 2 : 1;
    return factor;
}

cv::Mat decodeReduced(const QByteArray &bytes, const ImageInfo &info, int factor, QString *why)
{
    if (factor <= 1)
        return {};
    try {
        cv::Mat mat = isJpeg(info) ? jpegReduced(bytes, info, factor) : gdalReduced(bytes, factor, why);
        if (mat.empty() && why->isEmpty())
            *why = QStringLiteral("the reduced decoder gave nothing");
        return mat;
    } catch (const cv::Exception &e) {
        *why = QString::fromStdString(e.err);
    }
    return {};
}

}  // namespace dw
