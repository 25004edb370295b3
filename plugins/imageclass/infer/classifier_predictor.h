#pragma once
// Top-k prediction for image files and folders with a loaded classifier: batched, optionally
// with test-time augmentation and Grad-CAM heat maps. Unreadable images are skipped,
// counted and reported; they never end the run.
#include "core/jobs/job_context.h"
#include "core/task/task_result.h"
#include "core/util/result.h"
#include "plugins/imageclass/infer/image_inputs.h"
#include "plugins/imageclass/infer/loaded_classifier.h"

#include <QString>
#include <QStringList>

#include <vector>

namespace dw::imageclass {

struct PredictOptions {
    int top = 5;           // labels per image (at most the number of classes)
    int tta = 1;           // views averaged: 1 off, up to testTimeViewCount()
    QString camDirectory;  // non-empty: a Grad-CAM overlay <basename>_cam.png per image there
    QString camClass;      // the class (label) the heat maps are for; empty: each image's top class
    int batchSize = 32;
    int threads = 0;  // decoding threads; 0: from the hardware (at most 4)
    ml::Precision precision = ml::Precision::Fp32;
};

// What the ClassificationResult does not carry: counts and the images that were skipped.
struct PredictionSummary {
    qint64 predicted = 0;
    qint64 skipped = 0;
    std::vector<SkippedImage> skippedImages;  // path and reason, in input order
    double seconds = 0;
};

// paths: image files and/or folders (recursed, sorted). Items come in input order, one per
// readable image; each skipped image is logged to the job and listed in *summary. Fails
// only when nothing could be classified (every reason is in the message), on a bad option,
// on cancellation, or when a heat map cannot be written.
Result<ClassificationResult> predictImages(LoadedClassifier &classifier, const QStringList &paths,
                                           const PredictOptions &options, JobContext &context,
                                           PredictionSummary *summary = nullptr);

// "path,label_1,probability_1,...,label_k,probability_k" and one row per image, labels in
// rank order (k: the longest top list). Fields are quoted as RFC 4180 asks.
QString classificationToCsv(const ClassificationResult &result);

// One CSV field, quoted when it holds a comma, a quote or a line break.
QString csvField(const QString &text);

}  // namespace dw::imageclass
