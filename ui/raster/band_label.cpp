#include "ui/raster/band_label.h"

#include <QObject>

#include <algorithm>
#include <cmath>

namespace dw {
namespace {

// Fixed decimals without trailing zeros: 0.630 -> "0.63", 10.40 -> "10.4".
QString trimmed(double value, int decimals)
{
    QString text = QString::number(value, 'f', decimals);
    if (text.contains(QLatin1Char('.'))) {
        while (text.endsWith(QLatin1Char('0')))
            text.chop(1);
        if (text.endsWith(QLatin1Char('.')))
            text.chop(1);
    }
    return text;
}

}  // namespace

QString wavelengthText(const BandSpectrum &band)
{
    if (!band.hasWavelength())
        return {};
    if (!(band.widthUm > 0.0))
        return QStringLiteral("%1 µm").arg(QString::number(band.centreUm, 'g', 3));
    const double low = band.centreUm - band.widthUm / 2.0;
    const double high = band.centreUm + band.widthUm / 2.0;
    // Two significant digits of the width (trailing zeros dropped): 0.45–0.52 for Landsat's
    // broad bands, 0.697–0.713 for a narrow red-edge band.
    int decimals = std::clamp(int(std::ceil(-std::log10(band.widthUm))) + 1, 2, 4);
    while (decimals < 4 && trimmed(low, decimals) == trimmed(high, decimals))
        ++decimals;
    return QStringLiteral("%1–%2 µm").arg(trimmed(low, decimals), trimmed(high, decimals));
}

QString bandLabel(const BandSpectrum &band)
{
    QString label = QObject::tr("Band %1").arg(band.index);
    if (!band.name.isEmpty())
        label += QStringLiteral(" — ") + band.name;
    if (band.hasWavelength())
        label += QStringLiteral(" (%1)").arg(wavelengthText(band));
    return label;
}

}  // namespace dw
