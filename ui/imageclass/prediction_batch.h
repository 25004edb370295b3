#pragma once
// What a prediction job hands to the GUI thread: the task's result and a thumbnail per
// image, decoded on the worker so that the GUI thread never reads image files.
#include "core/task/task_result.h"

#include <QImage>
#include <QList>
#include <QMetaType>

namespace dw {

struct PredictionBatch {
    ClassificationResult result;
    QList<QImage> thumbnails;  // one per result item (null when unreadable)
    QString moduleTitle;
    QString moduleId;  // the classifier that made them
    static constexpr int kThumbnailSide = 96;
    // Reads a thumbnail at most side × side, keeping the aspect ratio (worker threads).
    static QImage readThumbnail(const QString &path, int side = kThumbnailSide);
};

}  // namespace dw

Q_DECLARE_METATYPE(dw::PredictionBatch)
