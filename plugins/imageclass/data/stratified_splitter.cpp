#include "plugins/imageclass/data/stratified_splitter.h"

#include "plugins/imageclass/data/seeded_rng.h"

#include <QJsonObject>

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>

namespace dw::imageclass {

QJsonObject DatasetSplit::toJson() const
{
    return QJsonObject{{QStringLiteral("train"), static_cast<qint64>(train.size())},
                       {QStringLiteral("validation"), static_cast<qint64>(validation.size())},
                       {QStringLiteral("test"), static_cast<qint64>(test.size())}};
}

Result<void> StratifiedSplitter::check(const SplitFractions &f)
{
    const auto bad = [](double v) { return !std::isfinite(v) || v < 0.0; };
    if (bad(f.train) || bad(f.validation) || bad(f.test))
        return failure(QStringLiteral("split fractions must be numbers of 0 or more (given %1/%2/%3).")
                           .arg(f.train)
                           .arg(f.validation)
                           .arg(f.test),
                       QStringLiteral("split"));
    if (f.train <= 0.0)
        return failure(QStringLiteral("the training fraction must be above 0: a model cannot learn from no data."),
                       QStringLiteral("split"));
    return success();
}

DatasetSplit StratifiedSplitter::split(const std::vector<int> &labels, const std::vector<int> &positions,
                                       const SplitFractions &fractions, std::uint64_t seed)
{
    SplitFractions f = fractions;
    if (!check(f))
        f = SplitFractions{};
    const double sum = f.train + f.validation + f.test;
    const double trainShare = f.train / sum;
    const double trainValShare = (f.train + f.validation) / sum;

    std::map<int, std::vector<int>> byClass;  // ordered: the result does not depend on hashing
    for (const int position : positions)
        byClass[labels[static_cast<std::size_t>(position)]].push_back(position);

    DatasetSplit result;
    for (auto &[label, members] : byClass) {
        std::sort(members.begin(), members.end());
        SeededRng rng(SeededRng::derive(seed, static_cast<std::uint64_t>(label), 0x5917));
        rng.shuffle(members);
        const auto n = static_cast<long long>(members.size());
        // Cumulative rounding keeps the three parts summing to n.
        long long nTrain = std::llround(static_cast<double>(n) * trainShare);
        long long nTrainVal = std::llround(static_cast<double>(n) * trainValShare);
        nTrain = std::clamp(nTrain, 1LL, n);
        nTrainVal = std::clamp(nTrainVal, nTrain, n);
        const auto begin = members.begin();
        result.train.insert(result.train.end(), begin, begin + nTrain);
        result.validation.insert(result.validation.end(), begin + nTrain, begin + nTrainVal);
        result.test.insert(result.test.end(), begin + nTrainVal, members.end());
    }
    std::sort(result.train.begin(), result.train.end());
    std::sort(result.validation.begin(), result.validation.end());
    std::sort(result.test.begin(), result.test.end());
    return result;
}

DatasetSplit StratifiedSplitter::splitAll(const std::vector<int> &labels, const SplitFractions &fractions,
                                          std::uint64_t seed)
{
    std::vector<int> positions(labels.size());
    std::iota(positions.begin(), positions.end(), 0);
    return split(labels, positions, fractions, seed);
}

}  // namespace dw::imageclass
