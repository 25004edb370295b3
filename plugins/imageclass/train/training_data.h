#pragma once
// The data side of a training run: the dataset opened and split with the request's seed
// (or its own split), checked (a report in the job log), and the samples of each part.
#include "core/jobs/job_context.h"
#include "core/util/result.h"
#include "plugins/imageclass/data/dataset_report.h"
#include "plugins/imageclass/data/dataset_split.h"
#include "plugins/imageclass/data/image_dataset.h"
#include "plugins/imageclass/train/train_request.h"

#include <QJsonObject>

#include <vector>

namespace dw::imageclass {

struct TrainingData {
    ImageDataset dataset;
    DatasetSplit split;
    DatasetReport report;
    std::vector<ImageSample> train, validation, test;

    // Opens, splits and reports (headers only: fast). Errors: unreadable dataset, a single
    // or empty class, a class without training images, no validation images.
    static Result<TrainingData> load(const TrainRequest &request, JobContext &context);

    const QStringList &classes() const { return dataset.classes(); }
    std::vector<qint64> trainCountsPerClass() const;
    // True when every readable image has one (grey) or two (grey + alpha) channels.
    bool allGrey() const;
    QStringList trainPaths() const;
    // module.json's "training_data": format, root, hash, images, per_class, train, val,
    // test, skipped.
    QJsonObject provenance() const;
};

}  // namespace dw::imageclass
