#include "plugins/timeseries/train/forecast_parent.h"

#include "core/catalog/manifest_io.h"
#include "core/io/series_scaler.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>

namespace dw::timeseries {

namespace {

const QString kParent = QStringLiteral("parent");
const QString kColumnMap = QStringLiteral("column-map");

QString joined(const QStringList &names)
{
    return names.isEmpty() ? QStringLiteral("none") : names.join(QLatin1Char(','));
}

// A hint at column-map for the parent's columns the request names otherwise.
QString mapHint(const QStringList &parentNames)
{
    return QStringLiteral(" (when the new series calls them otherwise, name them with --column-map NEW=%1)")
        .arg(parentNames.value(0));
}

// One setting that shapes the weights: the request's value, the parent's and the default.
struct Shaping {
    QString name;
    QString asked, parent, fallback;
};

}  // namespace

const QStringList &forecastFreezeModes()
{
    static const QStringList modes{QStringLiteral("head"), QStringLiteral("partial"), QStringLiteral("full")};
    return modes;
}

Result<QHash<QString, QString>> parseColumnMap(const QStringList &items)
{
    QHash<QString, QString> map;
    for (const QString &item : items) {
        for (const QString &pair : item.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
            const QStringList sides = pair.split(QLatin1Char('='));
            const QString newName = sides.value(0).trimmed(), parentName = sides.value(1).trimmed();
            if (sides.size() != 2 || newName.isEmpty() || parentName.isEmpty())
                return failure(
                    QStringLiteral("\"%1\" is not NEW=PARENT: write the new series' column, '=', and the parent's "
                                   "column it stands for, e.g. level=flow")
                        .arg(pair.trimmed()),
                    kColumnMap);
            if (map.contains(newName) && map.value(newName) != parentName)
                return failure(QStringLiteral("the column \"%1\" is mapped twice (to %2 and %3): map it once")
                                   .arg(newName, map.value(newName), parentName),
                               kColumnMap);
            map.insert(newName, parentName);
        }
    }
    return map;
}

Result<ForecastModule> readForecastParent(const ForecastTrainRequest &request)
{
    Result<ForecastModule> parent = readForecastModule(request.parentDir);
    if (!parent)
        return failure(
            QStringLiteral("cannot re-train from %1: %2 (give the folder or catalog id of a trained time-series "
                           "module)")
                .arg(request.parentDir, parent.error().message),
            kParent);
    if (parent->manifest.architecture == QStringLiteral("onnx"))
        return failure(QStringLiteral("the parent %1 is an ONNX graph run by OpenCV, which cannot train it: re-train "
                                      "the module it was exported from, or train a new module")
                           .arg(parent->manifest.id),
                       kParent);
    return parent;
}

Result<ForecastTrainRequest> adoptForecastParent(const ForecastTrainRequest &request, JobContext &context)
{
    if (request.parentDir.isEmpty()) {
        if (!request.columnMap.isEmpty())
            return failure(QStringLiteral("column-map names a parent's columns, but there is no parent: re-train with "
                                          "'deepwb retrain PARENT ...' (or give parent), or leave column-map out"),
                           kColumnMap);
        return request;
    }
    if (!forecastFreezeModes().contains(request.freeze))
        return failure(QStringLiteral("unknown freeze mode \"%1\": use head, partial or full").arg(request.freeze),
                       QStringLiteral("freeze"));
    if (request.parentScaling != QLatin1String("refit") && request.parentScaling != QLatin1String("keep"))
        return failure(QStringLiteral("unknown parent-scaling \"%1\": use refit or keep").arg(request.parentScaling),
                       QStringLiteral("parent-scaling"));
    Result<ForecastModule> parent = readForecastParent(request);
    if (!parent)
        return parent.error();
    const QString id = parent->manifest.id.isEmpty() ? QDir(parent->directory).dirName() : parent->manifest.id;
    Result<QHash<QString, QString>> map = parseColumnMap(request.columnMap);
    if (!map)
        return map.error();

    QHash<QString, QString> newNameOf;  // parent name -> the new series' name
    for (auto it = map->cbegin(); it != map->cend(); ++it) {
        if (!parent->featureNames().contains(it.value()))
            return failure(
                QStringLiteral("the parent %1 has no column \"%2\": it reads %3; map the new series' columns "
                               "onto those")
                    .arg(id, it.value(), joined(parent->featureNames())),
                kColumnMap);
        if (newNameOf.contains(it.value()))
            return failure(QStringLiteral("two columns (%1 and %2) are mapped onto the parent's %3: map one")
                               .arg(newNameOf.value(it.value()), it.key(), it.value()),
                           kColumnMap);
        newNameOf.insert(it.value(), it.key());
    }
    auto mapped = [&newNameOf](const QStringList &names) {
        QStringList out;
        for (const QString &name : names)
            out << newNameOf.value(name, name);
        return out;
    };
    const QStringList targets = mapped(parent->targets), inputs = mapped(parent->inputs);
    if (!request.targets.isEmpty() && request.targets != targets)
        return failure(
            QStringLiteral("the parent %1 forecasts %2, and its child forecasts the same in the same order: give "
                           "--target %3, not %4%5")
                .arg(id, joined(parent->targets), joined(targets), joined(request.targets),
                     map->isEmpty() ? mapHint(parent->targets) : QString()),
            QStringLiteral("target"));
    if (!request.inputs.isEmpty() && request.inputs != inputs)
        return failure(
            inputs.isEmpty()
                ? QStringLiteral("the parent %1 reads no extra inputs, so its child cannot: leave --inputs out "
                                 "(or train from scratch)")
                      .arg(id)
                : QStringLiteral("the parent %1 reads the extra inputs %2 in this order: give --inputs %3, not "
                                 "%4%5")
                      .arg(id, joined(parent->inputs), joined(inputs), joined(request.inputs),
                           map->isEmpty() ? mapHint(parent->inputs) : QString()),
            QStringLiteral("inputs"));

    ForecastTrainRequest child = request;
    child.targets = targets;
    child.inputs = inputs;
    const ForecastTrainRequest defaults;
    const ForecasterSpec &net = parent->network;
    const QString scaling = SeriesScaler::kindId(parent->space.scaler().kind());
    const std::vector<Shaping> shaping{
        {QStringLiteral("model"), request.model, QString::fromStdString(net.kind), defaults.model},
        {QStringLiteral("window"), QString::number(request.window), QString::number(net.window),
         QString::number(defaults.window)},
        {QStringLiteral("horizon"), QString::number(request.horizon), QString::number(net.horizon),
         QString::number(defaults.horizon)},
        {QStringLiteral("layers"), QString::number(request.layers), QString::number(net.layers),
         QString::number(defaults.layers)},
        {QStringLiteral("hidden"), QString::number(request.hidden), QString::number(net.hidden),
         QString::number(defaults.hidden)},
        {QStringLiteral("differencing"), QString::number(request.differencing),
         QString::number(parent->space.differencing()), QString::number(defaults.differencing)},
        {QStringLiteral("scaling"), request.scaling, scaling, defaults.scaling}};
    for (const Shaping &s : shaping) {
        if (s.asked == s.parent || s.asked == s.fallback)
            continue;
        return failure(
            QStringLiteral("the parent %1 has %2 %3, and its weights fit only that: leave --%2 out (the child "
                           "keeps the parent's), or train a new module from scratch for %2 %4")
                .arg(id, s.name, s.parent, s.asked),
            s.name);
    }
    child.model = QString::fromStdString(net.kind);
    child.window = int(net.window);
    child.horizon = int(net.horizon);
    child.layers = int(net.layers);
    child.hidden = int(net.hidden);
    child.differencing = parent->space.differencing();
    child.scaling = scaling;
    if (request.dropout == defaults.dropout)  // dropout shapes no weight: the child may choose its own
        child.dropout = net.dropout;
    context.log(
        QStringLiteral("re-training from %1: its %2 network (window %3, horizon %4, %5 layer(s) of %6), targets %7%8; "
                       "freeze %9; %10")
            .arg(id, child.model)
            .arg(child.window)
            .arg(child.horizon)
            .arg(child.layers)
            .arg(child.hidden)
            .arg(joined(targets), inputs.isEmpty() ? QString() : QStringLiteral(", inputs ") + joined(inputs),
                 child.freeze,
                 child.parentScaling == QLatin1String("keep")
                     ? QStringLiteral("the parent's scaling kept")
                     : QStringLiteral("%1 scaling refitted on the new series").arg(scaling)));
    return child;
}

Error explainForParent(const ForecastTrainRequest &request, Error error)
{
    if (request.parentDir.isEmpty())
        return error;
    if (error.field == QLatin1String("target") || error.field == QLatin1String("inputs")) {
        if (error.message.contains(QStringLiteral("no numeric column")))
            error.message +=
                QStringLiteral(" Re-training reads the parent's columns: when the new series calls them otherwise, "
                               "map them with --column-map NEW=PARENT (e.g. level=flow).");
    } else if (error.field == QLatin1String("window") && error.message.contains(QStringLiteral("too short"))) {
        error.message +=
            QStringLiteral(" (re-training keeps the parent's window: give a longer series, or train a new module "
                           "from scratch with a shorter window)");
    }
    return error;
}

Result<void> adoptParentSpace(const ForecastTrainRequest &request, ModelSpace &space)
{
    if (request.parentDir.isEmpty() || request.parentScaling != QLatin1String("keep"))
        return success();
    Result<ForecastModule> parent = readForecastParent(request);
    if (!parent)
        return parent.error();
    // The parent's offsets and scales under the child's column names (column-map).
    QJsonObject scaling = parent->space.scaler().toJson();
    QJsonArray columns = scaling.value(QStringLiteral("columns")).toArray();
    const QStringList names = request.targets + request.inputs;
    if (columns.size() != names.size())
        return failure(QStringLiteral("the parent scales %1 column(s) but the child reads %2: use parent-scaling refit")
                           .arg(columns.size())
                           .arg(names.size()),
                       QStringLiteral("parent-scaling"));
    for (qsizetype k = 0; k < columns.size(); ++k) {
        QJsonObject column = columns.at(k).toObject();
        column.insert(QStringLiteral("name"), names.at(k));
        columns.replace(k, column);
    }
    scaling.insert(QStringLiteral("columns"), columns);
    Result<SeriesScaler> scaler = SeriesScaler::fromJson(scaling);
    if (!scaler)
        return Error::at(QStringLiteral("parent"), scaler.error().message);
    space = ModelSpace(parent->space.differencing(), std::move(scaler).value());
    return success();
}

QJsonValue parentCheckpointMeta(const ForecastTrainRequest &request)
{
    if (request.parentDir.isEmpty())
        return QJsonValue(QJsonValue::Undefined);
    return QJsonObject{{QStringLiteral("folder"), QDir(request.parentDir).absolutePath()},
                       {QStringLiteral("freeze"), request.freeze},
                       {kColumnMap, request.columnMap.join(QLatin1Char(','))},
                       {QStringLiteral("parent-scaling"), request.parentScaling}};
}

Result<void> recordLineage(const ForecastTrainRequest &request, ModuleManifest &manifest)
{
    Result<QString> hash = sha256OfFile(request.csvPath);
    if (!hash)
        return Error::at(QStringLiteral("csv"), hash.error().message);
    manifest.trainingData.insert(QStringLiteral("sha256"), *hash);
    if (request.parentDir.isEmpty())
        return success();
    Result<ForecastModule> parent = readForecastParent(request);
    if (!parent)
        return parent.error();
    const QString id = parent->manifest.id.isEmpty() ? QDir(parent->directory).dirName() : parent->manifest.id;
    manifest.parent = id;
    manifest.summary += QStringLiteral(", re-trained from %1").arg(id);
    manifest.hyperParameters.insert(kParent, id);
    manifest.hyperParameters.insert(QStringLiteral("freeze"), request.freeze);
    manifest.hyperParameters.insert(QStringLiteral("parent-scaling"), request.parentScaling);
    if (!request.columnMap.isEmpty())
        manifest.hyperParameters.insert(kColumnMap, request.columnMap.join(QLatin1Char(',')));
    return success();
}

}  // namespace dw::timeseries
