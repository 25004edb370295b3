#pragma once
// Writes a raster window by window (GeoTIFF by default, any GDAL driver that can create
// files or copies) from RasterBuffers, with CRS, geotransform, band descriptions and
// nodata. Never leaves a partial file under the final name: pixels go to a hidden
// temporary file in the same folder (".<name>.partial-<random>.<ext>") that finish()
// renames onto the final path; a writer destroyed without finish() deletes it.
// The GDAL dataset lives in the pimpl.
#include "core/io/raster_buffer.h"
#include "core/io/raster_geometry.h"
#include "core/util/result.h"

#include <QRect>
#include <QString>
#include <QStringList>

#include <array>
#include <memory>
#include <optional>

namespace dw {

struct RasterWriteSpec {
    QString path;  // the final file name
    QString driver = QStringLiteral("GTiff");
    int width = 0;
    int height = 0;
    QStringList bandDescriptions;                  // one per band: the band count
    QString dataType = QStringLiteral("Float32");  // GDAL's name: "Byte", "UInt16", "Int16", "Float32", ...
    std::optional<double> nodata;                  // written where a buffer's pixel is invalid
    bool georeferenced = false;
    std::array<double, 6> geoTransform{0.0, 1.0, 0.0, 0.0, 0.0, 1.0};
    QString crsWkt;  // any definition GDAL's SetFromUserInput takes (WKT, "EPSG:32633")
    // Driver creation options ("KEY=VALUE"); empty for GTiff means TILED=YES, COMPRESS=DEFLATE, BIGTIFF=IF_SAFER.
    QStringList creationOptions;
};

class RasterWriter {
public:
    // Checks the spec, the folder (exists, writable), the driver (exists, creates files
    // directly or by copy: PNG, JPEG go through a temporary GeoTIFF) and the free disk
    // space against the uncompressed size, then creates the temporary file.
    static Result<RasterWriter> create(const RasterWriteSpec &spec);

    RasterWriter(RasterWriter &&other) noexcept;
    RasterWriter &operator=(RasterWriter &&other) noexcept;
    RasterWriter(const RasterWriter &) = delete;
    RasterWriter &operator=(const RasterWriter &) = delete;
    ~RasterWriter();  // without finish(): closes and deletes the temporary file(s)

    const RasterWriteSpec &spec() const;
    // Where the pixels go until finish() (for messages and tests).
    QString temporaryPath() const;

    // Writes buffer (all bands, window's size) at window. Invalid pixels get the nodata
    // value (0 without one); integer types get values rounded and clamped to their range,
    // and a valid value that would equal nodata is moved one step away from it.
    Result<void> write(const QRect &window, const RasterBuffer &buffer);

    // Flushes, closes and renames onto spec().path (replacing an existing file only now).
    Result<void> finish();

private:
    struct Impl;
    explicit RasterWriter(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

}  // namespace dw
