#include "core/io/raster_group_set.h"

#include "core/io/gdal_environment.h"
#include "core/io/raster_geometry.h"

#include <ogr_spatialref.h>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace dw {
namespace {

bool sameCrs(const QString &a, const QString &b)
{
    if (a == b)
        return true;
    gdal::QuietErrors quiet;
    OGRSpatialReference first, second;
    if (first.importFromWkt(a.toUtf8().constData()) != OGRERR_NONE ||
        second.importFromWkt(b.toUtf8().constData()) != OGRERR_NONE)
        return false;
    return first.IsSame(&second) != 0;
}

// The pixel size (or, without georeference, the inverse of the width) relative to the finest.
double relativeSize(const RasterInfo &info, const RasterInfo &finest)
{
    if (info.georeferenced)
        return info.resolutionX / finest.resolutionX;
    return double(finest.width) / double(info.width);
}

Result<int> wholeRatio(const RasterInfo &info, const RasterInfo &finest)
{
    const double ratio = relativeSize(info, finest);
    const long rounded = std::lround(ratio);
    if (rounded < 1 || std::abs(ratio - double(rounded)) > 1e-4 * ratio)
        return failure(
            QStringLiteral("'%1' has %2 times the pixel size of '%3'; band groups need whole ratios (2, 3, 6, ...) "
                           "to be read together; resample it first")
                .arg(info.path)
                .arg(ratio, 0, 'g', 6)
                .arg(finest.path));
    if (info.georeferenced) {  // without georeference checkSameArea compares the heights
        const double yRatio = info.resolutionY / finest.resolutionY;
        if (std::abs(yRatio - double(rounded)) > 1e-4 * yRatio)
            return failure(QStringLiteral("'%1' has different pixel-size ratios across (%2) and down (%3) against '%4'")
                               .arg(info.path)
                               .arg(ratio, 0, 'g', 6)
                               .arg(yRatio, 0, 'g', 6)
                               .arg(finest.path));
    }
    return int(rounded);
}

Result<void> checkSameArea(const RasterInfo &info, int ratio, const RasterInfo &finest)
{
    const bool widthFits = std::abs(info.width * ratio - finest.width) < ratio;
    const bool heightFits = std::abs(info.height * ratio - finest.height) < ratio;
    bool originFits = true;
    if (info.georeferenced) {
        const double tolerance = 0.5 * finest.resolutionX;
        originFits = std::abs(info.geoTransform[0] - finest.geoTransform[0]) < tolerance &&
                     std::abs(info.geoTransform[3] - finest.geoTransform[3]) < tolerance;
    }
    if (!widthFits || !heightFits || !originFits)
        return failure(
            QStringLiteral("'%1' (%2 × %3 pixels at %4× the pixel size) does not cover the same area as '%5' "
                           "(%6 × %7 pixels); band groups must share their extent")
                .arg(info.path)
                .arg(info.width)
                .arg(info.height)
                .arg(ratio)
                .arg(finest.path)
                .arg(finest.width)
                .arg(finest.height));
    return success();
}

}  // namespace

Result<RasterGroupSet> RasterGroupSet::open(const QStringList &pathsOrSubdatasets)
{
    if (pathsOrSubdatasets.isEmpty())
        return failure(QStringLiteral("no rasters given for the band groups"));
    std::vector<Group> groups;
    for (const QString &path : pathsOrSubdatasets) {
        Result<RasterReader> reader = RasterReader::open(path);
        if (!reader)
            return reader.error();
        groups.push_back({std::move(reader).value(), 1});
    }
    const bool georeferenced = groups.front().reader.info().georeferenced;
    for (const Group &group : groups) {
        const RasterInfo &info = group.reader.info();
        if (info.georeferenced != georeferenced) {
            const QString &with = georeferenced ? groups.front().reader.info().path : info.path;
            const QString &without = georeferenced ? info.path : groups.front().reader.info().path;
            return failure(QStringLiteral("band groups must all be georeferenced or none: '%1' is, '%2' is not")
                               .arg(with, without));
        }
        if (!sameCrs(info.crsWkt, groups.front().reader.info().crsWkt))
            return failure(
                QStringLiteral("'%1' and '%2' have different coordinate systems (%3, %4); reproject one first")
                    .arg(info.path, groups.front().reader.info().path, info.crsName(),
                         groups.front().reader.info().crsName()));
    }
    // Finest first; without georeference the widest is the finest.
    std::stable_sort(groups.begin(), groups.end(), [](const Group &a, const Group &b) {
        const RasterInfo &x = a.reader.info(), &y = b.reader.info();
        return x.georeferenced ? x.resolutionX < y.resolutionX : x.width > y.width;
    });
    const RasterInfo &finest = groups.front().reader.info();
    for (Group &group : groups) {
        Result<int> ratio = wholeRatio(group.reader.info(), finest);
        if (!ratio)
            return ratio.error();
        group.ratio = *ratio;
        if (Result<void> area = checkSameArea(group.reader.info(), group.ratio, finest); !area)
            return area.error();
    }
    return RasterGroupSet(std::move(groups));
}

