#include "core/io/sliding_windows.h"

#include <cmath>

namespace dw {
namespace {

Result<qsizetype> commonLength(const std::vector<std::vector<double>> &features,
                               const std::vector<std::vector<double>> &targets)
{
    if (features.empty() || targets.empty())
        return failure(QStringLiteral("Windows need at least one input feature and one target."));
    const qsizetype n = qsizetype(features.front().size());
    for (const auto &f : features)
        if (qsizetype(f.size()) != n)
            return failure(QStringLiteral("The input series differ in length (%1 and %2 rows).").arg(n).arg(f.size()));
    for (const auto &t : targets)
        if (qsizetype(t.size()) != n)
            return failure(QStringLiteral("The target series differ in length from the inputs (%1 and %2 rows).")
                               .arg(n)
                               .arg(t.size()));
    return n;
}

Error missingAt(const char *what, size_t column, qsizetype row)
{
    return failure(QStringLiteral("%1 %2 is missing at row %3: fill the missing values (linear or forward) before "
                                  "cutting windows.")
                       .arg(QLatin1String(what))
                       .arg(column + 1)
                       .arg(row + 1));
}

}  // namespace

Result<WindowSet> SlidingWindows::make(const std::vector<std::vector<double>> &features,
                                       const std::vector<std::vector<double>> &targets, int window, int horizon,
                                       qsizetype targetBegin, qsizetype targetEnd, int stride)
{
    if (window < 1 || horizon < 1 || stride < 1)
        return failure(QStringLiteral("The window (%1), horizon (%2) and stride (%3) must each be at least 1.")
                           .arg(window)
                           .arg(horizon)
                           .arg(stride),
                       QStringLiteral("window"));
    const auto length = commonLength(features, targets);
    if (!length)
        return length.error();
    const qsizetype n = *length;
    targetBegin = std::max<qsizetype>(targetBegin, 0);
    targetEnd = std::min(targetEnd < 0 ? n : targetEnd, n);
    const qsizetype first = std::max<qsizetype>(targetBegin, window);
    const qsizetype last = targetEnd - horizon;  // inclusive
    if (last < first) {
        return failure(QStringLiteral("The series is too short for a window of %1 and a horizon of %2: rows %3 to %4 "
                                      "(%5 rows, with %6 rows before them as context) give no example; one needs %1 "
                                      "rows of context and %2 to forecast. Use a shorter window or horizon, or a "
                                      "longer series.")
                           .arg(window)
                           .arg(horizon)
                           .arg(targetBegin + 1)
                           .arg(targetEnd)
                           .arg(std::max<qsizetype>(targetEnd - targetBegin, 0))
                           .arg(targetBegin),
                       QStringLiteral("window"));
    }
    WindowSet set;
    set.window = window;
    set.horizon = horizon;
    set.features = int(features.size());
    set.targets = int(targets.size());
    set.count = (last - first) / stride + 1;
    // The rows the examples read must all hold values.
    for (size_t f = 0; f < features.size(); ++f)
        for (qsizetype r = first - window; r < last; ++r)
            if (std::isnan(features[f][size_t(r)]))
                return missingAt("Input", f, r);
    for (size_t k = 0; k < targets.size(); ++k)
        for (qsizetype r = first; r < targetEnd; ++r)
            if (std::isnan(targets[k][size_t(r)]))
                return missingAt("Target", k, r);
    set.inputs.resize(size_t(set.count) * size_t(window) * features.size());
    set.outputs.resize(size_t(set.count) * size_t(horizon) * targets.size());
    set.firstTargetRow.resize(size_t(set.count));
    float *in = set.inputs.data();
    float *out = set.outputs.data();
    for (qsizetype e = 0; e < set.count; ++e) {
        const qsizetype t = first + e * stride;
        set.firstTargetRow[size_t(e)] = t;
        for (qsizetype r = t - window; r < t; ++r)
            for (const auto &f : features)
                *in++ = float(f[size_t(r)]);
        for (qsizetype r = t; r < t + horizon; ++r)
            for (const auto &k : targets)
                *out++ = float(k[size_t(r)]);
    }
    return set;
}

Result<std::vector<float>> SlidingWindows::lastWindow(const std::vector<std::vector<double>> &features, int window,
                                                      qsizetype end)
{
    if (features.empty() || window < 1)
        return failure(QStringLiteral("A forecast needs at least one input series and a window of at least 1."));
    const qsizetype n = qsizetype(features.front().size());
    end = end < 0 ? n : std::min(end, n);
    if (end < window)
        return failure(QStringLiteral("The series has %1 rows but the model reads a window of %2. Give it at least %2 "
                                      "rows.")
                           .arg(end)
                           .arg(window),
                       QStringLiteral("window"));
    std::vector<float> x;
    x.reserve(size_t(window) * features.size());
    for (qsizetype r = end - window; r < end; ++r)
        for (size_t f = 0; f < features.size(); ++f) {
            if (qsizetype(features[f].size()) != n)
                return failure(QStringLiteral("The input series differ in length."));
            const double v = features[f][size_t(r)];
            if (std::isnan(v))
                return missingAt("Input", f, r);
            x.push_back(float(v));
        }
    return x;
}

}  // namespace dw
