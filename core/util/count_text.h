#pragma once
// A count with its noun in the right number, the one form every text that counts uses:
// "1 module", "3 modules", "2 of 5 modules" (never "3 module(s)" or "Modules: 3"). English
// only: Qt's "%n module(s)" needs a translation file to become singular or plural.
#include <QString>

namespace dw {

inline QString countText(qint64 n, const QString &singular, const QString &plural)
{
    return QStringLiteral("%1 %2").arg(n).arg(n == 1 ? singular : plural);
}

inline QString moduleCountText(qint64 n)
{
    return countText(n, QStringLiteral("module"), QStringLiteral("modules"));
}

// shown of total, the noun agreeing with total: "0 of 1 module", "2 of 5 modules".
inline QString moduleCountText(qint64 shown, qint64 total)
{
    return QStringLiteral("%1 of %2").arg(shown).arg(moduleCountText(total));
}

}  // namespace dw
