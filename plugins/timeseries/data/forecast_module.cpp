#include "plugins/timeseries/data/forecast_module.h"

#include "core/catalog/manifest_io.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>

namespace dw::timeseries {

namespace {
const QString kWeights = QStringLiteral("weights.pt");

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
    return QDir(directory).filePath(manifest.weights.file.isEmpty() ? kWeights : manifest.weights.file);
}

Result<ForecastModule> readForecastModule(const QString &moduleDir)
{
    const QString directory = QDir(moduleDir).absolutePath();
    if (!QFileInfo(QDir(directory).filePath(manifestFileName())).isFile())
        return failure(QStringLiteral("%1 is not a module folder: it has no module.json").arg(directory), QStringLiteral("module"));
    ManifestReadResult read = readManifest(directory);
    ForecastModule module;
    module.directory = directory;
    module.manifest = read.manifest;
    const QString name = read.manifest.id.isEmpty() ? QDir(directory).dirName() : read.manifest.id;
    if (!read.problems.isEmpty()) {
        const ValidationProblem &first = read.problems.first();
        return failure(QStringLiteral("the module %1 is damaged: %2: %3").arg(name, first.field, first.message),
                       QStringLiteral("module"));
    }
    if (module.manifest.task != timeSeriesTask())
        return failure(QStringLiteral("the module %1 is for the task '%2', not time series").arg(name, module.manifest.task),
                       QStringLiteral("module"));
    if (module.manifest.isTemplate())
        return failure(QStringLiteral("the module %1 is a template without weights: train it first (deepwb train time-series)")
                           .arg(name),
                       QStringLiteral("module"));
    const QJsonObject inputs = module.manifest.inputs;
    Result<ForecasterSpec> network = ForecasterSpec::fromJson(inputs.value(QStringLiteral("network")).toObject());
    if (!network)
        return failure(QStringLiteral("the module %1 has an unusable inputs.network: %2").arg(name, network.error().message),
                       QStringLiteral("module"));
    module.network = network.value();
    module.targets = stringList(inputs.value(QStringLiteral("targets")));
    module.inputs = stringList(inputs.value(QStringLiteral("inputs")));
    if (module.targets.size() != module.network.targets
        || module.featureNames().size() != module.network.features)
        return failure(QStringLiteral("the module %1 names %2 target(s) and %3 input(s) but its network takes %4 and %5")
                           .arg(name).arg(module.targets.size()).arg(module.inputs.size())
                           .arg(module.network.targets).arg(module.network.features - module.network.targets),
                       QStringLiteral("module"));
    Result<ModelSpace> space = ModelSpace::fromJson(inputs);
    if (!space)
        return failure(QStringLiteral("the module %1 has unusable %2: %3").arg(name, space.error().field, space.error().message),
                       QStringLiteral("module"));
    module.space = std::move(space).value();
    if (module.space.scaler().columnCount() != module.network.features)
        return failure(QStringLiteral("the module %1 scales %2 column(s) but its network reads %3")
                           .arg(name).arg(module.space.scaler().columnCount()).arg(module.network.features),
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
    if (!QFileInfo(module.weightsPath()).isFile())
        return failure(QStringLiteral("the module %1 has no weights file %2: train it again").arg(name, module.weightsPath()),
                       QStringLiteral("module"));
    return module;
}

Result<void> writeForecastModule(ForecastModule module)
{
    ModuleManifest &m = module.manifest;
    m.task = timeSeriesTask();
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
    m.weights.file = kWeights;
    m.weights.format = QStringLiteral("torch-state-dict");
    Result<QString> hash = sha256OfFile(QDir(module.directory).filePath(kWeights));
    if (!hash)
        return hash.error();
    m.weights.sha256 = hash.value();
    if (m.createdWith.isEmpty())
        m.createdWith = QStringLiteral("deep-workbench 0.1.0");
    return writeManifest(m, module.directory);
}

}  // namespace dw::timeseries
