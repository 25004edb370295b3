#pragma once
// The per-epoch checkpoint of a training run, saved and resumed the same way by every task's
// trainer: the metadata holds at least "history" (TrainingHistory JSON) and "early_stopping"
// (EarlyStopping JSON) next to whatever the task must match on resume (network, data, ...).
#include "core/ml/early_stopping.h"
#include "core/ml/torch/model_snapshot.h"
#include "core/ml/training_history.h"
#include "core/util/result.h"

#include <torch/nn/module.h>
#include <torch/optim/optimizer.h>
#include <torch/types.h>

#include <QJsonObject>
#include <QString>

#include <QStringList>

#include <initializer_list>

namespace dw::ml {

struct ResumedTraining {
    int epoch = 0;            // the last completed epoch
    QJsonObject meta;         // the checkpoint's metadata, for the task's own parts
    TrainingHistory history;  // its "stopped" cleared
    EarlyStopping stopping;   // with the patience asked for now
    NamedTensors best;        // the best weights so far
};

// Resumes from `path`: refuses (field "resume") when a key of `mustMatch` differs between
// the checkpoint's metadata and `current`, loads the model's and optimiser's state, restores
// the random generators and returns the rest.
Result<ResumedTraining> resumeTraining(const QString &path, const QJsonObject &current,
                                       std::initializer_list<const char *> mustMatch, torch::nn::Module &model,
                                       torch::optim::Optimizer &optimizer, const torch::Device &device, int patience);
Result<ResumedTraining> resumeTraining(const QString &path, const QJsonObject &current, const QStringList &mustMatch,
                                       torch::nn::Module &model, torch::optim::Optimizer &optimizer,
                                       const torch::Device &device, int patience);

// Writes the checkpoint of `epoch` (creating its folder) with the random generators' state.
Result<void> saveEpochCheckpoint(const QString &path, int epoch, const QJsonObject &meta, const NamedTensors &best,
                                 const torch::nn::Module &model, const torch::optim::Optimizer &optimizer);

}  // namespace dw::ml
