#pragma once
#include <QIcon>
#include <QString>

namespace dw {

// An icon of resources/icons (compiled into dwui as :/icons/<name>.svg).
QIcon icon(const QString &name);

}  // namespace dw
