#pragma once
// Runs a forecasting network over a whole series: the one-step-ahead forecast of every row
// that has a full window before it (each made only from the rows before it, as it would
// have been made at the time), and the H rows after the last one. All in the series'
// units (scaling and differencing undone).
#include "core/jobs/job_context.h"
#include "core/ml/precision.h"
#include "core/util/result.h"
#include "plugins/timeseries/data/model_space.h"
#include "plugins/timeseries/models/forecaster.h"

#include <torch/types.h>

#include <vector>

namespace dw::timeseries {

struct SeriesForecast {
    std::vector<std::vector<double>> oneStep;  // [target][row]; NaN for the first window + d rows
    std::vector<std::vector<double>> future;   // [target][step]: rows n, n + 1, ..., n + H − 1
    qsizetype firstForecastRow = 0;            // window + differencing
};

class SeriesForecaster {
public:
    // The model is put in eval mode. Cancelled: an error "cancelled". precision Bf16 runs the
    // network under bfloat16 autocast on the CPU (the outputs decoded in float64 all the same).
    static Result<SeriesForecast> run(ForecasterImpl &model, const ModelSpace &space, const SeriesSet &levels,
                                      const torch::Device &device, const JobContext *context = nullptr,
                                      int64_t batchSize = 2048, ml::Precision precision = ml::Precision::Fp32);
};

}  // namespace dw::timeseries
