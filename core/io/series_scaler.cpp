#include "core/io/series_scaler.h"

#include <QJsonArray>

#include <cmath>

namespace dw {

QString SeriesScaler::kindId(ScalingKind kind)
{
    switch (kind) {
    case ScalingKind::None:
        return QStringLiteral("none");
    case ScalingKind::MinMax:
        return QStringLiteral("minmax");
    case ScalingKind::Standard:
        return QStringLiteral("standard");
    }
    return {};
}

std::optional<ScalingKind> SeriesScaler::kindFromId(const QString &id)
{
    const QString s = id.trimmed().toLower();
    if (s == QLatin1String("none") || s.isEmpty())
        return ScalingKind::None;
    if (s == QLatin1String("minmax") || s == QLatin1String("min-max"))
        return ScalingKind::MinMax;
    if (s == QLatin1String("standard") || s == QLatin1String("zscore") || s == QLatin1String("z-score"))
        return ScalingKind::Standard;
    return std::nullopt;
}

Result<SeriesScaler> SeriesScaler::fit(ScalingKind kind, const std::vector<std::vector<double>> &columns,
                                       const QStringList &names, qsizetype begin, qsizetype end)
{
    SeriesScaler s;
    s.m_kind = kind;
    for (size_t c = 0; c < columns.size(); ++c) {
        const QString name = qsizetype(c) < names.size() ? names[qsizetype(c)] : QStringLiteral("column %1").arg(c + 1);
        s.m_names.append(name);
        const auto &v = columns[c];
        const qsizetype stop = end < 0 ? qsizetype(v.size()) : std::min(end, qsizetype(v.size()));
        double lo = INFINITY, hi = -INFINITY, sum = 0;
        qint64 count = 0;
        for (qsizetype i = std::max<qsizetype>(begin, 0); i < stop; ++i) {
            const double x = v[size_t(i)];
            if (std::isnan(x))
                continue;
            lo = std::min(lo, x);
            hi = std::max(hi, x);
            sum += x;
            ++count;
        }
        if (count == 0 && kind != ScalingKind::None)
            return failure(QStringLiteral("Column \"%1\" has no values in the training rows, so it cannot be "
                                          "scaled. Fill the missing values or choose a longer training part.")
                               .arg(name),
                           name);
        // Past about 1e150 the squares and sums of the scaling overflow to infinity, and training
        // turns to NaN: say so here, naming the value, rather than blame the learning rate later.
        constexpr double kLargest = 1e150;
        if (count > 0 && (!std::isfinite(sum) || std::max(std::abs(lo), std::abs(hi)) > kLargest))
            return failure(
                QStringLiteral("Column \"%1\" holds values as large as %2, too large to compute with (the limit is "
                               "about %3). Check the column (a unit or parse error?) or rescale it, e.g. divide it "
                               "by a power of ten, before training.")
                    .arg(name)
                    .arg(std::abs(lo) > std::abs(hi) ? lo : hi, 0, 'g', 4)
                    .arg(kLargest, 0, 'g', 2),
                name);
        double offset = 0, scale = 1;
        if (kind == ScalingKind::MinMax) {
            offset = lo;
            scale = hi - lo;
        } else if (kind == ScalingKind::Standard) {
            offset = sum / double(count);
            double squares = 0;
            for (qsizetype i = std::max<qsizetype>(begin, 0); i < stop; ++i)
                if (!std::isnan(v[size_t(i)]))
                    squares += (v[size_t(i)] - offset) * (v[size_t(i)] - offset);
            scale = std::sqrt(squares / double(count));
        }
        // A constant column: dividing by zero would turn it into NaN.
        if (!(scale > 0) || !std::isfinite(scale))
            scale = 1;
        s.m_offset.push_back(offset);
        s.m_scale.push_back(scale);
    }
    return s;
}

void SeriesScaler::transform(qsizetype column, std::vector<double> &values) const
{
    for (double &v : values)
        v = transform(column, v);
}

void SeriesScaler::inverse(qsizetype column, std::vector<double> &values) const
{
    for (double &v : values)
        v = inverse(column, v);
}

void SeriesScaler::transform(std::vector<std::vector<double>> &columns) const
{
    for (size_t c = 0; c < columns.size() && qsizetype(c) < columnCount(); ++c)
        transform(qsizetype(c), columns[c]);
}

void SeriesScaler::inverse(std::vector<std::vector<double>> &columns) const
{
    for (size_t c = 0; c < columns.size() && qsizetype(c) < columnCount(); ++c)
        inverse(qsizetype(c), columns[c]);
}

QJsonObject SeriesScaler::toJson() const
{
    QJsonArray columns;
    for (qsizetype c = 0; c < columnCount(); ++c) {
        QJsonObject o{{QStringLiteral("name"), m_names.value(c)},
                      {QStringLiteral("offset"), offset(c)},
                      {QStringLiteral("scale"), scale(c)}};
        if (m_kind == ScalingKind::MinMax) {
            o.insert(QStringLiteral("min"), offset(c));
            o.insert(QStringLiteral("max"), offset(c) + scale(c));
        } else if (m_kind == ScalingKind::Standard) {
            o.insert(QStringLiteral("mean"), offset(c));
            o.insert(QStringLiteral("std"), scale(c));
        }
        columns.append(o);
    }
    return {{QStringLiteral("kind"), kindId(m_kind)}, {QStringLiteral("columns"), columns}};
}

Result<SeriesScaler> SeriesScaler::fromJson(const QJsonObject &json)
{
    const auto kind = kindFromId(json.value(QStringLiteral("kind")).toString());
    if (!kind)
        return failure(QStringLiteral("Unknown scaling \"%1\" (expected none, minmax or standard).")
                           .arg(json.value(QStringLiteral("kind")).toString()),
                       QStringLiteral("scaling.kind"));
    SeriesScaler s;
    s.m_kind = *kind;
    const QJsonArray columns = json.value(QStringLiteral("columns")).toArray();
    for (qsizetype c = 0; c < columns.size(); ++c) {
        const QJsonObject o = columns[c].toObject();
        const QJsonValue offset = o.value(QStringLiteral("offset"));
        const QJsonValue scale = o.value(QStringLiteral("scale"));
        if (!offset.isDouble() || !scale.isDouble() || !(scale.toDouble() > 0))
            return failure(QStringLiteral("Scaling column %1 needs a number \"offset\" and a positive number "
                                          "\"scale\". The module's scaling parameters are damaged: train it again.")
                               .arg(c + 1),
                           QStringLiteral("scaling.columns"));
        s.m_names.append(o.value(QStringLiteral("name")).toString());
        s.m_offset.push_back(offset.toDouble());
        s.m_scale.push_back(scale.toDouble());
    }
    return s;
}

}  // namespace dw
