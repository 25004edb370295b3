#pragma once
// Writes the module folder at the end of a run: weights.pt (the restored best model),
// history.json and module.json with hyper-parameters, inputs, labels, metrics, parent and
// the provenance of the training data.
#include "core/ml/training_history.h"
#include "core/util/result.h"
#include "plugins/imageclass/data/normalization.h"
#include "plugins/imageclass/models/classifier.h"
#include "plugins/imageclass/train/train_request.h"
#include "plugins/imageclass/train/training_data.h"

#include <QJsonObject>
#include <QString>

namespace dw::imageclass {

struct TrainedModule {
    const TrainRequest *request = nullptr;
    const TrainingData *data = nullptr;
    const ClassifierImpl *model = nullptr;  // with the best weights restored
    int channels = 3, imageSize = 224;
    Normalization normalization;
    TrainingHistory history;
    QJsonObject metrics;
    QString parentId;            // empty unless re-trained
    QString freeze;              // "full" when the run started from random weights
    QJsonObject initialization;  // where the weights started (pretrained_start.h): module.json "initialization"
    QString precision;           // what the run trained in: "fp32" or "bf16" (hyper-parameters "precision")
};

class TrainedModuleWriter {
public:
    static Result<void> write(const TrainedModule &module);
    // A catalog id from a folder name: lower case, [a-z0-9._-], starting with a letter or digit.
    static QString idFromFolder(const QString &folder);
};

}  // namespace dw::imageclass
