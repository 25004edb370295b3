#pragma once
// Min-max or standard scaling of series, fitted on the training rows only (so nothing of
// the validation and test parts leaks into training), with exact inverse transforms and
// parameters that round-trip through JSON, to be stored with a module and applied to new
// data at prediction time. A constant column scales by 1 instead of dividing by zero.
#include "core/util/result.h"

#include <QJsonObject>
#include <QStringList>

#include <vector>

namespace dw {

enum class ScalingKind {
    None,      // values as they are
    MinMax,    // (x − min) / (max − min): training rows in [0, 1]
    Standard,  // (x − mean) / standard deviation (population)
};

class SeriesScaler {
public:
    SeriesScaler() = default;

    static QString kindId(ScalingKind kind);  // "none", "minmax", "standard"
    static std::optional<ScalingKind> kindFromId(const QString &id);

    // Fits one (offset, scale) per column on rows [begin, end) (end −1: all rows), NaNs
    // ignored. A column without a value in that range is an error.
    static Result<SeriesScaler> fit(ScalingKind kind, const std::vector<std::vector<double>> &columns,
                                    const QStringList &names, qsizetype begin = 0, qsizetype end = -1);

    ScalingKind kind() const { return m_kind; }
    qsizetype columnCount() const { return qsizetype(m_offset.size()); }
    const QStringList &names() const { return m_names; }
    double offset(qsizetype column) const { return m_offset[size_t(column)]; }
    double scale(qsizetype column) const { return m_scale[size_t(column)]; }

    double transform(qsizetype column, double value) const { return (value - offset(column)) / scale(column); }
    double inverse(qsizetype column, double value) const { return value * scale(column) + offset(column); }
    void transform(qsizetype column, std::vector<double> &values) const;
    void inverse(qsizetype column, std::vector<double> &values) const;
    // Every column in place (columns.size() == columnCount()).
    void transform(std::vector<std::vector<double>> &columns) const;
    void inverse(std::vector<std::vector<double>> &columns) const;

    // {"kind": "minmax", "columns": [{"name", "offset", "scale", "min", "max"}, ...]};
    // "mean"/"std" instead of "min"/"max" for standard scaling.
    QJsonObject toJson() const;
    static Result<SeriesScaler> fromJson(const QJsonObject &json);

private:
    ScalingKind m_kind = ScalingKind::None;
    QStringList m_names;
    std::vector<double> m_offset;
    std::vector<double> m_scale;
};

}  // namespace dw
