#include "plugins/timeseries/train/forecast_request.h"

#include "core/io/series_scaler.h"
#include "core/ml/lr_schedule.h"
#include "plugins/timeseries/models/forecaster_spec.h"

#include <QJsonArray>

namespace dw::timeseries {

Result<void> checkForecastRequest(const ForecastTrainRequest &r)
{
    if (r.moduleDir.isEmpty())
        return failure(
            QStringLiteral("no module folder to write: give 'output' (the CLI and the workbench derive it from the "
                           "name)"),
            QStringLiteral("output"));
    if (r.targets.isEmpty())
        return failure(QStringLiteral("no target: name the column(s) to forecast, e.g. --target flow or --target a,b"),
                       QStringLiteral("target"));
    if (r.epochs < 1)
        return failure(QStringLiteral("train for at least one epoch"), QStringLiteral("epochs"));
    if (r.batchSize < 1)
        return failure(QStringLiteral("the batch must hold at least one window"), QStringLiteral("batch"));
    if (!(r.learningRate > 0.0))
        return failure(QStringLiteral("the learning rate must be above 0, e.g. 0.001"), QStringLiteral("lr"));
    if (r.differencing < 0 || r.differencing > 1)
        return failure(QStringLiteral("differencing is 0 (off) or 1 (model the changes between steps)"),
                       QStringLiteral("differencing"));
    if (!SeriesScaler::kindFromId(r.scaling))
        return failure(QStringLiteral("unknown scaling \"%1\": use none, minmax or standard").arg(r.scaling),
                       QStringLiteral("scaling"));
    if (r.fill != QLatin1String("linear") && r.fill != QLatin1String("forward"))
        return failure(QStringLiteral("unknown fill \"%1\": use linear or forward").arg(r.fill),
                       QStringLiteral("fill"));
    if (r.loss != QLatin1String("mse") && r.loss != QLatin1String("mae") && r.loss != QLatin1String("huber"))
        return failure(QStringLiteral("unknown loss \"%1\": use mse, mae or huber").arg(r.loss),
                       QStringLiteral("loss"));
    if (!isKnownLrSchedule(r.schedule))
        return failure(QStringLiteral("unknown schedule \"%1\": use cosine, step or constant").arg(r.schedule),
                       QStringLiteral("schedule"));
    if (r.valFraction <= 0.0 || r.testFraction < 0.0 || r.valFraction + r.testFraction >= 0.9)
        return failure(QStringLiteral("the validation share must be above 0 and validation and test together below 0.9 "
                                      "(got %1 and %2)")
                           .arg(r.valFraction)
                           .arg(r.testFraction),
                       QStringLiteral("val-fraction"));
    ForecasterSpec spec;
    spec.kind = r.model.toStdString();
    spec.features = r.targets.size() + r.inputs.size();
    spec.targets = r.targets.size();
    spec.window = r.window;
    spec.horizon = r.horizon;
    spec.layers = r.layers;
    spec.hidden = r.hidden;
    spec.dropout = r.dropout;
    return spec.check();
}

QJsonObject hyperParametersJson(const ForecastTrainRequest &r)
{
    return {{QStringLiteral("target"), QJsonArray::fromStringList(r.targets)},
            {QStringLiteral("inputs"), QJsonArray::fromStringList(r.inputs)},
            {QStringLiteral("model"), r.model},
            {QStringLiteral("window"), r.window},
            {QStringLiteral("horizon"), r.horizon},
            {QStringLiteral("layers"), r.layers},
            {QStringLiteral("hidden"), r.hidden},
            {QStringLiteral("dropout"), r.dropout},
            {QStringLiteral("epochs"), r.epochs},
            {QStringLiteral("batch"), r.batchSize},
            {QStringLiteral("patience"), r.patience},
            {QStringLiteral("lr"), r.learningRate},
            {QStringLiteral("weight-decay"), r.weightDecay},
            {QStringLiteral("optimizer"), r.optimizer},
            {QStringLiteral("schedule"), r.schedule},
            {QStringLiteral("loss"), r.loss},
            {QStringLiteral("differencing"), r.differencing},
            {QStringLiteral("scaling"), r.scaling},
            {QStringLiteral("fill"), r.fill},
            {QStringLiteral("val-fraction"), r.valFraction},
            {QStringLiteral("test-fraction"), r.testFraction},
            {QStringLiteral("seed"), QString::number(r.seed)}};
}

}  // namespace dw::timeseries
