#pragma once
// Reads a training job's progress as the trainers report it through JobContext: the
// per-batch progress message ("epoch 3/10, batch 120/469, loss 0.412 …") and the per-epoch
// log line ("epoch 3/10: train loss …, accuracy … %; val loss …, accuracy … %; lr …; …").
// Parsing what every front end already sees keeps core free of GUI-only channels.
#include <QString>

#include <optional>

namespace dw {

struct EpochPoint {
    int epoch = 0;
    int epochs = 0;
    double trainLoss = 0, trainAccuracy = 0;  // accuracy as a fraction
    double valLoss = 0, valAccuracy = 0;
    double lr = 0;
    bool best = false;
};

struct BatchPoint {
    int epoch = 0, epochs = 0;
    int batch = 0, batches = 0;
    double loss = 0;  // the running mean of the epoch so far
    double position() const { return epoch - 1 + (batches > 0 ? double(batch) / batches : 0.0); }  // in epochs
};

class TrainingLogParser {
public:
    static std::optional<EpochPoint> parseEpochLine(const QString &line);
    static std::optional<BatchPoint> parseProgress(const QString &message);
};

}  // namespace dw
