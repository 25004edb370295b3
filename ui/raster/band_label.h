#pragma once
// How the Raster workspace names a band everywhere it lists one (the composite's band boxes,
// the info panel's band table): "Band 3 — Red (0.63–0.69 µm)" when the file names the band
// or gives its wavelength (core/io/band_spectra.h), "Band 3" when it says nothing.
#include "core/io/band_spectra.h"

#include <QString>

namespace dw {

// "0.63–0.69 µm" from the centre and width, "0.66 µm" from the centre alone; empty without.
QString wavelengthText(const BandSpectrum &band);
// "Band 3 — Red (0.63–0.69 µm)", "Band 3 — Red", "Band 3 (0.66 µm)" or "Band 3".
QString bandLabel(const BandSpectrum &band);

}  // namespace dw
