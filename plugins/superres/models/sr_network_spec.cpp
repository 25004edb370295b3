#include "plugins/superres/models/sr_network_spec.h"

#include <optional>

namespace dw::superres {

namespace {
constexpr int kMaxBands = 1024;
constexpr int kMaxBlocks = 256;
constexpr int kMaxFilters = 4096;
constexpr int kMaxScale = 16;
}  // namespace

QJsonObject SrNetworkSpec::toJson() const
{
    QJsonObject json{{QStringLiteral("bands"), bands},
                     {QStringLiteral("blocks"), blocks},
                     {QStringLiteral("filters"), filters},
                     {QStringLiteral("scale"), scale}};
    if (guided())
        json.insert(QStringLiteral("guide_bands"), guideBands);
    return json;
}

QString SrNetworkSpec::problem() const
{
    if (bands < 1 || bands > kMaxBands)
        return QStringLiteral("bands must lie in 1..%1 (got %2)").arg(kMaxBands).arg(bands);
    if (guideBands < 0 || guideBands > kMaxBands)
        return QStringLiteral("guide_bands must lie in 0..%1 (got %2)").arg(kMaxBands).arg(guideBands);
    if (blocks < 1 || blocks > kMaxBlocks)
        return QStringLiteral("blocks must lie in 1..%1 (got %2); DSen2 uses 6").arg(kMaxBlocks).arg(blocks);
    if (filters < 1 || filters > kMaxFilters)
        return QStringLiteral("filters must lie in 1..%1 (got %2); DSen2 uses 128").arg(kMaxFilters).arg(filters);
    if (scale < 2 || scale > kMaxScale)
        return QStringLiteral("scale must be an integer in 2..%1 (got %2)").arg(kMaxScale).arg(scale);
    return {};
}

Result<SrNetworkSpec> SrNetworkSpec::fromJson(const QJsonObject &json)
{
    SrNetworkSpec spec;
    const auto field = [&json](const char *key, int fallback, bool required) -> std::optional<int> {
        const QJsonValue value = json.value(QLatin1String(key));
        if (value.isUndefined())
            return required ? std::nullopt : std::optional<int>(fallback);
        if (!value.isDouble() || value.toDouble() != double(value.toInt()))
            return std::nullopt;
        return value.toInt();
    };
    const struct {
        const char *key;
        int *target;
        bool required;
    } fields[] = {{"bands", &spec.bands, true},
                  {"blocks", &spec.blocks, false},
                  {"filters", &spec.filters, false},
                  {"scale", &spec.scale, false},
                  {"guide_bands", &spec.guideBands, false}};
    for (const auto &f : fields) {
        const std::optional<int> value = field(f.key, *f.target, f.required);
        if (!value)
            return failure(QStringLiteral("the network's %1 must be an integer%2")
                               .arg(QLatin1String(f.key), f.required ? QStringLiteral(" and is required") : QString()),
                           QLatin1String(f.key));
        *f.target = *value;
    }
    if (const QString problem = spec.problem(); !problem.isEmpty())
        return failure(QStringLiteral("the network is not usable: ") + problem, QStringLiteral("network"));
    return spec;
}

}  // namespace dw::superres
