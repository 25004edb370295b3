#pragma once
// Opening a raster for display, meant to run off the GUI thread: probe (a container with
// subdatasets and no bands of its own comes back with its subdatasets to choose from), open,
// the composite's percentile stretch, and what names its bands and map units. No widgets.
#include "core/io/band_spectra.h"
#include "core/io/crs_units.h"
#include "core/io/raster_info.h"
#include "ui/raster/raster_composite.h"

#include <QString>

#include <memory>

namespace dw {

class RasterReader;

struct LoadedRaster {
    QString path;
    std::shared_ptr<const RasterReader> reader;  // null on error or for a container
    RasterInfo info;
    CompositeSpec composite;
    QList<BandSpectrum> spectra;  // one per band (names and wavelengths where the file has them)
    CrsUnits crs;                 // the name and unit of the map coordinates
    QString error;                // what went wrong, for the user

    bool isContainer() const { return !reader && error.isEmpty() && !info.subdatasets.isEmpty(); }
};

// bands: the composite's bands, empty for defaultCompositeBands().
LoadedRaster loadRaster(const QString &path, const QList<int> &bands, double lowPercent, double highPercent);

}  // namespace dw
