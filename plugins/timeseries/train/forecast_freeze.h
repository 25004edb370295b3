#pragma once
// The network a re-training starts from: the parent's, with its weights, and the freeze mode
// applied. The parameters fall into units in the order the network registers them (a
// recurrent layer, a convolution, a linear layer; the output layer is always the last):
//   full     every unit learns
//   head     only the output layer (head, or the MLP's last linear layer)
//   partial  the last unit before the output (the last LSTM/GRU layer, the last convolution,
//            the MLP's last hidden layer) and the output layer
// Frozen parameters stop requiring gradients: the optimiser never moves them (Adam skips a
// parameter without a gradient) and no gradient is computed for them.
#include "core/jobs/job_context.h"
#include "core/util/result.h"
#include "plugins/timeseries/models/forecaster.h"
#include "plugins/timeseries/train/forecast_request.h"

namespace dw::timeseries {

// Without a parent: createForecaster(spec). With one: the same network with the parent's
// weights (spec must be the parent's network, as adoptForecastParent makes it; dropout may
// differ), frozen as request.freeze says; logs what learns.
Result<ForecasterPtr> startForecaster(const ForecasterSpec &spec, const ForecastTrainRequest &request,
                                      JobContext &context);

// Applies a freeze mode; the number of scalars that still learn.
Result<int64_t> freezeForecaster(ForecasterImpl &model, const QString &mode);

}  // namespace dw::timeseries
