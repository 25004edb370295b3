#pragma once
// Reads any raster GDAL can open (GeoTIFF 8/16-bit/float, VRT, JPEG 2000, netCDF and HDF
// subdatasets, Sentinel-2 products) window by window into RasterBuffers of float values
// with a validity mask, so that rasters larger than memory can be streamed. Also the
// lon/lat → pixel window conversion and the percentiles a display stretch needs.
// The GDAL dataset lives in the pimpl; calls on one reader are serialised by a mutex, so a
// reader may be shared between threads (give each thread its own for parallel reads).
#include "core/io/raster_buffer.h"
#include "core/io/raster_info.h"
#include "core/util/result.h"

#include <QList>
#include <QRect>
#include <QSize>
#include <QString>

#include <memory>
#include <vector>

namespace dw {

class RasterReader {
public:
    // A file or a subdataset name (NETCDF:"f.nc":var, SENTINEL2_L2A:...). A container with
    // subdatasets but no bands of its own is an error that lists the subdatasets.
    static Result<RasterReader> open(const QString &pathOrSubdataset);
    // The info alone, also of a container without bands of its own: its subdatasets to
    // offer for choice (RasterInfo::subdatasets). Closes the file before returning.
    static Result<RasterInfo> probe(const QString &pathOrSubdataset);

    RasterReader(RasterReader &&other) noexcept;
    RasterReader &operator=(RasterReader &&other) noexcept;
    RasterReader(const RasterReader &) = delete;
    RasterReader &operator=(const RasterReader &) = delete;
    ~RasterReader();

    const RasterInfo &info() const;

    // The pixels of window (inside the raster) of the given bands (1-based; empty = all),
    // as float. A pixel is invalid when any selected band holds its nodata value (or NaN, or
    // is masked by the file's mask/alpha band); its values are then 0 in every band. The
    // buffer's mask stays empty when none of the selected bands can hold nodata.
    Result<RasterBuffer> read(const QRect &window, const QList<int> &bands = {}) const;
    // The same window resampled to outSize pixels (nearest neighbour; GDAL reads an overview
    // level where the file has one), so that a display of a huge raster never holds it at
    // full resolution. outSize equal to the window's size is read().
    Result<RasterBuffer> readResampled(const QRect &window, const QSize &outSize, const QList<int> &bands = {}) const;

    // The pixel window covering a lon/lat box (degrees, EPSG:4326, west/east as longitude),
    // clipped to the raster. Errors without georeference or when the box misses the raster.
    Result<QRect> pixelWindowFromLonLat(double west, double south, double east, double north) const;

    // Values at the given fractions (0..1, e.g. 0.02 and 0.98) of one band's distribution,
    // from a decimated read (GDAL uses overviews where the file has them) of at most about
    // maxSamples pixels; nodata and NaN excluded. For display stretches, not statistics.
    Result<std::vector<double>> percentiles(int band, const std::vector<double> &fractions,
                                            int maxSamples = 1'000'000) const;

    // Windows covering the raster row by row, each a whole number of GDAL blocks (of band 1)
    // near preferredSize pixels a side, clipped at the right and bottom edges.
    QList<QRect> blockWindows(int preferredSize) const;

private:
    struct Impl;
    explicit RasterReader(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

}  // namespace dw
