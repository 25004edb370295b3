#include "plugins/timeseries/data/forecast_module.h"

#include "core/catalog/trained_module.h"

#include <QJsonArray>

namespace dw::timeseries {

namespace {
QStringList stringList(const QJsonValue &value)
{
    QStringList out;
    for (const QJsonValue &item : value.toArray())
        out << item.toString();
    return out;
}
}  // namespace

QString ForecastModule::weightsPath() const
{
    return trainedWeightsPath(directory, manifest);
}

Result<ForecastModule> readForecastModule(const QString &moduleDir)
{
    Result<TrainedModuleFolder> folder = readTrainedModule(moduleDir, timeSeriesTask(), QStringLiteral("time series"));
    if (!folder)
        return folder.error();
    ForecastModule module;
    module.directory = folder->directory;
    module.manifest = folder->manifest;
    const QString &name = folder->name;
    const QJsonObject inputs = module.manifest.inputs;
    Result<ForecasterSpec> network = ForecasterSpec::fromJson(inputs.value(QStringLiteral("network")).toObject());
    if (!network)
        return failure(
            QStringLiteral("the module %1 has an unusable inputs.network: %2").arg(name, network.error().message),
            QStringLiteral("module"));
    module.network = network.value();
    module.targets = stringList(inputs.value(QStringLiteral("targets")));
    module.inputs = stringList(inputs.value(QStringLiteral("inputs")));
    if (module.targets.size() != module.network.targets || module.featureNames().size() != module.network.features)
        return failure(
            QStringLiteral("the module %1 names %2 target(s) and %3 input(s) but its network takes %4 and %5")
                .arg(name)
                .arg(module.targets.size())
                .arg(module.inputs.size())
                .arg(module.network.targets)
                .arg(module.network.features - module.network.targets),
            QStringLiteral("module"));
    Result<ModelSpace> space = ModelSpace::fromJson(inputs);
    if (!space)
        return failure(
            QStringLiteral("the module %1 has unusable %2: %3").arg(name, space.error().field, space.error().message),
            QStringLiteral("module"));
    module.space = std::move(space).value();
    if (module.space.scaler().columnCount() != module.network.features)
        return failure(QStringLiteral("the module %1 scales %2 column(s) but its network reads %3")
                           .arg(name)
                           .arg(module.space.scaler().columnCount())
                           .arg(module.network.features),
                       QStringLiteral("module"));
    module.fill = inputs.value(QStringLiteral("fill")).toString(module.fill);
    module.timeColumn = inputs.value(QStringLiteral("time_column")).toString();
    module.timeFormat = inputs.value(QStringLiteral("time_format")).toString();
    module.sampling = inputs.value(QStringLiteral("sampling")).toObject();
    module.seasonLength = std::max(1, inputs.value(QStringLiteral("season_length")).toInt(1));
    const QJsonObject anomaly = module.manifest.extra.value(QStringLiteral("anomaly")).toObject();
    for (const QString &target : module.targets) {
        if (!anomaly.contains(target))
            continue;
        Result<AnomalyDetector> detector = AnomalyDetector::fromJson(anomaly.value(target).toObject());
        if (!detector)
            return failure(QStringLiteral("the module %1 has an unusable anomaly threshold for %2: %3")
                               .arg(name, target, detector.error().message),
                           QStringLiteral("module"));
        module.detectors.push_back(detector.value());
    }
    if (!module.detectors.empty() && module.detectors.size() != std::size_t(module.targets.size()))
        module.detectors.clear();  // all or none: a partial set would mislabel the bands
    return module;
}

Result<void> writeForecastModule(ForecastModule module)
{
    ModuleManifest &m = module.manifest;
    m.task = timeSeriesTask();
    if (m.architecture != QStringLiteral("onnx"))  // a model brought as ONNX stays one
        m.architecture = QString::fromStdString(module.network.kind);
    QJsonObject inputs = module.space.toJson();
    inputs.insert(QStringLiteral("targets"), QJsonArray::fromStringList(module.targets));
    inputs.insert(QStringLiteral("inputs"), QJsonArray::fromStringList(module.inputs));
    inputs.insert(QStringLiteral("window"), qint64(module.network.window));
    inputs.insert(QStringLiteral("horizon"), qint64(module.network.horizon));
    inputs.insert(QStringLiteral("fill"), module.fill);
    inputs.insert(QStringLiteral("time_column"), module.timeColumn);
    inputs.insert(QStringLiteral("time_format"), module.timeFormat);
    inputs.insert(QStringLiteral("sampling"), module.sampling);
    inputs.insert(QStringLiteral("season_length"), module.seasonLength);
    inputs.insert(QStringLiteral("network"), module.network.toJson());
    m.inputs = inputs;
    m.labels = module.targets;
    QJsonObject anomaly;
    for (std::size_t k = 0; k < module.detectors.size() && k < std::size_t(module.targets.size()); ++k)
        anomaly.insert(module.targets.at(qsizetype(k)), module.detectors[k].toJson());
    if (anomaly.isEmpty())
        m.extra.remove(QStringLiteral("anomaly"));
    else
        m.extra.insert(QStringLiteral("anomaly"), anomaly);
    return writeTrainedModule(m, module.directory);
}

}  // namespace dw::timeseries
