#include "plugins/superres/infer/guide_raster.h"

#include "core/io/raster_geometry.h"
#include "core/io/raster_group_set.h"

#include <QFileInfo>

namespace dw::superres {

using namespace Qt::StringLiterals;

Result<int> guideRatio(const QString &raster, const QString &guide)
{
    Result<RasterGroupSet> groups = RasterGroupSet::open({raster, guide});
    if (!groups)
        return Error::at(u"guide"_s, u"the guide cannot be used with the raster: "_s + groups.error().message);
    // Finest first: the guide must be group 0 and the raster coarser.
    if (groups->groupCount() != 2 || groups->info(0).path != guide || groups->ratio(1) < 2)
        return Error::at(u"guide"_s,
                         u"the guide %1 is not finer than the raster %2: give the raster of the same area with "
                         "smaller pixels (e.g. Sentinel-2's 10 m bands to super-resolve its 20 m ones)"_s.arg(
                             QFileInfo(guide).fileName(), QFileInfo(raster).fileName()));
    return groups->ratio(1);
}

Result<GuidedWindowReader> GuidedWindowReader::open(const QString &guidePath, const QList<int> &guideBands, int scale,
                                                    std::vector<float> fill)
{
    Result<RasterReader> reader = RasterReader::open(guidePath);
    if (!reader)
        return Error::at(u"guide"_s, reader.error().message);
    Result<QList<int>> bands = selectBands(reader->info(), guideBands);
    if (!bands)
        return Error::at(u"guide-bands"_s, bands.error().message);
    if (bands->size() != qsizetype(fill.size()))
        return Error::at(guideBands.isEmpty() ? u"guide"_s : u"guide-bands"_s,
                         u"the guide has %1 band(s) where %2 are needed"_s.arg(bands->size()).arg(fill.size()));
    return GuidedWindowReader(std::move(reader).value(), std::move(bands).value(), scale, std::move(fill));
}

Result<RasterBuffer> GuidedWindowReader::pack(const QRect &rasterWindow, const RasterBuffer &window) const
{
    const RasterInfo &info = m_reader.info();
    const QRect fine = QRect(rasterWindow.x() * m_scale, rasterWindow.y() * m_scale, rasterWindow.width() * m_scale,
                             rasterWindow.height() * m_scale)
                           .intersected(QRect(0, 0, info.width, info.height));
    if (fine.isEmpty())
        return Error::at(u"guide"_s,
                         u"the guide (%1 × %2 pixels) does not reach the raster's pixels %3,%4 at ×%5"_s.arg(info.width)
                             .arg(info.height)
                             .arg(rasterWindow.x())
                             .arg(rasterWindow.y())
                             .arg(m_scale));
    Result<RasterBuffer> guide = m_reader.read(fine, m_bands);
    if (!guide)
        return Error::at(u"guide"_s, guide.error().message);
    Result<RasterBuffer> packed = packGuide(window, *guide, m_scale, m_fill);
    if (!packed)
        return Error::at(u"guide"_s, packed.error().message);
    return packed;
}

}  // namespace dw::superres
