#pragma once
// Guides a guided super-resolution module could take for a raster opened from a container
// (e.g. the 10 m group of the Sentinel-2 product whose 20 m group is open): the container's
// other subdatasets that cover the same area a whole number of times finer. Opens each with
// core/io (blocking I/O: run it off the GUI thread). No GDAL here.
#include <QList>
#include <QString>
#include <QStringList>

namespace dw {

struct GuideCandidate {
    QString name;   // the subdataset
    int ratio = 0;  // how many times finer than the raster
    int bands = 0;
};

// The siblings finer than `raster` by a whole ratio, finest first; siblings that do not fit
// (other area, coordinate system, coarser) are left out.
QList<GuideCandidate> findGuideCandidates(const QString &raster, const QStringList &siblings);

// The candidate for a module that needs `ratio` and `bands`: empty when none fits.
QString chooseGuide(const QList<GuideCandidate> &candidates, int ratio, int bands);

}  // namespace dw
