#pragma once
// How a task is named and coloured wherever the GUI shows it (badges, chips, pages).
#include <QColor>
#include <QString>

namespace dw {

// "image-classification" → "Image classification"; unknown ids are made readable.
QString taskDisplayName(const QString &task);
// A stable badge colour per task, dark enough for white text.
QColor taskColor(const QString &task);

}  // namespace dw
