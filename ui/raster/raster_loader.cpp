#include "ui/raster/raster_loader.h"

#include "core/io/raster_reader.h"

#include <QObject>

namespace dw {

LoadedRaster loadRaster(const QString &path, const QList<int> &bands, double lowPercent, double highPercent)
{
    LoadedRaster loaded;
    loaded.path = path;
    Result<RasterInfo> probed = RasterReader::probe(path);
    if (!probed) {
        loaded.error = probed.error().text();
        return loaded;
    }
    loaded.info = std::move(probed).value();
    loaded.crs = crsUnits(loaded.info.crsWkt);
    if (loaded.info.bands.isEmpty()) {
        if (loaded.info.subdatasets.isEmpty())
            loaded.error = QObject::tr("'%1' holds no raster bands (is it a vector file?)").arg(path);
        return loaded;  // a container: the caller offers its subdatasets
    }
    Result<RasterReader> reader = RasterReader::open(path);
    if (!reader) {
        loaded.error = reader.error().text();
        return loaded;
    }
    auto shared = std::make_shared<RasterReader>(std::move(reader).value());
    QList<int> chosen = bands;
    for (int band : bands)
        if (band < 1 || band > loaded.info.bandCount())
            chosen.clear();  // a band the raster lacks: back to the defaults
    if (chosen.isEmpty())
        chosen = defaultCompositeBands(loaded.info);
    Result<CompositeSpec> composite = computeComposite(*shared, chosen, lowPercent, highPercent);
    if (!composite) {
        loaded.error = composite.error().text();
        return loaded;
    }
    loaded.composite = std::move(composite).value();
    // Names and wavelengths are a help, not a need: without them the bands are "Band N".
    Result<QList<BandSpectrum>> spectra = readBandSpectra(path);
    if (spectra && spectra->size() == loaded.info.bandCount())
        loaded.spectra = std::move(spectra).value();
    else
        for (const RasterBandInfo &band : loaded.info.bands)
            loaded.spectra << BandSpectrum{band.index, {}, 0.0, 0.0};
    loaded.reader = std::move(shared);
    return loaded;
}

}  // namespace dw
