#pragma once
// Re-training (fine-tuning) a forecaster from a trained parent module, the part without
// LibTorch: reading and checking the parent, mapping the new series' column names onto the
// parent's, and recording the lineage in the child's manifest.
//
// The child is the parent's network with the parent's weights, trained further on a new
// series: the network (model, window, horizon, layers, hidden), differencing and scaling
// kind are the parent's. A request that leaves one of them at its default takes the
// parent's; one that asks for another value is an error (the weights fit only that shape).
// The targets and inputs stand for the parent's, in its order; "column-map" (new=parent,
// ...) names them when the new series calls them otherwise.
//
// Scaling ("parent-scaling"): refit (the default) fits the scaling anew on the new series'
// training rows, keep reuses the parent's. Refit is the default because a new station or
// sensor usually has its own level and spread: what carries over from the parent is the
// shape of the dynamics (in standardised units), not the absolute level; keep suits more
// data from the same sensor. Measured in test_forecast_finetune (see docs/timeseries.md).
#include "core/catalog/module_manifest.h"
#include "core/jobs/job_context.h"
#include "core/util/result.h"
#include "plugins/timeseries/data/forecast_module.h"
#include "plugins/timeseries/train/forecast_request.h"

#include <QHash>
#include <QJsonValue>

namespace dw::timeseries {

// "head", "partial", "full"
const QStringList &forecastFreezeModes();

// "new=parent" items (also comma-separated within one item) as new name -> parent name.
Result<QHash<QString, QString>> parseColumnMap(const QStringList &items);

// The parent module of a request (request.parentDir), read and checked.
Result<ForecastModule> readForecastParent(const ForecastTrainRequest &request);

// Without a parent: the request as it is. With one: the request with the parent's network,
// differencing and scaling kind, and its targets and inputs (the new series' names); an error
// that says what to change when the request or the parent cannot be re-trained. Logs what
// the child took from the parent.
Result<ForecastTrainRequest> adoptForecastParent(const ForecastTrainRequest &request, JobContext &context);

// A loader error about a missing column, with a hint at column-map when re-training.
Error explainForParent(const ForecastTrainRequest &request, Error error);

// With a parent and parent-scaling "keep": the parent's scaling (under the child's column
// names) instead of the one fitted on the new series. Differencing is the parent's already.
Result<void> adoptParentSpace(const ForecastTrainRequest &request, ModelSpace &space);

// What a resumed re-training must share with the interrupted one: {"folder", "freeze",
// "column-map", "parent-scaling"}; undefined (no key in the checkpoint) without a parent.
QJsonValue parentCheckpointMeta(const ForecastTrainRequest &request);

// The data hash (SHA-256 of the CSV's bytes) in trainingData; with a parent, also its id in
// "parent", and "parent", "freeze", "column-map" and "parent-scaling" among the
// hyper-parameters.
Result<void> recordLineage(const ForecastTrainRequest &request, ModuleManifest &manifest);

}  // namespace dw::timeseries
