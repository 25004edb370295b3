#pragma once
// Trains a forecaster end to end and writes its module folder.
//
// The run: the CSV is read and the targets and inputs chosen, gaps filled; the rows are cut
// in time order into training, validation and test parts; differencing (optional) and the
// scaling are fitted on the training rows; windows of W rows forecast the next H rows of
// every target. Mean squared error (or MAE, Huber), Adam(W)/SGD with a per-batch learning-rate schedule,
// gradient clipping at norm 1; the epoch with the lowest validation loss is kept and
// restored at the end; early stopping after `patience` epochs without improvement.
//
// At the end: one-step forecasts over the whole series; the anomaly threshold of each target
// from its validation residuals; MAE, RMSE, SMAPE and R² on the test rows (the validation
// rows without a test part) next to naive persistence and seasonal naive.
//
// Files in request.moduleDir: checkpoints/last.pt after every epoch; at the end weights.pt,
// history.json and module.json (see forecast_module.h).
//
// Resume continues after the epoch of checkpoints/last.pt; on the CPU the result is bitwise
// that of an uninterrupted run (model, optimiser, random generators, history, early
// stopping and the best weights come back). Cancel (checked every batch) returns with
// stopped == "cancelled" and leaves the last checkpoint for resuming; no module is written.
// A loss that turns NaN or infinite stops the run with an error naming the epoch and batch.
#include "core/jobs/job_context.h"
#include "core/task/training_estimate.h"
#include "core/util/result.h"
#include "plugins/timeseries/train/forecast_request.h"

namespace dw::timeseries {

Result<ForecastTrainOutcome> trainForecaster(const ForecastTrainRequest &request, JobContext &context);

// How long trainForecaster(request) would take on context.device(): the series read and cut
// into windows, the network and optimiser built as it would build them, a few batches timed
// after a warm-up one (core/ml/torch/step_probe.h). Nothing is written.
Result<TrainingEstimate> estimateForecasterTraining(const ForecastTrainRequest &request, JobContext &context);

// <moduleDir>/checkpoints/last.pt
QString forecastCheckpointPath(const QString &moduleDir);

}  // namespace dw::timeseries
