#include "core/catalog/module_run_data.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>
#include <cmath>

namespace dw {

namespace {

Result<QJsonObject> readObject(const QString &path)
{
    QFile file(path);
    if (!file.exists())
        return failure(QStringLiteral("no %1").arg(QFileInfo(path).fileName()));
    if (!file.open(QIODevice::ReadOnly))
        return failure(QStringLiteral("cannot read %1: %2").arg(path, file.errorString()));
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return failure(QStringLiteral("%1 is not a JSON object: %2").arg(path, error.errorString()));
    return doc.object();
}

// The losses and accuracies have fields of their own in every record: not repeated here.
bool isFixedField(const QString &name)
{
    return name == QLatin1String("train_loss") || name == QLatin1String("val_loss") ||
           name == QLatin1String("train_accuracy") || name == QLatin1String("val_accuracy");
}

QMap<QString, QList<QPair<int, double>>> namedMetrics(const QJsonObject &history)
{
    QMap<QString, QList<QPair<int, double>>> metrics;
    const auto add = [&metrics](int epoch, const QString &name, const QJsonValue &value) {
        if (!name.isEmpty() && !isFixedField(name) && value.isDouble() && std::isfinite(value.toDouble()))
            metrics[name].append({epoch, value.toDouble()});
    };
    for (const QJsonValue &value : history.value(QStringLiteral("epochs")).toArray()) {
        const QJsonObject record = value.toObject();
        const int epoch = record.value(QStringLiteral("epoch")).toInt();
        const QJsonValue named = record.value(QStringLiteral("metrics"));
        // [{"name", "value", "higher_is_better"}] as the trainers write it, or {"name": value}.
        for (const QJsonValue &one : named.toArray())
            add(epoch, one.toObject().value(QStringLiteral("name")).toString(),
                one.toObject().value(QStringLiteral("value")));
        const QJsonObject byName = named.toObject();
        for (auto it = byName.begin(); it != byName.end(); ++it)
            add(epoch, it.key(), it.value());
    }
    for (auto &series : metrics)
        std::sort(series.begin(), series.end());
    return metrics;
}

bool anyAccuracy(const TrainingHistory &history, double EpochRecord::*field)
{
    const auto &epochs = history.epochs();
    return std::any_of(epochs.cbegin(), epochs.cend(),
                       [field](const EpochRecord &r) { return std::isfinite(r.*field) && r.*field > 0.0; });
}

}  // namespace

bool ModuleRunData::hasTrainAccuracy() const
{
    return anyAccuracy(history, &EpochRecord::trainAccuracy);
}
bool ModuleRunData::hasValAccuracy() const
{
    return anyAccuracy(history, &EpochRecord::valAccuracy);
}

QList<ClassScore> perClassF1(const QJsonValue &perClass)
{
    QList<ClassScore> scores;
    if (perClass.isArray()) {
        for (const QJsonValue &value : perClass.toArray()) {
            const QJsonObject one = value.toObject();
            const QString name = one.value(QStringLiteral("class")).toString();
            if (!name.isEmpty() && one.value(QStringLiteral("f1")).isDouble())
                scores << ClassScore{name, one.value(QStringLiteral("f1")).toDouble()};
        }
    } else if (perClass.isObject()) {
        const QJsonObject byClass = perClass.toObject();
        for (auto it = byClass.begin(); it != byClass.end(); ++it) {
            const QJsonValue f1 =
                it.value().isObject() ? it.value().toObject().value(QStringLiteral("f1")) : it.value();
            if (f1.isDouble())
                scores << ClassScore{it.key(), f1.toDouble()};
        }
    }
    return scores;
}

ModuleRunData loadModuleRunData(const QString &moduleDirectory, const QJsonObject &manifestMetrics)
{
    ModuleRunData data;
    data.directory = moduleDirectory;
    const QDir dir(moduleDirectory);

    // One read of history.json for both the typed history and the named metrics that the
    // typed records do not keep.
    if (Result<QJsonObject> json = readObject(dir.filePath(QStringLiteral("history.json"))); !json) {
        data.historyProblem = json.error().text();
    } else if (Result<TrainingHistory> history = TrainingHistory::fromJson(*json); !history) {
        data.historyProblem = history.error().text();
    } else {
        data.history = *history;
        data.epochMetrics = namedMetrics(*json);
    }

    if (Result<QJsonObject> evaluation = readObject(dir.filePath(QStringLiteral("evaluation.json"))); evaluation) {
        data.perClassF1 = perClassF1(evaluation->value(QStringLiteral("per_class")));
        if (!data.perClassF1.isEmpty())
            data.perClassSource = QStringLiteral("evaluation.json");
    }
    if (data.perClassF1.isEmpty()) {
        data.perClassF1 = perClassF1(manifestMetrics.value(QStringLiteral("per_class")));
        if (!data.perClassF1.isEmpty())
            data.perClassSource = QStringLiteral("module.json");
    }
    return data;
}

}  // namespace dw
