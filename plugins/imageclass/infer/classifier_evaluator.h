#pragma once
// A loaded classifier measured on labelled images: accuracy, per-class scores and the
// confusion matrix (core/ml/classification_metrics.h), and a predictions file with every
// image's truth, prediction and probabilities.
#include "core/jobs/job_context.h"
#include "core/ml/classification_metrics.h"
#include "core/util/result.h"
#include "plugins/imageclass/data/image_sample.h"
#include "plugins/imageclass/infer/image_inputs.h"
#include "plugins/imageclass/infer/loaded_classifier.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <vector>

namespace dw::imageclass {

struct EvaluationReport {
    ClassificationReport report;
    qint64 evaluated = 0, skipped = 0;
    std::vector<SkippedImage> skippedImages;
    QString predictionsPath;  // empty when none was asked for
    double seconds = 0;
    // report.toJson() plus "evaluated", "skipped", "predictions".
    QJsonObject toJson() const;
};

struct EvaluateOptions {
    int batchSize = 32;
    int threads = 0;  // decoding threads; 0: from the hardware (at most 4)
    ml::Precision precision = ml::Precision::Fp32;
};

// samples' labels index datasetClasses; they are mapped to the module's labels by name (a
// class the module does not know: an error naming it). predictionsCsvPath non-empty: writes
// "file,truth,prediction,p_<label>..." there (QSaveFile). Unreadable images are skipped and
// counted; the run fails only when none can be read, on cancellation or a write error.
Result<EvaluationReport> evaluateClassifier(LoadedClassifier &classifier, const std::vector<ImageSample> &samples,
                                            const QStringList &datasetClasses, const QString &predictionsCsvPath,
                                            JobContext &context, const EvaluateOptions &options = {});

}  // namespace dw::imageclass
