#pragma once
// Rasters of one area at different resolutions read as one: Sentinel-2's 10, 20 and 60 m
// band groups (the subdatasets of a SENTINEL2 product) or separate files per resolution.
// Groups are sorted finest first; each has an integer ratio to the finest pixel size, and a
// window of the finest grid is read from any group at that group's own resolution.
#include "core/io/raster_buffer.h"
#include "core/io/raster_info.h"
#include "core/io/raster_reader.h"
#include "core/util/result.h"

#include <QList>
#include <QRect>
#include <QSize>
#include <QString>
#include <QStringList>

#include <vector>

namespace dw {

class RasterGroupSet {
public:
    // Opens each raster or subdataset; they must share the coordinate system and the area
    // (within one coarse pixel), and pixel sizes must be whole multiples of the finest.
    // Without georeference the raster sizes give the ratios.
    static Result<RasterGroupSet> open(const QStringList &pathsOrSubdatasets);
    // Every subdataset of a container (e.g. a Sentinel-2 product's 10/20/60 m groups; its
    // true-colour image is left out), or the file alone when it has bands of its own.
    static Result<RasterGroupSet> openContainer(const QString &path);

    int groupCount() const { return int(m_groups.size()); }
    const RasterInfo &info(int group) const { return m_groups[size_t(group)].reader.info(); }
    const RasterReader &reader(int group) const { return m_groups[size_t(group)].reader; }
    // The group's pixel size over the finest one: 1 for the finest, e.g. 2 and 6 for S2's 20 and 60 m.
    int ratio(int group) const { return m_groups[size_t(group)].ratio; }
    QSize finestSize() const { return {info(0).width, info(0).height}; }

    // The window of the group's grid that covers finestWindow; finestWindow's edges must lie on
    // the group's grid (multiples of ratio) except at the raster's right and bottom edges.
    Result<QRect> groupWindow(int group, const QRect &finestWindow) const;
    // finestWindow grown to the grids of all groups (multiples of every ratio), clipped to the raster.
    QRect alignedWindow(const QRect &finestWindow) const;
    // The bands (1-based; empty = all) of a group over finestWindow, at the group's resolution.
    Result<RasterBuffer> read(int group, const QRect &finestWindow, const QList<int> &bands = {}) const;

private:
    struct Group {
        RasterReader reader;
        int ratio = 1;
    };
    explicit RasterGroupSet(std::vector<Group> groups) : m_groups(std::move(groups)) {}
    std::vector<Group> m_groups;
};

}  // namespace dw
