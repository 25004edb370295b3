#include "plugins/superres/data/patch_sampler.h"

#include <algorithm>
#include <cmath>
#include <random>

namespace dw::superres {

namespace {
// Tries per requested patch before giving up on finding valid-enough positions.
constexpr int kTriesPerPatch = 50;

int roundDownTo(int value, int multiple)
{
    return value / multiple * multiple;
}
}  // namespace

QRect PatchSampler::heldOutRows(QSize size, const PatchSamplerOptions &options)
{
    const int s = std::max(1, options.scale), h = size.height();
    // ⌈fraction × height⌉ rounded up to the scale, at least one patch; the training rows above
    // are whole blocks of the scale, the rest is held out.
    const int wanted =
        std::max(options.patchSize, (int(std::ceil(double(h) * options.validationFraction)) + s - 1) / s * s);
    const int trainRows = std::max(0, roundDownTo(h - wanted, s));
    return QRect(0, trainRows, roundDownTo(size.width(), s), roundDownTo(h - trainRows, s));
}

Result<PatchSampler> PatchSampler::create(const std::vector<QSize> &sizes,
                                          const std::vector<std::vector<uint8_t>> &valid,
                                          const PatchSamplerOptions &options)
{
    const int p = options.patchSize, s = options.scale;
    if (s < 2)
        return failure(QStringLiteral("the scale must be at least 2 (got %1)").arg(s), QStringLiteral("scale"));
    if (p < s || p % s != 0)
        return failure(QStringLiteral("the patch size %1 must be a multiple of the scale %2 (e.g. %3)")
                           .arg(p)
                           .arg(s)
                           .arg(std::max(1, p / s) * s),
                       QStringLiteral("patch-size"));
    if (!(options.validationFraction > 0.0 && options.validationFraction < 1.0))
        return failure(QStringLiteral("the validation fraction must lie strictly between 0 and 1 (got %1)")
                           .arg(options.validationFraction),
                       QStringLiteral("val-fraction"));
    if (sizes.size() != valid.size())
        return failure(QStringLiteral("one validity mask per raster is needed"));
    PatchSampler sampler;
    sampler.m_options = options;
    sampler.m_sizes = sizes;
    double total = 0.0;
    for (std::size_t r = 0; r < sizes.size(); ++r) {
        const int w = sizes[r].width(), h = sizes[r].height();
        std::vector<int64_t> integral(std::size_t(w + 1) * std::size_t(h + 1), 0);
        for (int y = 0; y < h; ++y) {
            int64_t row = 0;
            for (int x = 0; x < w; ++x) {
                row += valid[r].empty() || valid[r][std::size_t(y) * std::size_t(w) + std::size_t(x)] ? 1 : 0;
                integral[std::size_t(y + 1) * std::size_t(w + 1) + std::size_t(x + 1)] =
                    integral[std::size_t(y) * std::size_t(w + 1) + std::size_t(x + 1)] + row;
            }
        }
        sampler.m_integral.push_back(std::move(integral));
        const QRect held = heldOutRows(sizes[r], options);
        const int trainRows = held.top(), heldRows = held.height();
        const bool usable = w >= p && trainRows >= p && heldRows >= p;
        sampler.m_training.push_back(usable ? QRect(0, 0, roundDownTo(w, s), trainRows) : QRect());
        sampler.m_validation.push_back(usable ? QRect(0, trainRows, roundDownTo(w, s), heldRows) : QRect());
        total += usable ? double(w - p + 1) * double(trainRows - p + 1) : 0.0;
        sampler.m_trainWeights.push_back(total);
    }
    for (std::size_t r = 0; r < sizes.size(); ++r) {
        const QRect area = sampler.m_validation[r];
        for (int y = area.top(); y + p <= area.top() + area.height(); y += p) {
            for (int x = area.left(); x + p <= area.left() + area.width(); x += p) {
                const PatchRef patch{int(r), x, y};
                if (sampler.validFraction(patch) > options.minValidFraction)
                    sampler.m_validationPatches.push_back(patch);
            }
        }
    }
    const std::size_t found = sampler.m_validationPatches.size(),
                      cap = std::size_t(std::max(1, options.maxValidationPatches));
    if (found > cap) {
        std::vector<PatchRef> spread;
        for (std::size_t i = 0; i < cap; ++i)
            spread.push_back(sampler.m_validationPatches[i * found / cap]);
        sampler.m_validationPatches = std::move(spread);
    }
    if (total <= 0.0)
        return failure(
            QStringLiteral("the rasters are too small for patches of %1 pixels with %2 % held out for validation: "
                           "each needs at least %3 rows of %1 columns; use a smaller --patch-size or larger rasters")
                .arg(p)
                .arg(options.validationFraction * 100.0, 0, 'f', 0)
                .arg(2 * p),
            QStringLiteral("patch-size"));
    if (sampler.m_validationPatches.empty())
        return failure(
            QStringLiteral("the held-out rows hold no patch that is more than half valid: raise --val-fraction "
                           "or give rasters with fewer nodata pixels"),
            QStringLiteral("val-fraction"));
    return sampler;
}

double PatchSampler::validFraction(const PatchRef &patch) const
{
    const std::vector<int64_t> &integral = m_integral.at(std::size_t(patch.raster));
    const std::size_t stride = std::size_t(m_sizes[std::size_t(patch.raster)].width() + 1);
    const int p = m_options.patchSize;
    const auto at = [&](int x, int y) { return integral[std::size_t(y) * stride + std::size_t(x)]; };
    const int64_t sum =
        at(patch.x + p, patch.y + p) - at(patch.x, patch.y + p) - at(patch.x + p, patch.y) + at(patch.x, patch.y);
    return double(sum) / double(p * p);
}

std::vector<PatchRef> PatchSampler::trainingPatches(int count, std::uint64_t seed, int epoch) const
{
    std::seed_seq sequence{std::uint32_t(seed), std::uint32_t(seed >> 32), std::uint32_t(epoch), 0x5eedu};
    std::mt19937_64 rng(sequence);
    std::uniform_real_distribution<double> pickRaster(0.0, m_trainWeights.back());
    const int p = m_options.patchSize, s = m_options.scale;
    std::vector<PatchRef> patches;
    patches.reserve(std::size_t(std::max(0, count)));
    for (qint64 tries = 0; int(patches.size()) < count && tries < qint64(count) * kTriesPerPatch; ++tries) {
        const double u = pickRaster(rng);
        const int r = int(std::upper_bound(m_trainWeights.begin(), m_trainWeights.end(), u) - m_trainWeights.begin());
        const QRect area = m_training[std::size_t(std::min<std::size_t>(std::size_t(r), m_training.size() - 1))];
        if (area.isEmpty())
            continue;
        std::uniform_int_distribution<int> px(0, (area.width() - p) / s), py(0, (area.height() - p) / s);
        std::uniform_int_distribution<int> transform(0, 7);
        const PatchRef patch{std::min(r, int(m_training.size()) - 1), area.left() + px(rng) * s,
                             area.top() + py(rng) * s, transform(rng)};
        if (validFraction(patch) > m_options.minValidFraction)
            patches.push_back(patch);
    }
    return patches;
}

}  // namespace dw::superres
