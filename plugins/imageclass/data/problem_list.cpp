#include "plugins/imageclass/data/problem_list.h"

namespace dw::imageclass {

void ProblemList::add(const QString &file, int line, const QString &message)
{
    ++m_count;
    if (m_lines.size() >= m_maxShown)
        return;
    QString where = file;
    if (!where.isEmpty() && line > 0)
        where += QLatin1Char(':') + QString::number(line);
    m_lines.append(where.isEmpty() ? message : where + QStringLiteral(": ") + message);
}

Error ProblemList::toError(const QString &summary, const QString &field) const
{
    QString text = summary;
    for (const QString &line : m_lines)
        text += QStringLiteral("\n  ") + line;
    if (m_count > m_lines.size())
        text += QStringLiteral("\n  … and %1 more").arg(m_count - m_lines.size());
    return Error::at(field, text);
}

}  // namespace dw::imageclass
