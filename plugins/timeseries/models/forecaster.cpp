#include "plugins/timeseries/models/forecaster.h"

#include "plugins/timeseries/models/conv_forecaster.h"
#include "plugins/timeseries/models/mlp_forecaster.h"
#include "plugins/timeseries/models/recurrent_forecaster.h"

#include <QJsonValue>

namespace dw::timeseries {

namespace {
// Beyond these a typo is far likelier than a wish; the limits also keep a damaged
// manifest from asking for a network that does not fit in memory.
constexpr int64_t kMaxWindow = 100000;
constexpr int64_t kMaxHorizon = 10000;
constexpr int64_t kMaxHidden = 8192;
constexpr int64_t kMaxFeatures = 10000;
}  // namespace

torch::Tensor ForecasterImpl::forward(const torch::Tensor &input)
{
    torch::Tensor out = body(input).view({input.size(0), m_spec.horizon, m_spec.targets});
    if (m_spec.residual) {
        // The last observed value of each target (targets come first among the features).
        const torch::Tensor last = input.select(1, input.size(1) - 1).narrow(1, 0, m_spec.targets);
        out = out + last.unsqueeze(1);
    }
    return out;
}

QJsonObject ForecasterSpec::toJson() const
{
    return {{QStringLiteral("kind"), QString::fromStdString(kind)},
            {QStringLiteral("features"), qint64(features)},
            {QStringLiteral("targets"), qint64(targets)},
            {QStringLiteral("window"), qint64(window)},
            {QStringLiteral("horizon"), qint64(horizon)},
            {QStringLiteral("layers"), qint64(layers)},
            {QStringLiteral("hidden"), qint64(hidden)},
            {QStringLiteral("dropout"), dropout},
            {QStringLiteral("residual"), residual}};
}

Result<ForecasterSpec> ForecasterSpec::fromJson(const QJsonObject &json)
{
    ForecasterSpec spec;
    spec.kind = json.value(QStringLiteral("kind")).toString(QString::fromStdString(spec.kind)).toStdString();
    auto integer = [&json](const char *key, int64_t fallback) {
        const QJsonValue value = json.value(QLatin1String(key));
        return value.isDouble() ? int64_t(value.toInteger(fallback)) : fallback;
    };
    spec.features = integer("features", 0);
    spec.targets = integer("targets", 0);
    spec.window = integer("window", 0);
    spec.horizon = integer("horizon", 0);
    spec.layers = integer("layers", spec.layers);
    spec.hidden = integer("hidden", spec.hidden);
    spec.dropout = json.value(QStringLiteral("dropout")).toDouble(0.0);
    spec.residual = json.value(QStringLiteral("residual")).toBool(true);
    if (Result<void> ok = spec.check(); !ok)
        return ok.error();
    return spec;
}

Result<void> ForecasterSpec::check() const
{
    const QString name = QString::fromStdString(kind);
    if (!forecasterKinds().contains(name))
        return failure(QStringLiteral("unknown model \"%1\": use one of %2")
                           .arg(name, forecasterKinds().join(QStringLiteral(", "))),
                       QStringLiteral("model"));
    if (window < 1 || window > kMaxWindow)
        return failure(QStringLiteral("the window must be between 1 and %1 steps, got %2").arg(kMaxWindow).arg(window),
                       QStringLiteral("window"));
    if (horizon < 1 || horizon > kMaxHorizon)
        return failure(
            QStringLiteral("the horizon must be between 1 and %1 steps, got %2").arg(kMaxHorizon).arg(horizon),
            QStringLiteral("horizon"));
    if (targets < 1 || features < targets || features > kMaxFeatures)
        return failure(QStringLiteral("the network needs at least one target and no more features than %1 (got %2 "
                                      "targets, %3 features)")
                           .arg(kMaxFeatures)
                           .arg(targets)
                           .arg(features),
                       QStringLiteral("target"));
    if (layers < 1 || layers > (kind == "lstm" || kind == "gru" ? 3 : 8))
        return failure(QStringLiteral("%1 takes 1 to %2 layers, got %3")
                           .arg(name)
                           .arg(kind == "lstm" || kind == "gru" ? 3 : 8)
                           .arg(layers),
                       QStringLiteral("layers"));
    if (hidden < 1 || hidden > kMaxHidden)
        return failure(QStringLiteral("hidden units must be between 1 and %1, got %2").arg(kMaxHidden).arg(hidden),
                       QStringLiteral("hidden"));
    if (!(dropout >= 0.0 && dropout < 1.0))
        return failure(QStringLiteral("dropout must be in [0, 1), got %1").arg(dropout), QStringLiteral("dropout"));
    return success();
}

const QStringList &forecasterKinds()
{
    static const QStringList kinds{QStringLiteral("lstm"), QStringLiteral("gru"), QStringLiteral("cnn"),
                                   QStringLiteral("mlp")};
    return kinds;
}

Result<ForecasterPtr> createForecaster(const ForecasterSpec &spec)
{
    if (Result<void> ok = spec.check(); !ok)
        return ok.error();
    if (spec.kind == "lstm" || spec.kind == "gru")
        return ForecasterPtr(RecurrentForecaster(spec).ptr());
    if (spec.kind == "cnn")
        return ForecasterPtr(ConvForecaster(spec).ptr());
    return ForecasterPtr(MlpForecaster(spec).ptr());
}

int64_t parameterCount(const torch::nn::Module &module)
{
    int64_t count = 0;
    for (const torch::Tensor &p : module.parameters())
        count += p.numel();
    return count;
}

}  // namespace dw::timeseries
