#pragma once
// What each band of a raster measures, where the file says so: its name (GDAL's band
// description or, failing that, a colour interpretation that means something: Red, Green,
// Blue, Alpha, NIR, ...) and its wavelength, from GDAL's IMAGERY domain (CENTRAL_WAVELENGTH_UM
// and FWHM_UM, GDAL >= 3.7 and files written for it), a band's "wavelength" item (with
// "wavelength_units" and "fwhm", as the ENVI driver sets them) or the ENVI domain's
// "wavelength"/"fwhm" lists. Plain values, no GDAL types; read off the GUI thread.
#include "core/util/result.h"

#include <QList>
#include <QString>

namespace dw {

struct BandSpectrum {
    int index = 0;          // 1-based GDAL band number
    QString name;           // empty when the file names the band nowhere
    double centreUm = 0.0;  // central wavelength in micrometres; 0 when unknown
    double widthUm = 0.0;   // full width at half maximum in micrometres; 0 when unknown

    bool hasWavelength() const { return centreUm > 0.0; }
};

// One per band, in band order; an error when GDAL cannot open the raster.
Result<QList<BandSpectrum>> readBandSpectra(const QString &pathOrSubdataset);

// A wavelength as written in a file, in micrometres: units "nm"/"Nanometers", "um"/"µm"/
// "Micrometers", "mm"; without units, values above 100 are taken for nanometres. 0 when text
// is no positive number.
double wavelengthInMicrometres(const QString &text, const QString &units);

}  // namespace dw
