#include "plugins/timeseries/timeseries_arguments.h"

#include "plugins/timeseries/models/forecaster_spec.h"

#include "core/task/argument_builders.h"
#include "core/task/precision_argument.h"

#include <limits>
#include <optional>

namespace dw::timeseries {

using namespace Qt::StringLiterals;

using namespace dw::args;

ArgumentSchema TimeSeriesArguments::train()
{
    const QString data = u"Data"_s, model = u"Model"_s, training = u"Training"_s, output = u"Module"_s;
    ArgumentSchema s;
    s.add(required(spec(u"csv"_s, ArgType::FilePath, {}, data,
                        u"The series: a CSV or TSV file with a time column (detected) and numeric columns."_s)));
    ArgumentSpec target = required(list(u"target"_s, data, u"The column(s) to forecast, e.g. flow or a,b."_s));
    target.minimum = 1;
    s.add(target);
    s.add(list(u"inputs"_s, data, u"Extra columns the network reads but does not forecast (e.g. temperature)."_s));
    s.add(
        choice(u"scaling"_s, u"standard"_s, {u"none"_s, u"minmax"_s, u"standard"_s}, data,
               u"How the values are scaled for the network (fitted on the training rows, stored with the module)."_s));
    s.add(spec(u"differencing"_s, ArgType::Bool, false, data,
               u"Model the change from one step to the next instead of the level (for series with a trend)."_s));
    s.add(spec(u"val-fraction"_s, ArgType::Float, 0.15, data,
               u"Share of the rows, after the training part, used for validation and the alert threshold."_s, 0.01,
               0.8));
    s.add(spec(u"test-fraction"_s, ArgType::Float, 0.15, data,
               u"Share of the last rows kept for the final test against the baselines."_s, 0.0, 0.8));

    s.add(choice(u"model"_s, u"lstm"_s, forecasterKinds(), model,
                 u"The network: lstm or gru (recurrent), cnn (1-D convolutions) or mlp."_s));
    s.add(spec(u"window"_s, ArgType::Int, 32, model, u"Past steps the network reads for each forecast."_s, 1.0,
               100000.0));
    s.add(spec(u"horizon"_s, ArgType::Int, 1, model, u"Future steps forecast at once."_s, 1.0, 10000.0));
    s.add(spec(u"layers"_s, ArgType::Int, 2, model,
               u"Recurrent, convolution or hidden layers (1 to 3 for lstm and gru)."_s, 1.0, 8.0));
    s.add(spec(u"hidden"_s, ArgType::Int, 64, model, u"Units per layer."_s, 1.0, 8192.0));
    s.add(spec(u"dropout"_s, ArgType::Float, 0.0, model, u"Dropout between layers."_s, 0.0, 0.9));

    s.add(spec(u"epochs"_s, ArgType::Int, 50, training, u"Passes over the training windows."_s, 1.0, 100000.0));
    s.add(spec(u"batch"_s, ArgType::Int, 64, training, u"Windows per optimisation step."_s, 1.0, 65536.0));
    s.add(spec(u"lr"_s, ArgType::Float, 0.001, training, u"Learning rate (Adam, cosine decay)."_s, 1e-7, 10.0));
    s.add(choice(u"loss"_s, u"mse"_s, {u"mse"_s, u"mae"_s, u"huber"_s}, training,
                 u"What training minimises: mse, mae (robust to noisy series, scored by MAE) or huber."_s));
    s.add(spec(u"patience"_s, ArgType::Int, 10, training,
               u"Stop after this many epochs without a better validation loss; 0: never stop early."_s, 0.0, 100000.0));
    s.add(spec(u"seed"_s, ArgType::Int, 42, training, u"Seed of the initial weights and the batch order."_s, 0.0,
               double(std::numeric_limits<int>::max())));
    s.add(spec(u"resume"_s, ArgType::Bool, false, training,
               u"Continue an interrupted training of this module from its last checkpoint."_s));
    s.add(precisionArgument(training, kForecastAuto));

    const QString retrain = u"Re-training"_s;
    s.add(spec(u"parent"_s, ArgType::FolderPath, {}, retrain,
               u"Fine-tune this trained time-series module (its folder) on the new series: the child starts from its "
               "network and weights and forecasts the same columns (deepwb retrain PARENT fills this in)."_s));
    s.add(
        choice(u"freeze"_s, u"full"_s, {u"head"_s, u"partial"_s, u"full"_s}, retrain,
               u"With a parent, what learns: head (only the output layer), partial (the last recurrent, convolution or "
               "hidden layer and the output layer) or full (every weight)."_s));
    s.add(list(
        u"column-map"_s, retrain,
        u"With a parent whose columns the new series names otherwise: NEW=PARENT pairs, e.g. level=flow,air=temp."_s));
    s.add(choice(u"parent-scaling"_s, u"refit"_s, {u"refit"_s, u"keep"_s}, retrain,
                 u"With a parent: refit the scaling on the new series (a new station or sensor, with its own level) or "
                 "keep the parent's (more data from the same sensor)."_s));

    s.add(required(spec(u"name"_s, ArgType::String, {}, output,
                        u"Id of the new module in the catalog (lower-case letters, digits, '.', '_', '-')."_s)));
    s.add(spec(u"output"_s, ArgType::FolderPath, {}, output,
               u"The module folder to write (the catalog's folder of --name when left out)."_s));
    return s;
}

ArgumentSchema TimeSeriesArguments::predict()
{
    ArgumentSchema s;
    s.add(required(spec(u"module"_s, ArgType::FolderPath, {}, u"Input"_s, u"The trained module's folder."_s)));
    s.add(required(spec(u"csv"_s, ArgType::FilePath, {}, u"Input"_s,
                        u"The series to forecast: a CSV or TSV file with the module's columns."_s)));
    s.add(spec(u"horizon"_s, ArgType::Int, 0, u"Output"_s,
               u"Steps to forecast after the last row; 0: the module's horizon."_s, 0.0, 100000.0));
    s.add(spec(u"alerts"_s, ArgType::FilePath, {}, u"Output"_s,
               u"Also write the alerts to this file: JSON when it ends in .json, else CSV."_s));
    s.add(precisionArgument(u"Input"_s, kForecastAuto));
    return s;
}

ArgumentSchema TimeSeriesArguments::evaluate()
{
    ArgumentSchema s;
    s.add(required(spec(u"module"_s, ArgType::FolderPath, {}, u"Input"_s, u"The trained module's folder."_s)));
    s.add(
        required(spec(u"csv"_s, ArgType::FilePath, {}, u"Input"_s,
                      u"A CSV or TSV file with the module's columns: every row after the first window is scored."_s)));
    s.add(precisionArgument(u"Input"_s, kForecastAuto));
    return s;
}

QStringList TimeSeriesArguments::names(const QVariant &value)
{
    QStringList out;
    const QStringList items =
        value.typeId() == QMetaType::QString ? QStringList{value.toString()} : value.toStringList();
    for (const QString &item : items)
        for (const QString &part : item.split(u',', Qt::SkipEmptyParts))
            if (!part.trimmed().isEmpty())
                out << part.trimmed();
    return out;
}

ForecastTrainRequest TimeSeriesArguments::trainRequest(const QVariantMap &args)
{
    ForecastTrainRequest r;
    r.csvPath = args.value(u"csv"_s).toString();
    r.moduleDir = args.value(u"output"_s).toString();
    r.moduleId = args.value(u"name"_s).toString();
    r.title = args.value(u"title"_s).toString();  // given by the GUI: the name as typed
    r.targets = names(args.value(u"target"_s));
    r.inputs = names(args.value(u"inputs"_s));
    r.model = args.value(u"model"_s, r.model).toString();
    r.window = args.value(u"window"_s, r.window).toInt();
    r.horizon = args.value(u"horizon"_s, r.horizon).toInt();
    r.layers = args.value(u"layers"_s, r.layers).toInt();
    r.hidden = args.value(u"hidden"_s, r.hidden).toInt();
    r.dropout = args.value(u"dropout"_s, r.dropout).toDouble();
    r.epochs = args.value(u"epochs"_s, r.epochs).toInt();
    r.batchSize = args.value(u"batch"_s, r.batchSize).toInt();
    r.learningRate = args.value(u"lr"_s, r.learningRate).toDouble();
    r.patience = args.value(u"patience"_s, r.patience).toInt();
    r.loss = args.value(u"loss"_s, r.loss).toString();
    r.seed = args.value(u"seed"_s, qulonglong(r.seed)).toULongLong();
    r.precision = args.value(u"precision"_s, r.precision).toString();
    r.resume = args.value(u"resume"_s, r.resume).toBool();
    r.differencing = args.value(u"differencing"_s, false).toBool() ? 1 : 0;
    r.scaling = args.value(u"scaling"_s, r.scaling).toString();
    r.valFraction = args.value(u"val-fraction"_s, r.valFraction).toDouble();
    r.testFraction = args.value(u"test-fraction"_s, r.testFraction).toDouble();
    r.parentDir = args.value(u"parent"_s).toString();
    r.freeze = args.value(u"freeze"_s, r.freeze).toString();
    r.columnMap = names(args.value(u"column-map"_s));
    r.parentScaling = args.value(u"parent-scaling"_s, r.parentScaling).toString();
    return r;
}

}  // namespace dw::timeseries
