#include "ui/catalog/task_style.h"

#include <QHash>
#include <QObject>

namespace dw {

QString taskDisplayName(const QString &task)
{
    static const QHash<QString, QString> names{
        {QStringLiteral("image-classification"), QObject::tr("Image classification")},
        {QStringLiteral("super-resolution"), QObject::tr("Super-resolution")},
        {QStringLiteral("time-series"), QObject::tr("Time series")},
    };
    if (const auto it = names.constFind(task); it != names.constEnd())
        return *it;
    if (task.isEmpty())
        return QObject::tr("No task");
    QString readable = task;
    readable.replace(QLatin1Char('-'), QLatin1Char(' ')).replace(QLatin1Char('_'), QLatin1Char(' '));
    readable[0] = readable[0].toUpper();
    return readable;
}

QColor taskColor(const QString &task)
{
    static const QHash<QString, QColor> colors{
        {QStringLiteral("image-classification"), QColor(0x2e, 0x7d, 0x32)},
        {QStringLiteral("super-resolution"), QColor(0x6a, 0x1b, 0x9a)},
        {QStringLiteral("time-series"), QColor(0xef, 0x6c, 0x00)},
    };
    if (const auto it = colors.constFind(task); it != colors.constEnd())
        return *it;
    return QColor::fromHsl(int(qHash(task) % 360), 120, 90);
}

}  // namespace dw
