#pragma once
// Trains a DSen2-style super-resolution network on the user's own rasters by Wald's protocol
// and writes its module folder.
//
// The run: the per-band normalisation is fitted on the rasters' valid pixels; each raster is
// degraded by the scale and upsampled back (bicubic) to make the inputs, the originals are
// the targets (see SrTrainingData); the bottom rows of each raster are held out for
// validation. Every epoch draws fresh random training patches (seeded by seed and epoch);
// L1 loss over the valid pixels; Adam or NAdam; the learning rate is lowered on a plateau of
// the validation L1 (ReduceOnPlateau); early stopping after `patience` epochs without a
// better validation L1; the best epoch's weights are kept and written at the end.
//
// Per epoch the context gets: train L1, validation L1, validation PSNR of the model and of
// plain bicubic upsampling (dB, averaged over bands), the learning rate and the time.
//
// Files in request.moduleDir: checkpoints/last.pt after every epoch; at the end weights.pt,
// history.json and module.json (see module/sr_module.h).
//
// Resume continues after the epoch of checkpoints/last.pt; on the CPU the result is bitwise
// that of an uninterrupted run (model, optimiser, plateau, early stopping, history, best
// weights come back; the patches depend only on seed and epoch). Cancel (checked every
// batch) returns with stopped == "cancelled", keeps the last checkpoint and writes no
// module. A loss that turns NaN or infinite stops the run with an error naming epoch and
// batch.
#include "core/jobs/job_context.h"
#include "core/task/training_estimate.h"
#include "core/util/result.h"
#include "plugins/superres/train/sr_train_request.h"

namespace dw::superres {

Result<SrTrainOutcome> trainSuperResolution(const SrTrainRequest &request, JobContext &context);

// How long trainSuperResolution(request) would take on context.device(): the training data
// built, the network and optimiser set up as it would set them up, a few batches of patches
// timed after a warm-up one (core/ml/torch/step_probe.h). Nothing is written.
Result<TrainingEstimate> estimateSuperResolutionTraining(SrTrainRequest request, JobContext &context);

// <moduleDir>/checkpoints/last.pt
QString srCheckpointPath(const QString &moduleDir);

}  // namespace dw::superres
