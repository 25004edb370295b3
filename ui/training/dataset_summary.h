#pragma once
// A first look at a training folder, taken on a worker thread before training: images per
// class (folder per class, also under train/, val/ and test/), a few sample thumbnails per
// class, and the problems a scientist should fix first (unreadable files, tiny classes).
// Split files and CSV manifests are summarised by the task itself when it trains.
#include "core/util/result.h"

#include <QImage>
#include <QList>
#include <QMetaType>
#include <QStringList>

#include <map>

namespace dw {

struct DatasetSummary {
    QString root;
    QStringList classes;           // sorted
    QList<qint64> counts;          // images per class, as classes
    QList<QList<QImage>> samples;  // up to kSamplesPerClass thumbnails per class
    QStringList problems;          // one sentence each
    qint64 images = 0;
    qint64 unreadable = 0;
    // The folder's own split (train/, val/ or validation/, test/), with its readable images;
    // empty when the task splits the images itself (val/test fractions).
    QStringList splits;
    QList<qint64> splitImages;  // as splits

    static constexpr int kSamplesPerClass = 4;
    static constexpr int kTinyClass = 5;  // fewer images than this: too few to learn or test
    static constexpr int kMaxProblemFiles = 20;

    // cancelled: polled between files (a job's isCancelled).
    static Result<DatasetSummary> scan(const QString &root, const std::function<bool()> &cancelled = {});
};

}  // namespace dw

Q_DECLARE_METATYPE(dw::DatasetSummary)
