#pragma once
// A JSON value as one short line for pages and tables: whole numbers without decimals,
// others to 5 significant digits, yes/no, "—" for null, compact JSON (cut at 120 characters)
// for arrays and objects.
#include <QJsonValue>
#include <QString>

namespace dw {

QString jsonValueText(const QJsonValue &value);

}  // namespace dw
