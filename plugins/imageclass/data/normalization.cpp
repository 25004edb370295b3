#include "plugins/imageclass/data/normalization.h"

#include <QJsonArray>

#include <algorithm>
#include <cmath>

namespace dw::imageclass {

Normalization Normalization::identity(int channels)
{
    return {std::vector<float>(static_cast<std::size_t>(std::max(0, channels)), 0.0f),
            std::vector<float>(static_cast<std::size_t>(std::max(0, channels)), 1.0f)};
}

Normalization Normalization::imagenet()
{
    return {{0.485f, 0.456f, 0.406f}, {0.229f, 0.224f, 0.225f}};
}

QJsonObject Normalization::toJson() const
{
    QJsonArray m, s;
    for (const float v : mean)
        m.append(static_cast<double>(v));
    for (const float v : std)
        s.append(static_cast<double>(v));
    return {{QStringLiteral("mean"), m}, {QStringLiteral("std"), s}};
}

Result<Normalization> Normalization::fromJson(const QJsonObject &json)
{
    const QJsonArray m = json.value(QStringLiteral("mean")).toArray();
    const QJsonArray s = json.value(QStringLiteral("std")).toArray();
    if (m.isEmpty() || m.size() != s.size())
        return failure(QStringLiteral("needs 'mean' and 'std' lists of one number per channel, of the same length."),
                       QStringLiteral("normalization"));
    Normalization n;
    for (qsizetype i = 0; i < m.size(); ++i) {
        const double mean = m[i].toDouble(NAN), std = s[i].toDouble(NAN);
        if (!std::isfinite(mean) || !std::isfinite(std) || std <= 0.0)
            return failure(QStringLiteral("channel %1: the mean must be a number and the std a number above 0.").arg(i),
                           QStringLiteral("normalization"));
        n.mean.push_back(static_cast<float>(mean));
        n.std.push_back(static_cast<float>(std));
    }
    return n;
}

}  // namespace dw::imageclass
