#pragma once
// A duration for progress messages (time left, time taken): "42s", "3m07s", "1h05m".
#include <QString>

#include <cmath>

namespace dw {

inline QString durationText(double seconds)
{
    const auto s = static_cast<qint64>(std::llround(seconds));
    if (s >= 3600)
        return QStringLiteral("%1h%2m").arg(s / 3600).arg((s % 3600) / 60, 2, 10, QLatin1Char('0'));
    if (s >= 60)
        return QStringLiteral("%1m%2s").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1s").arg(s);
}

}  // namespace dw
