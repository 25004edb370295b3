#include "ui/catalog/json_text.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtMath>

namespace dw {

QString jsonValueText(const QJsonValue &value)
{
    if (value.isDouble()) {
        const double number = value.toDouble();
        return number == qRound64(number) && qAbs(number) < 1e15 ? QString::number(qint64(number))
                                                                 : QString::number(number, 'g', 5);
    }
    if (value.isString())
        return value.toString();
    if (value.isBool())
        return value.toBool() ? QCoreApplication::translate("dw", "yes") : QCoreApplication::translate("dw", "no");
    if (value.isNull() || value.isUndefined())
        return QStringLiteral("—");
    const QByteArray json = value.isArray() ? QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact)
                                            : QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact);
    const QString text = QString::fromUtf8(json);
    return text.size() > 120 ? text.left(117) + QStringLiteral("…") : text;
}

}  // namespace dw
