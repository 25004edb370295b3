#include "core/io/raster_writer.h"

#include "core/io/gdal_environment.h"
#include "core/util/leftovers.h"

#include <QDir>
#include <QFileInfo>
#include <QLocale>
#include <QRandomGenerator>
#include <QStorageInfo>

#include <gdal_priv.h>
#include <ogr_spatialref.h>

#include <cmath>
#include <filesystem>
#include <limits>
#include <system_error>

namespace dw {

struct RasterWriter::Impl {
    RasterWriteSpec spec;
    GDALDataType type = GDT_Unknown;
    GDALDriver *driver = nullptr;  // the final format's driver (owned by GDAL's driver manager)
    bool viaCopy = false;          // pixels go to a temporary GeoTIFF, CreateCopy at finish()
    QString folder;
    QString token;      // ".<base>.partial-<random>": every temporary file starts with it
    QString pixelPath;  // the file write() fills
    GDALDatasetUniquePtr dataset;
    bool finished = false;

    ~Impl()
    {
        dataset.reset();
        if (!finished)
            removeTemporaries();
    }
    QString finalTemporaryPath() const
    {
        const QString suffix = QFileInfo(spec.path).suffix();
        return folder + QLatin1Char('/') + token + (suffix.isEmpty() ? QString() : QLatin1Char('.') + suffix);
    }
    QStringList temporaries() const
    {
        QStringList names;
        const QStringList entries = QDir(folder).entryList(QDir::Files | QDir::Hidden | QDir::System);
        for (const QString &entry : entries)
            if (entry.startsWith(token))
                names << entry;
        return names;
    }
    void removeTemporaries() const
    {
        for (const QString &name : temporaries())
            QFile::remove(folder + QLatin1Char('/') + name);
    }
};

namespace {

QString sizeText(double bytes)
{
    return QLocale::c().formattedDataSize(qint64(bytes), 1, QLocale::DataSizeTraditionalFormat);
}

bool isIntegerType(GDALDataType type)
{
    return !GDALDataTypeIsFloating(type) && !GDALDataTypeIsComplex(type);
}

std::pair<double, double> integerRange(GDALDataType type)
{
    const int bits = GDALGetDataTypeSizeBits(type);
    if (GDALDataTypeIsSigned(type))
        return {-std::ldexp(1.0, bits - 1), std::ldexp(1.0, bits - 1) - 1.0};
    return {0.0, std::ldexp(1.0, bits) - 1.0};
}

Result<GDALDataType> dataTypeOf(const RasterWriteSpec &spec)
{
    const GDALDataType type = GDALGetDataTypeByName(spec.dataType.toUtf8().constData());
    if (type == GDT_Unknown || GDALDataTypeIsComplex(type))
        return failure(
            QStringLiteral("'%1' is not a data type rasters are written in; use Byte, UInt16, Int16, UInt32, "
                           "Int32, Float32 or Float64")
                .arg(spec.dataType));
    if (spec.nodata && isIntegerType(type)) {
        const auto [low, high] = integerRange(type);
        if (!std::isfinite(*spec.nodata) || *spec.nodata != std::round(*spec.nodata) || *spec.nodata < low ||
            *spec.nodata > high)
            return failure(QStringLiteral("nodata %1 cannot be stored as %2 (whole numbers %3 to %4)")
                               .arg(*spec.nodata)
                               .arg(spec.dataType)
                               .arg(low, 0, 'f', 0)
                               .arg(high, 0, 'f', 0));
    }
    return type;
}

Result<GDALDriver *> driverFor(const RasterWriteSpec &spec, bool &viaCopy)
{
    GDALDriver *driver = GetGDALDriverManager()->GetDriverByName(spec.driver.toUtf8().constData());
    if (!driver || !driver->GetMetadataItem(GDAL_DCAP_RASTER))
        return failure(QStringLiteral("GDAL has no raster driver '%1'; use GTiff, or see `gdalinfo --formats` for the "
                                      "short names")
                           .arg(spec.driver));
    const bool creates = driver->GetMetadataItem(GDAL_DCAP_CREATE) != nullptr;
    const bool copies = driver->GetMetadataItem(GDAL_DCAP_CREATECOPY) != nullptr;
    if (!creates && !copies)
        return failure(QStringLiteral("GDAL's %1 driver reads but cannot write files; choose GTiff").arg(spec.driver));
    viaCopy = !creates;
    const QString supported = QString::fromUtf8(driver->GetMetadataItem(GDAL_DMD_CREATIONDATATYPES));
    if (!supported.isEmpty() && !supported.split(QLatin1Char(' '), Qt::SkipEmptyParts).contains(spec.dataType))
        return failure(QStringLiteral("the %1 format cannot store %2 values; it stores %3 (or write GTiff)")
                           .arg(spec.driver, spec.dataType, supported));
    return driver;
}

Result<void> checkFolder(const RasterWriteSpec &spec, const QString &folder)
{
    const QFileInfo folderInfo(folder);
    if (!folderInfo.isDir())
        return failure(
            QStringLiteral("cannot write to '%1': the folder does not exist; create it or choose another output folder")
                .arg(folder));
    if (!folderInfo.isWritable())
        return failure(QStringLiteral("cannot write to '%1': read-only; choose another output folder").arg(folder));
    if (QFileInfo(spec.path).isDir())
        return failure(QStringLiteral("'%1' is a folder; give the output a file name").arg(spec.path));
    return success();
}

Result<void> checkFreeSpace(const RasterWriteSpec &spec, GDALDataType type, bool viaCopy, const QString &folder)
{
    // Uncompressed size (compression is not known before the data are): an upper bound
    // for GeoTIFF, twice that when a temporary GeoTIFF is copied into the final format.
    const double bytes = double(spec.width) * spec.height * spec.bandDescriptions.size() *
                         GDALGetDataTypeSizeBytes(type) * (viaCopy ? 2.0 : 1.0);
    const QStorageInfo storage(folder);
    if (!storage.isValid() || storage.bytesAvailable() < 0)
        return success();
    if (bytes > double(storage.bytesAvailable()))
        return failure(QStringLiteral("'%1' needs up to %2 (%3 × %4 pixels, %5 of %6) but '%7' has %8 free; free some "
                                      "space or choose another output folder")
                           .arg(QFileInfo(spec.path).fileName(), sizeText(bytes))
                           .arg(spec.width)
                           .arg(spec.height)
                           .arg(spec.bandDescriptions.size() == 1
                                    ? QStringLiteral("1 band")
                                    : QStringLiteral("%1 bands").arg(spec.bandDescriptions.size()))
                           .arg(spec.dataType, folder, sizeText(double(storage.bytesAvailable()))));
    return success();
}

// NULL-terminated "KEY=VALUE" list for GDAL, kept alive as long as the object.
class OptionList {
public:
    explicit OptionList(const QStringList &options)
    {
        for (const QString &option : options)
            m_bytes << option.toUtf8();
        for (const QByteArray &bytes : m_bytes)
            m_pointers.push_back(const_cast<char *>(bytes.constData()));
        m_pointers.push_back(nullptr);
    }
    char **get() { return m_pointers.data(); }

private:
    QList<QByteArray> m_bytes;
    std::vector<char *> m_pointers;
};

QStringList defaultGeoTiffOptions()
{
    return {QStringLiteral("TILED=YES"), QStringLiteral("COMPRESS=DEFLATE"), QStringLiteral("BIGTIFF=IF_SAFER")};
}

Result<void> describe(GDALDataset &dataset, const RasterWriteSpec &spec)
{
    if (spec.georeferenced) {
        std::array<double, 6> transform = spec.geoTransform;
        if (dataset.SetGeoTransform(transform.data()) != CE_None)
            return failure(QStringLiteral("the geotransform cannot be set: %1").arg(gdal::lastErrorMessage()));
    }
    if (!spec.crsWkt.isEmpty()) {
        OGRSpatialReference crs;
        if (crs.SetFromUserInput(spec.crsWkt.toUtf8().constData()) != OGRERR_NONE)
            return failure(QStringLiteral("the coordinate system is not understood: %1").arg(gdal::lastErrorMessage()));
        if (dataset.SetSpatialRef(&crs) != CE_None)
            return failure(QStringLiteral("the coordinate system cannot be set: %1").arg(gdal::lastErrorMessage()));
    }
    for (int b = 0; b < spec.bandDescriptions.size(); ++b) {
        GDALRasterBand *band = dataset.GetRasterBand(b + 1);
        band->SetDescription(spec.bandDescriptions[b].toUtf8().constData());
        if (spec.nodata && band->SetNoDataValue(*spec.nodata) != CE_None)
            return failure(
                QStringLiteral("nodata %1 cannot be set: %2").arg(*spec.nodata).arg(gdal::lastErrorMessage()));
    }
    return success();
}

// A buffer value as stored: nodata where invalid, integers rounded and clamped, and valid
// values kept off the nodata value so that they do not read back as nodata.
class ValueConverter {
public:
    ValueConverter(GDALDataType type, std::optional<double> nodata) : m_integer(isIntegerType(type)), m_nodata(nodata)
    {
        if (m_integer)
            std::tie(m_low, m_high) = integerRange(type);
        m_fill = nodata.value_or(0.0);
    }
    double operator()(float value, bool valid) const
    {
        if (!valid)
            return m_fill;
        if (m_integer) {
            if (std::isnan(value))
                return m_fill;
            const double stored = std::clamp(std::nearbyint(double(value)), m_low, m_high);
            if (m_nodata && stored == *m_nodata)
                return *m_nodata < m_high ? stored + 1.0 : stored - 1.0;
            return stored;
        }
        if (m_nodata && double(value) == *m_nodata)
            return std::nextafter(value, std::numeric_limits<float>::infinity());
        return value;
    }

private:
    bool m_integer;
    std::optional<double> m_nodata;
    double m_low = 0.0, m_high = 0.0, m_fill = 0.0;
};

QString randomTag()
{
    return QString::number(QRandomGenerator::global()->generate(), 16).rightJustified(8, QLatin1Char('0'));
}

}  // namespace

RasterWriter::RasterWriter(std::unique_ptr<Impl> impl) : m_impl(std::move(impl))
{}
RasterWriter::RasterWriter(RasterWriter &&other) noexcept = default;
RasterWriter &RasterWriter::operator=(RasterWriter &&other) noexcept = default;
RasterWriter::~RasterWriter() = default;

Result<RasterWriter> RasterWriter::create(const RasterWriteSpec &spec)
{
    if (spec.path.trimmed().isEmpty())
        return failure(QStringLiteral("no output file named"));
    if (spec.width <= 0 || spec.height <= 0)
        return failure(QStringLiteral("a raster of %1 × %2 pixels cannot be written; both sides must be at least 1")
                           .arg(spec.width)
                           .arg(spec.height));
    if (spec.bandDescriptions.isEmpty())
        return failure(QStringLiteral("no bands to write: give one band description (may be empty) per band"));
    gdal::ensureRegistered();
    gdal::QuietErrors quiet;

    auto impl = std::make_unique<Impl>();
    impl->spec = spec;
    impl->spec.path = QFileInfo(spec.path).absoluteFilePath();
    Result<GDALDataType> type = dataTypeOf(spec);
    if (!type)
        return type.error();
    impl->type = *type;
    Result<GDALDriver *> driver = driverFor(spec, impl->viaCopy);
    if (!driver)
        return driver.error();
    impl->driver = *driver;
    impl->folder = QFileInfo(impl->spec.path).absolutePath();
    if (Result<void> folder = checkFolder(impl->spec, impl->folder); !folder)
        return folder.error();
    if (Result<void> space = checkFreeSpace(spec, impl->type, impl->viaCopy, impl->folder); !space)
        return space.error();

    // With our PID: partial files of writers killed before they could clean up (of any output
    // in this folder) are swept here.
    const QString partialPrefix = QStringLiteral(".%1.partial-").arg(QFileInfo(impl->spec.path).completeBaseName());
    sweepHiddenLeftovers(impl->folder, QStringLiteral(".partial-"));
    impl->token = partialPrefix + pidTag() + randomTag();
    GDALDriver *pixelDriver = impl->driver;
    QStringList options = spec.creationOptions;
    if (impl->viaCopy) {
        pixelDriver = GetGDALDriverManager()->GetDriverByName("GTiff");
        impl->pixelPath = impl->folder + QLatin1Char('/') + impl->token + QStringLiteral("-gtiff.tif");
        options = {QStringLiteral("TILED=YES"), QStringLiteral("BIGTIFF=IF_SAFER")};
    } else {
        impl->pixelPath = impl->finalTemporaryPath();
        if (options.isEmpty() && spec.driver.compare(QLatin1String("GTiff"), Qt::CaseInsensitive) == 0)
            options = defaultGeoTiffOptions();
    }
    OptionList optionList(options);
    impl->dataset.reset(pixelDriver->Create(impl->pixelPath.toUtf8().constData(), spec.width, spec.height,
                                            int(spec.bandDescriptions.size()), impl->type, optionList.get()));
    if (!impl->dataset)
        return failure(QStringLiteral("cannot write to '%1': %2; choose another output folder")
                           .arg(impl->folder, gdal::lastErrorMessage()));
    if (Result<void> described = describe(*impl->dataset, spec); !described)
        return failure(QStringLiteral("'%1': %2").arg(spec.path, described.error().message));
    return RasterWriter(std::move(impl));
}

const RasterWriteSpec &RasterWriter::spec() const
{
    return m_impl->spec;
}

QString RasterWriter::temporaryPath() const
{
    return m_impl->pixelPath;
}

Result<void> RasterWriter::write(const QRect &window, const RasterBuffer &buffer)
{
    const RasterWriteSpec &spec = m_impl->spec;
    if (!m_impl->dataset)
        return failure(QStringLiteral("'%1' is already finished (or failed); create a new writer").arg(spec.path));
    const int bands = int(spec.bandDescriptions.size());
    if (buffer.bands != bands || buffer.width != window.width() || buffer.height != window.height() ||
        buffer.values.size() != buffer.planeSize() * size_t(bands) ||
        (!buffer.valid.empty() && buffer.valid.size() != buffer.planeSize()))
        return failure(
            QStringLiteral("a buffer of %1 × %2 pixels and %3 bands does not fit a window of %4 × %5 pixels of "
                           "a %6-band raster")
                .arg(buffer.width)
                .arg(buffer.height)
                .arg(buffer.bands)
                .arg(window.width())
                .arg(window.height())
                .arg(bands));
    if (window.isEmpty() || !QRect(0, 0, spec.width, spec.height).contains(window))
        return failure(QStringLiteral("the window (x %1, y %2, %3 × %4) lies outside the %5 × %6 output")
                           .arg(window.x())
                           .arg(window.y())
                           .arg(window.width())
                           .arg(window.height())
                           .arg(spec.width)
                           .arg(spec.height));

    gdal::QuietErrors quiet;
    const ValueConverter convert(m_impl->type, spec.nodata);
    std::vector<double> plane(buffer.planeSize());
    for (int b = 0; b < bands; ++b) {
        const float *values = buffer.band(b);
        for (size_t i = 0; i < plane.size(); ++i)
            plane[i] = convert(values[i], buffer.valid.empty() || buffer.valid[i]);
        if (m_impl->dataset->GetRasterBand(b + 1)->RasterIO(GF_Write, window.x(), window.y(), window.width(),
                                                            window.height(), plane.data(), window.width(),
                                                            window.height(), GDT_Float64, 0, 0, nullptr) != CE_None)
            return failure(QStringLiteral("writing band %1 of '%2' failed: %3 (is the disk full?)")
                               .arg(b + 1)
                               .arg(spec.path, gdal::lastErrorMessage()));
    }
    return success();
}

Result<void> RasterWriter::finish()
{
    Impl &d = *m_impl;
    if (!d.dataset)
        return failure(QStringLiteral("'%1' is already finished (or failed); create a new writer").arg(d.spec.path));
    gdal::QuietErrors quiet;
    d.dataset->FlushCache(true);
    d.dataset.reset();  // closes: the last blocks are written here
    if (quiet.failed())
        return failure(
            QStringLiteral("writing '%1' failed: %2 (is the disk full?)").arg(d.spec.path, gdal::lastErrorMessage()));

    if (d.viaCopy) {
        GDALDatasetUniquePtr source(
            GDALDataset::Open(d.pixelPath.toUtf8().constData(), GDAL_OF_RASTER | GDAL_OF_READONLY));
        OptionList options(d.spec.creationOptions);
        GDALDatasetUniquePtr copy(source ? d.driver->CreateCopy(d.finalTemporaryPath().toUtf8().constData(),
                                                                source.get(), FALSE, options.get(), nullptr, nullptr)
                                         : nullptr);
        const bool copied = copy != nullptr;
        copy.reset();  // closes: the file is written here
        source.reset();
        if (!copied || quiet.failed())
            return failure(QStringLiteral("converting '%1' to %2 failed: %3")
                               .arg(d.spec.path, d.spec.driver, gdal::lastErrorMessage()));
        GetGDALDriverManager()->GetDriverByName("GTiff")->Delete(d.pixelPath.toUtf8().constData());
    }

    // Side-car files (.aux.xml, world files) first, the raster itself last: once the final
    // name exists, the rest is in place.
    const QString base = QFileInfo(d.spec.path).completeBaseName();
    const QString mainName = QFileInfo(d.finalTemporaryPath()).fileName();
    QStringList names = d.temporaries();
    names.removeAll(mainName);
    if (!names.contains(mainName + QStringLiteral(".aux.xml")))
        QFile::remove(d.spec.path + QStringLiteral(".aux.xml"));  // a stale one would describe the new file wrongly
    names << mainName;
    for (const QString &name : names) {
        const QString from = d.folder + QLatin1Char('/') + name;
        const QString to = d.folder + QLatin1Char('/') + base + name.mid(d.token.size());
        std::error_code error;
        std::filesystem::rename(std::filesystem::path(from.toStdString()), std::filesystem::path(to.toStdString()),
                                error);
        if (error)
            return failure(QStringLiteral("cannot rename '%1' to '%2': %3")
                               .arg(from, to, QString::fromStdString(error.message())));
    }
    d.finished = true;
    return success();
}

}  // namespace dw
