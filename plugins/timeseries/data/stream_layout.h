#pragma once
// The layout of the lines a trained forecaster can read from a stream: the training file's
// delimiter, decimal separator, column order, time column and format, as the trainer stored
// them in module.json "training_data"."layout" (see layoutJson). Modules trained before the
// layout was stored still work when their file was the plain kind: comma-separated, the
// time column (if any) first, then the targets and inputs.
#include "core/io/import_report.h"
#include "core/util/result.h"
#include "plugins/timeseries/data/forecast_module.h"

namespace dw::timeseries {

class StreamLayout {
public:
    // An ImportReport with what CsvLineParser::fromReport needs. Error: a module without a
    // stored layout whose time came from two columns (their order is unknown).
    static Result<ImportReport> of(const ForecastModule &module);
    // Whether the layout was stored with the module (else it is the plain guess above).
    static bool stored(const ForecastModule &module);
};

}  // namespace dw::timeseries
