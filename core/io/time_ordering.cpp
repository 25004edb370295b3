#include "core/io/time_ordering.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace dw {
namespace {

// The lower median: always one of the steps really taken (two steps of 1 and 2 days give 1,
// not 1.5, so that the one gap is what is reported as irregular).
double lowerMedian(std::vector<double> v)
{
    if (v.empty())
        return 0;
    const size_t mid = (v.size() - 1) / 2;
    std::nth_element(v.begin(), v.begin() + qsizetype(mid), v.end());
    return v[mid];
}

template <class T>
void permute(std::vector<T> &v, const std::vector<size_t> &order)
{
    std::vector<T> out(v.size());
    for (size_t i = 0; i < order.size(); ++i)
        out[i] = v[order[i]];
    v.swap(out);
}

}  // namespace

int TimeOrdering::weekday(qint64 days)
{
    return int(((days % 7) + 7 + 3) % 7);
}

void TimeOrdering::sortAndMerge(Table &table, std::vector<double> &ordinals, DuplicatePolicy policy,
                                ImportReport &report)
{
    switch (policy) {
    case DuplicatePolicy::Average:
        report.duplicatePolicy = QStringLiteral("average");
        break;
    case DuplicatePolicy::KeepFirst:
        report.duplicatePolicy = QStringLiteral("keep-first");
        break;
    case DuplicatePolicy::KeepLast:
        report.duplicatePolicy = QStringLiteral("keep-last");
        break;
    }
    std::vector<double> &t = table.time;
    const size_t n = t.size();
    report.outOfOrder = 0;
    for (size_t i = 1; i < n; ++i)
        report.outOfOrder += t[i] < t[i - 1];
    report.wasSorted = report.outOfOrder == 0;
    if (!report.wasSorted) {
        // Stable, so that "first" and "last" among duplicates keep meaning file order.
        std::vector<size_t> order(n);
        std::iota(order.begin(), order.end(), size_t(0));
        std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return t[a] < t[b]; });
        permute(t, order);
        permute(ordinals, order);
        for (auto &column : table.columns)
            permute(column, order);
    }

    report.duplicateTimes = 0;
    size_t out = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i + 1;
        while (j < n && t[j] == t[i])
            ++j;
        const size_t pick = policy == DuplicatePolicy::KeepLast ? j - 1 : i;
        t[out] = t[i];
        ordinals[out] = ordinals[i];
        for (auto &column : table.columns) {
            double value = column[pick];
            if (policy == DuplicatePolicy::Average && j - i > 1) {
                double sum = 0;
                int count = 0;
                for (size_t k = i; k < j; ++k)
                    if (!std::isnan(column[k])) {
                        sum += column[k];
                        ++count;
                    }
                value = count > 0 ? sum / count : std::nan("");
            }
            column[out] = value;
        }
        report.duplicateTimes += qint64(j - i - 1);
        ++out;
        i = j;
    }
    t.resize(out);
    ordinals.resize(out);
    for (auto &column : table.columns)
        column.resize(out);
}

SamplingReport TimeOrdering::analyze(const std::vector<double> &ordinals, const std::vector<double> &seconds,
                                     TimeUnit unit)
{
    SamplingReport s;
    s.unit = unit;
    if (ordinals.size() < 2)
        return s;
    std::vector<double> steps(ordinals.size() - 1);
    std::vector<double> secondSteps(ordinals.size() - 1);
    for (size_t i = 1; i < ordinals.size(); ++i) {
        steps[i - 1] = ordinals[i] - ordinals[i - 1];
        secondSteps[i - 1] = seconds[i] - seconds[i - 1];
    }
    s.steps = qint64(steps.size());
    s.medianStep = lowerMedian(steps);
    s.medianStepSeconds = lowerMedian(secondSteps);
    const auto [lo, hi] = std::minmax_element(steps.begin(), steps.end());
    s.smallestStep = *lo;
    s.largestStep = *hi;

    // Daily data without weekends: Friday → Monday is the next step, not a gap.
    if (unit == TimeUnit::Day && s.medianStep == 1) {
        const bool noWeekend =
            std::all_of(ordinals.begin(), ordinals.end(), [](double d) { return weekday(qint64(d)) < 5; });
        bool skipsWeekends = false;  // some step jumps over a weekend
        for (size_t i = 1; i < ordinals.size() && !skipsWeekends; ++i)
            skipsWeekends = weekday(qint64(ordinals[i - 1])) + steps[i - 1] >= 5;
        if (noWeekend && skipsWeekends) {
            s.businessDays = true;
            for (size_t i = 1; i < ordinals.size(); ++i) {
                const int wd = weekday(qint64(ordinals[i - 1]));
                const double expected = wd == 4 ? 3 : 1;
                if (steps[i - 1] != expected) {
                    ++s.irregularSteps;
                    if (s.firstIrregularRows.size() < 10)
                        s.firstIrregularRows.push_back(qint64(i));
                }
            }
            return s;
        }
    }
    // 2 % of the step absorbs decimal years rounded to 3 places (1749.042, 1749.125: steps
    // of 0.083 and 0.084) and clock jitter.
    const double tolerance = std::abs(s.medianStep) * 0.02;
    for (size_t i = 0; i < steps.size(); ++i) {
        if (std::abs(steps[i] - s.medianStep) > tolerance) {
            ++s.irregularSteps;
            if (s.firstIrregularRows.size() < 10)
                s.firstIrregularRows.push_back(qint64(i + 1));
        }
    }
    return s;
}

}  // namespace dw
