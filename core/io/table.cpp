#include "core/io/table.h"

#include <cmath>

namespace dw {

qsizetype Table::columnIndex(const QString &name) const
{
    const qsizetype exact = names.indexOf(name);
    if (exact >= 0)
        return exact;
    for (qsizetype i = 0; i < names.size(); ++i)
        if (names[i].compare(name.trimmed(), Qt::CaseInsensitive) == 0)
            return i;
    return -1;
}

QDateTime Table::dateTime(qsizetype row) const
{
    if (!hasTime() || row < 0 || row >= qsizetype(time.size()))
        return {};
    return QDateTime::fromMSecsSinceEpoch(qint64(std::llround(time[size_t(row)] * 1000.0)), Qt::UTC);
}

QString Table::timeText(qsizetype row) const
{
    if (!hasTime() || row < 0 || row >= qsizetype(time.size()))
        return QString::number(row + 1);
    return TimestampParser::toText(time[size_t(row)], timeFormat);
}

}  // namespace dw
