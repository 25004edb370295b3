#pragma once
// Turns an imported Table into the series a forecaster trains on: targets and extra inputs
// chosen by name, missing values filled (and counted), a chronological train/validation/
// test split, and differencing with its exact inverse. Scaling is SeriesScaler's and the
// windows SlidingWindows'; everything here is plain arrays, no LibTorch.
#include "core/io/table.h"
#include "core/util/result.h"

#include <QJsonObject>
#include <QStringList>

#include <vector>

namespace dw {

// The chosen columns of a table, all of the same length, in time order.
struct SeriesSet {
    QStringList targetNames;
    QStringList inputNames;                    // extra inputs (exogenous), never forecast
    std::vector<std::vector<double>> targets;  // targets[k][row]
    std::vector<std::vector<double>> inputs;   // inputs[k][row]
    std::vector<double> time;                  // seconds since 1970 (Table::time); empty without a time column
    TimeFormat timeFormat = TimeFormat::None;

    qsizetype length() const { return targets.empty() ? 0 : qsizetype(targets.front().size()); }
    // What a model reads: the targets first, then the extra inputs.
    std::vector<std::vector<double>> features() const;
    QStringList featureNames() const { return targetNames + inputNames; }
};

enum class FillMethod {
    Linear,       // straight line between the neighbouring values (by row)
    ForwardFill,  // the last value seen is carried on
};

// What filling did to one column. Gaps at the very start cannot be interpolated or carried:
// they take the first value (leading); gaps at the end take the last value (trailing).
struct FillSummary {
    QString column;
    qint64 interior = 0;
    qint64 leading = 0;
    qint64 trailing = 0;
    qint64 total() const { return interior + leading + trailing; }
    QJsonObject toJson() const;
};

struct RowRange {
    qsizetype begin = 0;
    qsizetype end = 0;  // exclusive
    qsizetype size() const { return end - begin; }
};

struct ChronologicalSplit {
    RowRange train;
    RowRange validation;
    RowRange test;
    QJsonObject toJson() const;
};

class SeriesPreparation {
public:
    static QString fillMethodId(FillMethod method);  // "linear", "forward"
    static std::optional<FillMethod> fillMethodFromId(const QString &id);

    // Targets (at least one) and extra inputs by column name (case-insensitive). A name
    // both a target and an input is a target. Unknown names and columns without a single
    // value are errors that list what there is.
    static Result<SeriesSet> select(const Table &table, const QStringList &targets, const QStringList &inputs = {});

    // Fills the NaNs of one series in place. An all-missing series is an error.
    static Result<FillSummary> fill(std::vector<double> &values, FillMethod method, const QString &name = {});
    // Every target and input of the set; one summary per column, in featureNames() order.
    static Result<std::vector<FillSummary>> fill(SeriesSet &set, FillMethod method);

    // Rows [0, n) cut in time order: the first trainFraction for training, the next
    // validationFraction for validation, the rest for testing (which may be empty when the
    // two fractions add up to 1). Each non-empty fraction must give at least minRows rows.
    static Result<ChronologicalSplit> split(qsizetype rows, double trainFraction, double validationFraction,
                                            qsizetype minRows = 1);

    // y[t] = x[t + lag] − x[t]: lag fewer values than x (none when x is not longer than lag).
    static std::vector<double> difference(const std::vector<double> &values, int lag = 1);
    // The inverse: levels from differences and the `lag` values observed just before the
    // first difference (history holds at least lag values; its last lag are used). Gives
    // diffs.size() levels. A multi-step forecast of differences undifferences the same way.
    static std::vector<double> undifference(const std::vector<double> &diffs, const std::vector<double> &history,
                                            int lag = 1);
};

}  // namespace dw