Result<RasterGroupSet> RasterGroupSet::openContainer(const QString &path)
{
    Result<RasterInfo> probed = RasterReader::probe(path);
    if (!probed)
        return probed.error();
    if (!probed->bands.isEmpty() || probed->subdatasets.isEmpty())
        return open({path});
    // A Sentinel-2 product's true-colour image (…:TCI:EPSG_x) is a rendering of bands 4, 3
    // and 2, which the 10 m group holds already: not a band group of its own.
    QStringList groups;
    for (const QString &name : probed->subdatasets)
        if (!(name.startsWith(QLatin1String("SENTINEL2_")) && name.contains(QLatin1String(":TCI:"))))
            groups << name;
    return open(groups);
}

Result<QRect> RasterGroupSet::groupWindow(int group, const QRect &finestWindow) const
{
    if (group < 0 || group >= groupCount())
        return failure(
            QStringLiteral("band group %1 does not exist: there are groups 0 to %2").arg(group).arg(groupCount() - 1));
    if (Result<void> inside = checkWindow(info(0), finestWindow); !inside)
        return inside.error();
    const int r = ratio(group);
    const QSize size = finestSize();
    const bool aligned = finestWindow.x() % r == 0 && finestWindow.y() % r == 0 &&
                         (finestWindow.width() % r == 0 || finestWindow.x() + finestWindow.width() == size.width()) &&
                         (finestWindow.height() % r == 0 || finestWindow.y() + finestWindow.height() == size.height());
    if (!aligned)
        return failure(
            QStringLiteral("the window (x %1, y %2, %3 × %4) does not lie on the %5× grid of '%6'; use windows "
                           "whose edges are multiples of %5 (RasterGroupSet::alignedWindow)")
                .arg(finestWindow.x())
                .arg(finestWindow.y())
                .arg(finestWindow.width())
                .arg(finestWindow.height())
                .arg(r)
                .arg(info(group).path));
    const RasterInfo &coarse = info(group);
    const int x = finestWindow.x() / r, y = finestWindow.y() / r;
    const int right = std::min(coarse.width, (finestWindow.x() + finestWindow.width() + r - 1) / r);
    const int bottom = std::min(coarse.height, (finestWindow.y() + finestWindow.height() + r - 1) / r);
    return QRect(x, y, right - x, bottom - y);
}

QRect RasterGroupSet::alignedWindow(const QRect &finestWindow) const
{
    int step = 1;
    for (const Group &group : m_groups)
        step = std::lcm(step, group.ratio);
    const QSize size = finestSize();
    const int left = std::max(0, finestWindow.x() / step * step);
    const int top = std::max(0, finestWindow.y() / step * step);
    const int right = std::min(size.width(), (finestWindow.x() + finestWindow.width() + step - 1) / step * step);
    const int bottom = std::min(size.height(), (finestWindow.y() + finestWindow.height() + step - 1) / step * step);
    return QRect(left, top, std::max(0, right - left), std::max(0, bottom - top));
}

Result<RasterBuffer> RasterGroupSet::read(int group, const QRect &finestWindow, const QList<int> &bands) const
{
    Result<QRect> window = groupWindow(group, finestWindow);
    if (!window)
        return window.error();
    return reader(group).read(*window, bands);
}

}  // namespace dw
