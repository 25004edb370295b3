#include "ui/raster/region_text.h"

#include "ui/raster/raster_units.h"

#include <QObject>
#include <QStringList>

namespace dw {

ParsedRegion parseRegionText(const QString &text, QSize rasterSize)
{
    ParsedRegion parsed;
    if (text.trimmed().isEmpty())
        return parsed;
    const QStringList parts = text.split(QLatin1Char(','));
    if (parts.size() != 4) {
        parsed.error =
            QObject::tr("Four whole numbers are needed, x,y,width,height in pixels (%1 given).").arg(parts.size());
        return parsed;
    }
    int n[4] = {};
    const char *const names[4] = {"x", "y", "width", "height"};
    for (int i = 0; i < 4; ++i) {
        bool ok = false;
        n[i] = parts[i].trimmed().toInt(&ok);
        if (!ok) {
            parsed.error = QObject::tr("The %1 '%2' is not a whole number of pixels.")
                               .arg(QLatin1String(names[i]), parts[i].trimmed());
            return parsed;
        }
    }
    const QRect rect(n[0], n[1], n[2], n[3]);
    if (n[0] < 0 || n[1] < 0)
        parsed.error = QObject::tr("x and y start at 0, the top-left pixel.");
    else if (n[2] < 1 || n[3] < 1)
        parsed.error = QObject::tr("The width and height are at least 1 pixel.");
    else if (!rasterSize.isEmpty() && !QRect(QPoint(0, 0), rasterSize).contains(rect))
        parsed.error = QObject::tr("The region reaches beyond the raster of %1 (to col %2, row %3).")
                           .arg(pixelCountText(rasterSize.width(), rasterSize.height()))
                           .arg(n[0] + n[2] - 1)
                           .arg(n[1] + n[3] - 1);
    else
        parsed.rect = rect;
    return parsed;
}

}  // namespace dw
