#pragma once
// Trains an image classifier end to end and writes its module folder.
//
// The run: the dataset is opened, split with the seed (or its own split) and reported; the
// normalisation is estimated from the training images (or taken from the parent); the
// network is built (seeded) or taken from a parent module for transfer learning; batches
// come from a deterministic loader; the optimiser follows a per-batch schedule with
// warm-up; the best epoch by validation accuracy is kept and restored at the end; early
// stopping after `patience` epochs without improvement.
//
// Files in request.moduleDir: checkpoints/last.pt after every epoch; at the end weights.pt
// (best model), history.json and module.json.
//
// Resume (request.resume): continues after the epoch of checkpoints/last.pt. On the CPU a run
// stopped after epoch k and resumed ends with bitwise the same weights as an uninterrupted
// run with the same request: model, optimiser, random generators, history, early stopping
// and best model all come back from the checkpoint, and the loader is deterministic per
// (seed, epoch).
//
// Cancel (context.isCancelled(), checked every batch; or request.stopAfterEpoch): returns
// at once with outcome.stopped == "cancelled". Nothing is written but the checkpoint of the
// last completed epoch, which stays as it was, so that the run can be resumed; no module is
// written (there is no finished model to describe).
//
// Errors come back as Result errors: bad requests, unreadable or unusable datasets (a single
// class, an empty class, missing files), a parent whose weights do not fit its architecture,
// a loss that became NaN (with the epoch, batch and learning rate), LibTorch failures.
#include "core/jobs/job_context.h"
#include "core/task/training_estimate.h"
#include "core/util/result.h"
#include "plugins/imageclass/train/train_request.h"

namespace dw::imageclass {

Result<TrainOutcome> trainClassifier(const TrainRequest &request, JobContext &context);

// How long trainClassifier(request) would take on context.device(): the data opened and split,
// the network, optimiser and training loader built as it would build them (pretrained weights
// are not fetched: the network is timed with random ones, frozen as the request says), a few
// batches timed after a warm-up one (core/ml/torch/step_probe.h). Nothing is written.
Result<TrainingEstimate> estimateClassifierTraining(const TrainRequest &request, JobContext &context);

// <moduleDir>/checkpoints/last.pt
QString checkpointPath(const QString &moduleDir);

}  // namespace dw::imageclass
