#include "core/io/raster_reader.h"

#include "core/io/gdal_environment.h"
#include "core/io/raster_geometry.h"

#include <QFileInfo>

#include <gdal_priv.h>
#include <ogr_spatialref.h>

#include <algorithm>
#include <cmath>
#include <mutex>

namespace dw {

struct RasterReader::Impl {
    GDALDatasetUniquePtr dataset;
    RasterInfo info;
    std::mutex mutex;  // a GDALDataset is not thread-safe
};

namespace {

constexpr double kMaxReadBytes = 4.0 * 1024 * 1024 * 1024;  // one read() returns at most this

QString displayName(const QString &path)
{
    return QFileInfo::exists(path) ? QFileInfo(path).fileName() : path;
}

QString exportWkt(const OGRSpatialReference *crs)
{
    if (!crs)
        return {};
    char *wkt = nullptr;
    const char *const options[] = {"FORMAT=WKT2_2018", nullptr};
    QString text;
    if (crs->exportToWkt(&wkt, options) == OGRERR_NONE && wkt)
        text = QString::fromUtf8(wkt);
    CPLFree(wkt);
    return text;
}

RasterBandInfo bandInfo(GDALRasterBand *band, int index)
{
    RasterBandInfo info;
    info.index = index;
    info.description = QString::fromUtf8(band->GetDescription());
    info.dataType = QString::fromUtf8(GDALGetDataTypeName(band->GetRasterDataType()));
    int hasNodata = 0;
    const double nodata = band->GetNoDataValue(&hasNodata);
    info.hasNodata = hasNodata != 0;
    info.nodata = info.hasNodata ? nodata : 0.0;
    band->GetBlockSize(&info.blockWidth, &info.blockHeight);
    info.colorInterpretation = QString::fromUtf8(GDALGetColorInterpretationName(band->GetColorInterpretation()));
    return info;
}

RasterInfo datasetInfo(GDALDataset &dataset, const QString &path)
{
    RasterInfo info;
    info.path = path;
    info.driver = QString::fromUtf8(dataset.GetDriver() ? dataset.GetDriver()->GetDescription() : "unknown");
    info.width = dataset.GetRasterXSize();
    info.height = dataset.GetRasterYSize();
    for (int i = 1; i <= dataset.GetRasterCount(); ++i)
        info.bands.append(bandInfo(dataset.GetRasterBand(i), i));

    double transform[6];
    const std::array<double, 6> identity{0.0, 1.0, 0.0, 0.0, 0.0, 1.0};
    if (dataset.GetGeoTransform(transform) == CE_None) {
        std::copy(std::begin(transform), std::end(transform), info.geoTransform.begin());
        info.georeferenced = info.geoTransform != identity;
    }
    info.crsWkt = exportWkt(dataset.GetSpatialRef());
    if (info.georeferenced) {
        info.resolutionX = std::hypot(info.geoTransform[1], info.geoTransform[4]);
        info.resolutionY = std::hypot(info.geoTransform[2], info.geoTransform[5]);
    }

    CSLConstList subdatasets = dataset.GetMetadata("SUBDATASETS");
    for (int i = 1;; ++i) {
        const QByteArray key = "SUBDATASET_" + QByteArray::number(i);
        const char *name = CSLFetchNameValue(subdatasets, (key + "_NAME").constData());
        if (!name)
            break;
        const char *desc = CSLFetchNameValue(subdatasets, (key + "_DESC").constData());
        info.subdatasets << QString::fromUtf8(name);
        info.subdatasetDescriptions << (desc ? QString::fromUtf8(desc) : QString());
    }
    return info;
}

Error containerError(const RasterInfo &info)
{
    QStringList lines;
    for (qsizetype i = 0; i < info.subdatasets.size(); ++i) {
        const QString &desc = info.subdatasetDescriptions[i];
        lines << QStringLiteral("  %1%2").arg(info.subdatasets[i],
                                              desc.isEmpty() ? QString() : QStringLiteral("  (%1)").arg(desc));
    }
    return failure(
        QStringLiteral("'%1' is a %2 container with %3 subdatasets and no bands of its own; open one of them:\n%4")
            .arg(info.path, info.driver)
            .arg(info.subdatasets.size())
            .arg(lines.join(QLatin1Char('\n'))));
}

bool isFloatType(GDALDataType type)
{
    return GDALDataTypeIsFloating(type) != 0;
}

// The nodata value as it looks after GDAL's own conversion to float, so that the
// comparison with converted pixels is exact (a Float64 nodata of -1e300 clamps).
float nodataAsFloat(double nodata)
{
    float converted = 0.0f;
    GDALCopyWords(&nodata, GDT_Float64, 0, &converted, GDT_Float32, 0, 1);
    return converted;
}

// Marks invalid (valid[i] = 0) what the band says is not data: its nodata value, NaN
// (float bands), or a zero in its mask band (per-dataset masks, alpha, .msk files).
Result<void> markInvalid(GDALRasterBand *band, const float *values, const QRect &window, const QSize &outSize,
                         std::vector<uint8_t> &valid, std::vector<uint8_t> &maskScratch, bool &datasetMaskDone)
{
    const size_t count = valid.size();
    const int flags = band->GetMaskFlags();
    if (isFloatType(band->GetRasterDataType())) {
        for (size_t i = 0; i < count; ++i)
            if (std::isnan(values[i]))
                valid[i] = 0;
    }
    if (flags & GMF_ALL_VALID)
        return success();
    if (flags & GMF_NODATA) {
        int hasNodata = 0;
        const double nodata = band->GetNoDataValue(&hasNodata);
        if (!hasNodata || std::isnan(nodata))
            return success();  // NaN handled above
        const float marker = nodataAsFloat(nodata);
        for (size_t i = 0; i < count; ++i)
            if (values[i] == marker)
                valid[i] = 0;
        return success();
    }
    if ((flags & GMF_PER_DATASET) && datasetMaskDone)
        return success();
    maskScratch.resize(count);
    GDALRasterIOExtraArg extra;
    INIT_RASTERIO_EXTRA_ARG(extra);
    extra.eResampleAlg = GRIORA_NearestNeighbour;
    if (band->GetMaskBand()->RasterIO(GF_Read, window.x(), window.y(), window.width(), window.height(),
                                      maskScratch.data(), outSize.width(), outSize.height(), GDT_Byte, 0, 0,
                                      &extra) != CE_None)
        return failure(QStringLiteral("reading the mask of band %1 failed: %2")
                           .arg(band->GetBand())
                           .arg(gdal::lastErrorMessage()));
    for (size_t i = 0; i < count; ++i)
        if (maskScratch[i] == 0)
            valid[i] = 0;
    datasetMaskDone = datasetMaskDone || (flags & GMF_PER_DATASET);
    return success();
}

// A read that fails in an open raster: almost always a file cut short by a copy or a download.
const QString kDamagedAdvice =
    QStringLiteral(". The file is probably truncated or damaged (an interrupted copy or download): "
                   "copy or download it again; 'gdalinfo -checksum FILE' reads every block to check it");

Result<GDALDatasetUniquePtr> openDataset(const QString &path)
{
    if (path.trimmed().isEmpty())
        return failure(QStringLiteral("no raster named: give a file or a subdataset GDAL can read"));
    gdal::ensureRegistered();
    gdal::QuietErrors quiet;
    GDALDatasetUniquePtr dataset(
        GDALDataset::Open(path.toUtf8().constData(), GDAL_OF_RASTER | GDAL_OF_READONLY | GDAL_OF_VERBOSE_ERROR));
    if (!dataset) {
        const QString fallback =
            QFileInfo::exists(path) ? QStringLiteral("not a raster format GDAL knows") : QStringLiteral("no such file");
        const bool cutShort = QFileInfo(path).isFile() && QFileInfo(path).size() > 0;
        return failure(
            QStringLiteral("GDAL cannot open '%1': %2%3")
                .arg(path, gdal::lastErrorMessage(fallback),
                     cutShort ? QStringLiteral(" (if it is a raster, it may be truncated or damaged: copy it again)")
                              : QString()));
    }
    return dataset;
}

bool mayHoldInvalid(GDALRasterBand *band)
{
    return isFloatType(band->GetRasterDataType()) || !(band->GetMaskFlags() & GMF_ALL_VALID);
}

}  // namespace

RasterReader::RasterReader(std::unique_ptr<Impl> impl) : m_impl(std::move(impl))
{}
RasterReader::RasterReader(RasterReader &&other) noexcept = default;
RasterReader &RasterReader::operator=(RasterReader &&other) noexcept = default;
RasterReader::~RasterReader() = default;

Result<RasterReader> RasterReader::open(const QString &pathOrSubdataset)
{
    Result<GDALDatasetUniquePtr> dataset = openDataset(pathOrSubdataset);
    if (!dataset)
        return dataset.error();
    auto impl = std::make_unique<Impl>();
    impl->info = datasetInfo(**dataset, pathOrSubdataset);
    if (impl->info.bands.isEmpty()) {
        if (!impl->info.subdatasets.isEmpty())
            return containerError(impl->info);
        return failure(QStringLiteral("'%1' holds no raster bands (is it a vector file?)").arg(pathOrSubdataset));
    }
    impl->dataset = std::move(dataset).value();
    return RasterReader(std::move(impl));
}

Result<RasterInfo> RasterReader::probe(const QString &pathOrSubdataset)
{
    Result<GDALDatasetUniquePtr> dataset = openDataset(pathOrSubdataset);
    if (!dataset)
        return dataset.error();
    return datasetInfo(**dataset, pathOrSubdataset);
}

const RasterInfo &RasterReader::info() const
{
    return m_impl->info;
}

Result<RasterBuffer> RasterReader::read(const QRect &window, const QList<int> &bands) const
{
    return readResampled(window, window.size(), bands);
}

Result<RasterBuffer> RasterReader::readResampled(const QRect &window, const QSize &outSize,
                                                 const QList<int> &bands) const
{
    const RasterInfo &info = m_impl->info;
    Result<QList<int>> selected = selectBands(info, bands);
    if (!selected)
        return selected.error();
    if (Result<void> inside = checkWindow(info, window); !inside)
        return inside.error();
    if (outSize.width() < 1 || outSize.height() < 1)
        return failure(QStringLiteral("cannot read into %1 × %2 pixels: give an output size of at least 1 × 1")
                           .arg(outSize.width())
                           .arg(outSize.height()));
    const int count = int(selected->size());
    if (double(outSize.width()) * outSize.height() * count * sizeof(float) > kMaxReadBytes)
        return failure(
            QStringLiteral("a window of %1 × %2 pixels and %3 bands would take over 4 GiB; read it in smaller "
                           "windows (RasterReader::blockWindows)")
                .arg(outSize.width())
                .arg(outSize.height())
                .arg(count));

    std::lock_guard lock(m_impl->mutex);
    gdal::QuietErrors quiet;
    RasterBuffer buffer = RasterBuffer::zeros(outSize.width(), outSize.height(), count);
    std::vector<int> bandMap(selected->begin(), selected->end());
    const GSpacing pixel = sizeof(float), line = pixel * outSize.width(), plane = line * outSize.height();
    GDALRasterIOExtraArg extra;
    INIT_RASTERIO_EXTRA_ARG(extra);
    extra.eResampleAlg = GRIORA_NearestNeighbour;  // averaging would mix nodata into valid pixels
    if (m_impl->dataset->RasterIO(GF_Read, window.x(), window.y(), window.width(), window.height(),
                                  buffer.values.data(), outSize.width(), outSize.height(), GDT_Float32, count,
                                  bandMap.data(), pixel, line, plane, &extra) != CE_None)
        return failure(QStringLiteral("reading '%1' failed: %2%3")
                           .arg(displayName(info.path), gdal::lastErrorMessage(), kDamagedAdvice));

    GDALDataset &dataset = *m_impl->dataset;
    if (std::none_of(bandMap.begin(), bandMap.end(), [&](int b) { return mayHoldInvalid(dataset.GetRasterBand(b)); }))
        return buffer;
    buffer.valid.assign(buffer.planeSize(), 1);
    std::vector<uint8_t> maskScratch;
    bool datasetMaskDone = false;
    for (int b = 0; b < count; ++b) {
        Result<void> marked = markInvalid(dataset.GetRasterBand(bandMap[size_t(b)]), buffer.band(b), window, outSize,
                                          buffer.valid, maskScratch, datasetMaskDone);
        if (!marked)
            return marked.error();
    }
    for (size_t i = 0; i < buffer.planeSize(); ++i)
        if (!buffer.valid[i])
            for (int b = 0; b < count; ++b)
                buffer.band(b)[i] = 0.0f;
    return buffer;
}

Result<QRect> RasterReader::pixelWindowFromLonLat(double west, double south, double east, double north) const
{
    return dw::pixelWindowFromLonLat(m_impl->info, west, south, east, north);
}

Result<std::vector<double>> RasterReader::percentiles(int band, const std::vector<double> &fractions,
                                                      int maxSamples) const
{
    const RasterInfo &info = m_impl->info;
    Result<QList<int>> selected = selectBands(info, {band});
    if (!selected)
        return selected.error();
    for (double fraction : fractions)
        if (!(fraction >= 0.0 && fraction <= 1.0))
            return failure(QStringLiteral("percentile fraction %1 is outside 0..1 (use 0.02 for the 2nd percentile)")
                               .arg(fraction));
    if (maxSamples < 1)
        return failure(QStringLiteral("maxSamples must be at least 1, not %1").arg(maxSamples));

    // Decimate evenly in both directions to about maxSamples pixels.
    const double total = double(info.width) * info.height;
    const double step = total > maxSamples ? std::sqrt(total / maxSamples) : 1.0;
    const int outWidth = std::max(1, int(info.width / step));
    const int outHeight = std::max(1, int(info.height / step));
    std::vector<float> samples(size_t(outWidth) * size_t(outHeight));

    std::lock_guard lock(m_impl->mutex);
    gdal::QuietErrors quiet;
    GDALRasterBand *gdalBand = m_impl->dataset->GetRasterBand(band);
    GDALRasterIOExtraArg extra;
    INIT_RASTERIO_EXTRA_ARG(extra);
    extra.eResampleAlg = GRIORA_NearestNeighbour;  // averaging would mix nodata into the samples
    if (gdalBand->RasterIO(GF_Read, 0, 0, info.width, info.height, samples.data(), outWidth, outHeight, GDT_Float32, 0,
                           0, &extra) != CE_None)
        return failure(QStringLiteral("reading band %1 of '%2' failed: %3%4")
                           .arg(band)
                           .arg(displayName(info.path), gdal::lastErrorMessage(), kDamagedAdvice));
    std::vector<uint8_t> valid(samples.size(), 1);
    if (!(gdalBand->GetMaskFlags() & (GMF_ALL_VALID | GMF_NODATA))) {
        if (gdalBand->GetMaskBand()->RasterIO(GF_Read, 0, 0, info.width, info.height, valid.data(), outWidth, outHeight,
                                              GDT_Byte, 0, 0, &extra) != CE_None)
            return failure(
                QStringLiteral("reading the mask of band %1 failed: %2").arg(band).arg(gdal::lastErrorMessage()));
    }
    const RasterBandInfo &bandInfo = info.bands[band - 1];
    const bool compareNodata = bandInfo.hasNodata && !std::isnan(bandInfo.nodata);
    const float marker = compareNodata ? nodataAsFloat(bandInfo.nodata) : 0.0f;
    std::vector<float> values;
    values.reserve(samples.size());
    for (size_t i = 0; i < samples.size(); ++i)
        if (valid[i] && !std::isnan(samples[i]) && !(compareNodata && samples[i] == marker))
            values.push_back(samples[i]);
    if (values.empty())
        return failure(
            QStringLiteral("band %1 of '%2' holds no valid pixels (all nodata)").arg(band).arg(displayName(info.path)));
    std::sort(values.begin(), values.end());

    std::vector<double> result;
    result.reserve(fractions.size());
    for (double fraction : fractions) {
        const double position = fraction * double(values.size() - 1);
        const size_t below = size_t(std::floor(position));
        const size_t above = std::min(below + 1, values.size() - 1);
        result.push_back(values[below] + (double(values[above]) - values[below]) * (position - double(below)));
    }
    return result;
}

QList<QRect> RasterReader::blockWindows(int preferredSize) const
{
    const RasterInfo &info = m_impl->info;
    const int blockWidth = std::max(1, info.bands.first().blockWidth);
    const int blockHeight = std::max(1, info.bands.first().blockHeight);
    return dw::blockWindows(QSize(info.width, info.height), QSize(blockWidth, blockHeight), preferredSize);
}

}  // namespace dw
