#include "plugins/timeseries/train/forecast_freeze.h"

#include "core/ml/torch/module_weights.h"
#include "plugins/timeseries/train/forecast_parent.h"

#include <QJsonDocument>
#include <QRegularExpression>

#include <vector>

namespace dw::timeseries {

namespace {

// The unit a parameter belongs to: "lstm.weight_ih_l1" -> "lstm.l1", "convs.2.weight" ->
// "convs.2", "head.bias" -> "head".
QString unitOf(const QString &name)
{
    static const QRegularExpression recurrent(QStringLiteral("^(\\w+)\\.\\w+_l(\\d+)$"));
    if (const QRegularExpressionMatch m = recurrent.match(name); m.hasMatch())
        return m.captured(1) + QStringLiteral(".l") + m.captured(2);
    const QStringList parts = name.split(QLatin1Char('.'));
    return parts.size() > 2 ? parts.mid(0, parts.size() - 1).join(QLatin1Char('.')) : parts.first();
}

}  // namespace

Result<int64_t> freezeForecaster(ForecasterImpl &model, const QString &mode)
{
    if (!forecastFreezeModes().contains(mode))
        return failure(QStringLiteral("unknown freeze mode \"%1\": use head, partial or full").arg(mode),
                       QStringLiteral("freeze"));
    const auto parameters = model.named_parameters(/*recurse=*/true);
    QStringList units;  // in registration order
    for (const auto &item : parameters) {
        const QString unit = unitOf(QString::fromStdString(item.key()));
        if (!units.contains(unit))
            units << unit;
    }
    const qsizetype learning = mode == QLatin1String("full") ? units.size() : mode == QLatin1String("partial") ? 2 : 1;
    const QStringList learns = units.mid(std::max<qsizetype>(0, units.size() - learning));
    int64_t count = 0;
    for (const auto &item : parameters) {
        torch::Tensor p = item.value();
        const bool learn = learns.contains(unitOf(QString::fromStdString(item.key())));
        p.requires_grad_(learn);
        if (learn)
            count += p.numel();
    }
    return count;
}

Result<ForecasterPtr> startForecaster(const ForecasterSpec &spec, const ForecastTrainRequest &request,
                                      JobContext &context)
{
    Result<ForecasterPtr> model = createForecaster(spec);  // also without a parent: the same draws from the generator
    if (!model || request.parentDir.isEmpty())
        return model;
    Result<ForecastModule> parent = readForecastParent(request);
    if (!parent)
        return parent.error();
    ForecasterSpec parentShape = parent->network, childShape = spec;
    parentShape.dropout = childShape.dropout = 0.0;
    if (parentShape.toJson() != childShape.toJson())
        return failure(
            QStringLiteral("the parent's network (%1) is not the one to re-train (%2): re-train through deepwb "
                           "retrain or the workbench, which take the parent's network")
                .arg(QString::fromUtf8(QJsonDocument(parent->network.toJson()).toJson(QJsonDocument::Compact)),
                     QString::fromUtf8(QJsonDocument(spec.toJson()).toJson(QJsonDocument::Compact))),
            QStringLiteral("parent"));
    if (Result<void> loaded = ml::ModuleWeights::load(**model, parent->weightsPath(), torch::kCPU); !loaded)
        return Error::at(QStringLiteral("parent"),
                         QStringLiteral("cannot read the parent's weights: ") + loaded.error().message);
    Result<int64_t> learning = freezeForecaster(**model, request.freeze);
    if (!learning)
        return learning.error();
    context.log(QStringLiteral("starting from the weights of %1; freeze %2: %3 of %4 parameters learn")
                    .arg(parent->manifest.id, request.freeze)
                    .arg(*learning)
                    .arg(parameterCount(**model)));
    return model;
}

}  // namespace dw::timeseries
