#include "core/io/band_spectra.h"

#include "core/io/gdal_environment.h"

#include <QFileInfo>
#include <QStringList>

#include <gdal_priv.h>

namespace dw {
namespace {

// Colour interpretations that say nothing about a band: GDAL gives them to any band.
bool meaningfulColour(GDALColorInterp colour)
{
    return colour != GCI_Undefined && colour != GCI_GrayIndex && colour != GCI_PaletteIndex;
}

QString item(GDALMajorObject *object, const char *name, const char *domain = nullptr)
{
    const char *value = object->GetMetadataItem(name, domain);
    return value ? QString::fromUtf8(value).trimmed() : QString();
}

// An ENVI list "{0.48, 0.56, 0.66}" as its items.
QStringList enviList(const QString &text)
{
    QString inner = text.trimmed();
    if (inner.startsWith(QLatin1Char('{')))
        inner.remove(0, 1);
    if (inner.endsWith(QLatin1Char('}')))
        inner.chop(1);
    QStringList items = inner.split(QLatin1Char(','));
    for (QString &one : items)
        one = one.trimmed();
    return items;
}

}  // namespace

double wavelengthInMicrometres(const QString &text, const QString &units)
{
    bool ok = false;
    const double value = text.trimmed().toDouble(&ok);
    if (!ok || !(value > 0.0))
        return 0.0;
    const QString u = units.trimmed().toLower();
    if (u.startsWith(QLatin1String("nano")) || u == QLatin1String("nm"))
        return value / 1000.0;
    if (u.startsWith(QLatin1String("micro")) || u == QLatin1String("um") || u == QStringLiteral("µm") ||
        u == QLatin1String("micron") || u == QLatin1String("microns"))
        return value;
    if (u.startsWith(QLatin1String("milli")) || u == QLatin1String("mm"))
        return value * 1000.0;
    return value > 100.0 ? value / 1000.0 : value;
}

Result<QList<BandSpectrum>> readBandSpectra(const QString &pathOrSubdataset)
{
    gdal::ensureRegistered();
    gdal::QuietErrors quiet;
    GDALDatasetUniquePtr dataset(GDALDataset::Open(pathOrSubdataset.toUtf8().constData(),
                                                   GDAL_OF_RASTER | GDAL_OF_READONLY | GDAL_OF_VERBOSE_ERROR));
    if (!dataset)
        return failure(QStringLiteral("GDAL cannot open '%1': %2")
                           .arg(pathOrSubdataset, gdal::lastErrorMessage(QFileInfo::exists(pathOrSubdataset)
                                                                             ? QStringLiteral("not a raster format")
                                                                             : QStringLiteral("no such file"))));
    const QString enviUnits = item(dataset.get(), "wavelength_units", "ENVI");
    const QStringList enviWavelengths = enviList(item(dataset.get(), "wavelength", "ENVI"));
    const QStringList enviWidths = enviList(item(dataset.get(), "fwhm", "ENVI"));

    QList<BandSpectrum> spectra;
    for (int i = 1; i <= dataset->GetRasterCount(); ++i) {
        GDALRasterBand *band = dataset->GetRasterBand(i);
        BandSpectrum spectrum;
        spectrum.index = i;
        spectrum.name = QString::fromUtf8(band->GetDescription()).trimmed();
        if (spectrum.name.isEmpty() && meaningfulColour(band->GetColorInterpretation()))
            spectrum.name = QString::fromUtf8(GDALGetColorInterpretationName(band->GetColorInterpretation()));

        // GDAL >= 3.7 fills the IMAGERY domain from the formats that know (and files keep it).
        spectrum.centreUm =
            wavelengthInMicrometres(item(band, "CENTRAL_WAVELENGTH_UM", "IMAGERY"), QStringLiteral("um"));
        spectrum.widthUm = wavelengthInMicrometres(item(band, "FWHM_UM", "IMAGERY"), QStringLiteral("um"));
        if (!spectrum.hasWavelength()) {
            QString units = item(band, "wavelength_units");
            if (units.isEmpty())
                units = enviUnits;
            QString centre = item(band, "wavelength");
            if (centre.isEmpty())
                centre = item(band, "WAVELENGTH");
            if (centre.isEmpty())
                centre = enviWavelengths.value(i - 1);
            QString width = item(band, "fwhm");
            if (width.isEmpty())
                width = enviWidths.value(i - 1);
            if (units.isEmpty())  // the width in the same unit as the centre, whatever that is
                units = centre.toDouble() > 100.0 ? QStringLiteral("nm") : QStringLiteral("um");
            spectrum.centreUm = wavelengthInMicrometres(centre, units);
            spectrum.widthUm = spectrum.hasWavelength() ? wavelengthInMicrometres(width, units) : 0.0;
            // The ENVI driver writes the wavelength into the description too: "B1 (485 Nanometers)".
            const QString told = QStringLiteral(" (%1 %2)").arg(centre, item(band, "wavelength_units"));
            if (spectrum.hasWavelength() && spectrum.name.endsWith(told) && spectrum.name.size() > told.size())
                spectrum.name.chop(told.size());
        }
        spectra << spectrum;
    }
    return spectra;
}

}  // namespace dw
