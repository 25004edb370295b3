#include "core/io/series_preparation.h"

#include <QJsonArray>

#include <cmath>

namespace dw {

std::vector<std::vector<double>> SeriesSet::features() const
{
    std::vector<std::vector<double>> all = targets;
    all.insert(all.end(), inputs.begin(), inputs.end());
    return all;
}

QJsonObject FillSummary::toJson() const
{
    return {{QStringLiteral("column"), column},
            {QStringLiteral("interior"), double(interior)},
            {QStringLiteral("leading"), double(leading)},
            {QStringLiteral("trailing"), double(trailing)},
            {QStringLiteral("total"), double(total())}};
}

QJsonObject ChronologicalSplit::toJson() const
{
    const auto range = [](const RowRange &r) {
        return QJsonObject{{QStringLiteral("begin"), double(r.begin)},
                           {QStringLiteral("end"), double(r.end)},
                           {QStringLiteral("rows"), double(r.size())}};
    };
    return {{QStringLiteral("train"), range(train)},
            {QStringLiteral("validation"), range(validation)},
            {QStringLiteral("test"), range(test)}};
}

QString SeriesPreparation::fillMethodId(FillMethod method)
{
    return method == FillMethod::Linear ? QStringLiteral("linear") : QStringLiteral("forward");
}

std::optional<FillMethod> SeriesPreparation::fillMethodFromId(const QString &id)
{
    const QString s = id.trimmed().toLower();
    if (s == QLatin1String("linear") || s == QLatin1String("interpolate") || s == QLatin1String("interpolation"))
        return FillMethod::Linear;
    if (s == QLatin1String("forward") || s == QLatin1String("ffill") || s == QLatin1String("forward-fill"))
        return FillMethod::ForwardFill;
    return std::nullopt;
}

Result<SeriesSet> SeriesPreparation::select(const Table &table, const QStringList &targets, const QStringList &inputs)
{
    if (targets.isEmpty())
        return failure(QStringLiteral("No target column chosen. Choose at least one of: %1.")
                           .arg(table.names.join(QStringLiteral(", "))),
                       QStringLiteral("target"));
    SeriesSet set;
    set.time = table.time;
    set.timeFormat = table.timeFormat;
    std::vector<qsizetype> used;
    const auto take = [&](const QString &name, bool isTarget) -> Result<void> {
        const qsizetype index = table.columnIndex(name);
        const QString field = isTarget ? QStringLiteral("target") : QStringLiteral("inputs");
        if (index < 0) {
            QString hint = table.timeName.compare(name.trimmed(), Qt::CaseInsensitive) == 0
                               ? QStringLiteral(" \"%1\" is the time column.").arg(table.timeName)
                               : QString();
            return failure(QStringLiteral("There is no numeric column \"%1\".%2 The numeric columns are: %3.")
                               .arg(name, hint, table.names.join(QStringLiteral(", "))),
                           field);
        }
        if (std::find(used.begin(), used.end(), index) != used.end())
            return success();  // named twice, or a target also listed as an input
        const auto &column = table.column(index);
        if (std::all_of(column.begin(), column.end(), [](double v) { return std::isnan(v); }))
            return failure(QStringLiteral("Column \"%1\" has no values: all %2 rows are missing. Choose another "
                                          "column.")
                               .arg(table.names[index])
                               .arg(column.size()),
                           field);
        used.push_back(index);
        (isTarget ? set.targetNames : set.inputNames).append(table.names[index]);
        (isTarget ? set.targets : set.inputs).push_back(column);
        return success();
    };
    for (const QString &name : targets)
        if (auto r = take(name, true); !r)
            return r.error();
    for (const QString &name : inputs)
        if (auto r = take(name, false); !r)
            return r.error();
    return set;
}

Result<FillSummary> SeriesPreparation::fill(std::vector<double> &v, FillMethod method, const QString &name)
{
    FillSummary summary;
    summary.column = name;
    const qsizetype n = qsizetype(v.size());
    qsizetype first = 0;
    while (first < n && std::isnan(v[size_t(first)]))
        ++first;
    if (first == n)
        return failure(
            QStringLiteral("Column \"%1\" has no values to fill from: all %2 rows are missing.").arg(name).arg(n),
            name);
    qsizetype last = n - 1;
    while (std::isnan(v[size_t(last)]))
        --last;
    for (qsizetype i = 0; i < first; ++i)
        v[size_t(i)] = v[size_t(first)];
    summary.leading = first;
    for (qsizetype i = last + 1; i < n; ++i)
        v[size_t(i)] = v[size_t(last)];
    summary.trailing = n - 1 - last;
    qsizetype previous = first;  // index of the last valid value
    for (qsizetype i = first + 1; i <= last; ++i) {
        if (!std::isnan(v[size_t(i)])) {
            const qsizetype gap = i - previous - 1;
            if (gap > 0) {
                const double a = v[size_t(previous)];
                const double b = v[size_t(i)];
                for (qsizetype k = previous + 1; k < i; ++k) {
                    const double f = double(k - previous) / double(i - previous);
                    v[size_t(k)] = method == FillMethod::Linear ? a + (b - a) * f : a;
                }
                summary.interior += gap;
            }
            previous = i;
        }
    }
    return summary;
}

Result<std::vector<FillSummary>> SeriesPreparation::fill(SeriesSet &set, FillMethod method)
{
    std::vector<FillSummary> summaries;
    for (qsizetype k = 0; k < set.targetNames.size(); ++k) {
        auto r = fill(set.targets[size_t(k)], method, set.targetNames[k]);
        if (!r)
            return r.error();
        summaries.push_back(*r);
    }
    for (qsizetype k = 0; k < set.inputNames.size(); ++k) {
        auto r = fill(set.inputs[size_t(k)], method, set.inputNames[k]);
        if (!r)
            return r.error();
        summaries.push_back(*r);
    }
    return summaries;
}

Result<ChronologicalSplit> SeriesPreparation::split(qsizetype rows, double trainFraction, double validationFraction,
                                                    qsizetype minRows)
{
    constexpr double kSlack = 1e-9;
    if (!(trainFraction > 0 && trainFraction <= 1))
        return failure(
            QStringLiteral("The training fraction must be above 0 and at most 1 (it is %1).").arg(trainFraction),
            QStringLiteral("train_fraction"));
    if (!(validationFraction >= 0 && validationFraction < 1))
        return failure(
            QStringLiteral("The validation fraction must be from 0 to below 1 (it is %1).").arg(validationFraction),
            QStringLiteral("validation_fraction"));
    if (trainFraction + validationFraction > 1 + kSlack)
        return failure(QStringLiteral("The training (%1) and validation (%2) fractions add up to more than 1; the "
                                      "test part gets the rest. Lower one of them.")
                           .arg(trainFraction)
                           .arg(validationFraction),
                       QStringLiteral("validation_fraction"));
    ChronologicalSplit s;
    const auto trainRows = qsizetype(std::floor(double(rows) * trainFraction + kSlack));
    auto validationRows = qsizetype(std::floor(double(rows) * validationFraction + kSlack));
    if (trainFraction + validationFraction >= 1 - kSlack)
        validationRows = rows - trainRows;  // no test part: validation takes the rounding rest
    s.train = {0, trainRows};
    s.validation = {trainRows, trainRows + validationRows};
    s.test = {trainRows + validationRows, rows};
    const auto tooShort = [&](const char *part, qsizetype got) {
        return failure(QStringLiteral("The series has %1 rows: its %2 part would get %3, fewer than the %4 it needs. "
                                      "Use a longer series, a larger %2 fraction, or a shorter window.")
                           .arg(rows)
                           .arg(QLatin1String(part))
                           .arg(got)
                           .arg(minRows),
                       QStringLiteral("split"));
    };
    if (s.train.size() < minRows)
        return tooShort("training", s.train.size());
    if (validationFraction > 0 && s.validation.size() < minRows)
        return tooShort("validation", s.validation.size());
    if (trainFraction + validationFraction < 1 - kSlack && s.test.size() < minRows)
        return tooShort("test", s.test.size());
    return s;
}

std::vector<double> SeriesPreparation::difference(const std::vector<double> &values, int lag)
{
    std::vector<double> out;
    if (lag < 1 || values.size() <= size_t(lag))
        return out;
    out.resize(values.size() - size_t(lag));
    for (size_t t = 0; t < out.size(); ++t)
        out[t] = values[t + size_t(lag)] - values[t];
    return out;
}

std::vector<double> SeriesPreparation::undifference(const std::vector<double> &diffs,
                                                    const std::vector<double> &history, int lag)
{
    std::vector<double> levels(diffs.size());
    if (lag < 1 || history.size() < size_t(lag))
        return {};
    const size_t h = history.size();
    for (size_t i = 0; i < diffs.size(); ++i) {
        const double before = i >= size_t(lag) ? levels[i - size_t(lag)] : history[h - size_t(lag) + i];
        levels[i] = before + diffs[i];
    }
    return levels;
}

}  // namespace dw
