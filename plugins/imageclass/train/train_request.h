#pragma once
// What a training run is asked to do and what came of it (see trainClassifier()).
#include "core/util/result.h"
#include "plugins/imageclass/data/image_sample.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <vector>

namespace dw::imageclass {

struct TrainRequest {
    QString dataPath, moduleDir, moduleId, title;       // moduleId empty: from the folder name; title empty: the id
    QString architecture = QStringLiteral("resnet18");  // taken from the parent when re-training
    int epochs = 10, batchSize = 64;
    int imageSize = 0;  // 0: the parent's, else 28 for smallcnn and 224 for the others
    int channels = 0;   // 0: the parent's, else 1 when every image is grey and 3 otherwise
    double learningRate = 1e-3, warmupEpochs = 0, weightDecay = 1e-4, labelSmoothing = 0.0;
    QString optimizer = QStringLiteral("adamw");  // sgd (Nesterov momentum 0.9) | adam | adamw
    // cosine (to 0 at the end) | step (×0.1 every third of the epochs) | constant; per batch,
    // after a linear warm-up of warmupEpochs.
    QString schedule = QStringLiteral("cosine");
    bool balancedClassWeights = false, augment = true, resume = false;
    int patience = 0;                            // 0: no early stopping (the best epoch is still restored at the end)
    int workers = 0;                             // decoding threads; 0: one per core
    QString precision = QStringLiteral("auto");  // auto | fp32 | bf16 (training_device.h)
    quint64 seed = 42;
    double valFraction = 0.1, testFraction = 0.1;  // when the data has no split of its own
    // Without a parent: where the weights start (pretrained_start.h): random | imagenet | auto |
    // a weights file. The library default is random; the task's argument defaults to auto.
    QString init = QStringLiteral("random");
    QString parentDir;                        // transfer learning: the parent module's folder
    QString freeze = QStringLiteral("full");  // with a parent or pretrained weights: head | partial | full
    int stopAfterEpoch = 0;                   // > 0: stop (as if cancelled) after this epoch (tests of resume)
};

struct TrainOutcome {
    QString moduleDir;
    int epochsRun = 0;  // the last completed epoch (counting epochs before a resume)
    int bestEpoch = 0;
    double bestValAccuracy = 0;
    QString stopped;                          // completed | early-stopping | cancelled
    qint64 skipped = 0;                       // unreadable images met while training and validating
    double seconds = 0, imagesPerSecond = 0;  // of this call's training passes
    double testTop1 = -1, testTop5 = -1;      // of the restored best model; -1 without test images
    QStringList classes;
    std::vector<ImageSample> testSamples;  // for the final evaluation
};

// Empty when the request can run, else what is wrong and what to do (field = argument name).
Result<void> checkTrainRequest(const TrainRequest &request);

// Every setting of the request under the names of the train arguments (module.json's
// "hyper-parameters").
QJsonObject hyperParametersJson(const TrainRequest &request);

}  // namespace dw::imageclass
