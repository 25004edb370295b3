#pragma once
// The time-series task's argument schemas (CLI flags, GUI forms and REST parameters are
// generated from them) and the train arguments as a ForecastTrainRequest.
#include "core/task/argument_schema.h"
#include "core/task/precision_argument.h"
#include "plugins/timeseries/train/forecast_request.h"

#include <QVariantMap>

namespace dw::timeseries {

class TimeSeriesArguments {
public:
    // What --precision auto means for a forecast on the CPU (predict, evaluate): see
    // docs/precision.md for the measurement behind it.
    static constexpr AutoPrecision kForecastAuto = AutoPrecision::Bf16WhereNative;

    static ArgumentSchema train();
    static ArgumentSchema predict();
    static ArgumentSchema evaluate();
    // args validated against train().
    static ForecastTrainRequest trainRequest(const QVariantMap &args);
    // "A,B" or a list: the names, trimmed, without empty ones.
    static QStringList names(const QVariant &value);
};

}  // namespace dw::timeseries
