#include "ui/raster/guide_candidates.h"

#include "core/io/raster_group_set.h"

#include <algorithm>

namespace dw {

QList<GuideCandidate> findGuideCandidates(const QString &raster, const QStringList &siblings)
{
    QList<GuideCandidate> out;
    for (const QString &sibling : siblings) {
        if (sibling == raster)
            continue;
        Result<RasterGroupSet> pair = RasterGroupSet::open({raster, sibling});
        // Finest first: the sibling must come first, and be finer.
        if (!pair || pair->groupCount() != 2 || pair->info(0).path != sibling || pair->ratio(1) < 2)
            continue;
        out.append({sibling, pair->ratio(1), int(pair->info(0).bands.size())});
    }
    std::stable_sort(out.begin(), out.end(),
                     [](const GuideCandidate &a, const GuideCandidate &b) { return a.ratio > b.ratio; });
    return out;
}

QString chooseGuide(const QList<GuideCandidate> &candidates, int ratio, int bands)
{
    for (const GuideCandidate &c : candidates)
        if (c.ratio == ratio && c.bands == bands)
            return c.name;
    return {};
}

}  // namespace dw
