#include "core/ml/training_history.h"

#include "core/util/file_commit.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>

#include <algorithm>
#include <cmath>

namespace dw {

namespace {
// JSON has no NaN or infinity: a diverged epoch's loss is stored as null and read back as NaN.
QJsonValue number(double value)
{
    return std::isfinite(value) ? QJsonValue(value) : QJsonValue(QJsonValue::Null);
}

double numberOf(const QJsonObject &json, const char *key)
{
    const QJsonValue value = json.value(QLatin1String(key));
    return value.isDouble() ? value.toDouble() : std::nan("");
}
}  // namespace

EpochRecord EpochRecord::fromProgress(const TrainingProgress &epoch, qint64 skipped)
{
    EpochRecord record;
    record.epoch = epoch.epoch;
    record.trainLoss = epoch.metric(QStringLiteral("train_loss")).value_or(std::nan(""));
    record.trainAccuracy = epoch.metric(QStringLiteral("train_accuracy")).value_or(0.0);
    record.valLoss = epoch.metric(QStringLiteral("val_loss")).value_or(std::nan(""));
    record.valAccuracy = epoch.metric(QStringLiteral("val_accuracy")).value_or(0.0);
    record.lr = epoch.learningRate;
    record.seconds = epoch.seconds;
    record.skipped = skipped;
    record.metrics = epoch.metrics;
    return record;
}

TrainingProgress EpochRecord::toProgress(int epochs, int bestEpoch) const
{
    TrainingProgress p;
    p.kind = TrainingProgress::Kind::Epoch;
    p.epoch = epoch;
    p.epochs = epochs;
    p.learningRate = lr;
    p.seconds = seconds;
    p.bestEpoch = bestEpoch;
    p.best = bestEpoch == epoch;
    p.metrics = metrics;
    if (p.metrics.isEmpty()) {  // an older history: its fixed fields
        p.setMetric(QStringLiteral("train_loss"), trainLoss, false);
        if (trainAccuracy > 0)
            p.setMetric(QStringLiteral("train_accuracy"), trainAccuracy, true);
        p.setMetric(QStringLiteral("val_loss"), valLoss, false);
        if (valAccuracy > 0)
            p.setMetric(QStringLiteral("val_accuracy"), valAccuracy, true);
    }
    return p;
}

QJsonObject EpochRecord::toJson() const
{
    QJsonObject json = {{QStringLiteral("epoch"), epoch},
                        {QStringLiteral("train_loss"), number(trainLoss)},
                        {QStringLiteral("train_accuracy"), number(trainAccuracy)},
                        {QStringLiteral("val_loss"), number(valLoss)},
                        {QStringLiteral("val_accuracy"), number(valAccuracy)},
                        {QStringLiteral("lr"), number(lr)},
                        {QStringLiteral("seconds"), number(seconds)},
                        {QStringLiteral("skipped"), skipped}};
    if (!metrics.isEmpty()) {
        QJsonArray list;
        for (const TrainingMetric &m : metrics)
            list.append(QJsonObject{{QStringLiteral("name"), m.name},
                                    {QStringLiteral("value"), number(m.value)},
                                    {QStringLiteral("higher_is_better"), m.higherIsBetter}});
        json.insert(QStringLiteral("metrics"), list);
    }
    return json;
}

EpochRecord EpochRecord::fromJson(const QJsonObject &json)
{
    EpochRecord record;
    record.epoch = json.value(QStringLiteral("epoch")).toInt();
    record.trainLoss = numberOf(json, "train_loss");
    record.trainAccuracy = numberOf(json, "train_accuracy");
    record.valLoss = numberOf(json, "val_loss");
    record.valAccuracy = numberOf(json, "val_accuracy");
    record.lr = numberOf(json, "lr");
    record.seconds = numberOf(json, "seconds");
    record.skipped = json.value(QStringLiteral("skipped")).toInteger();
    for (const QJsonValue &m : json.value(QStringLiteral("metrics")).toArray()) {
        const QJsonObject metric = m.toObject();
        record.metrics.append({metric.value(QStringLiteral("name")).toString(), numberOf(metric, "value"),
                               metric.value(QStringLiteral("higher_is_better")).toBool()});
    }
    return record;
}

void TrainingHistory::add(const EpochRecord &record)
{
    truncate(record.epoch - 1);
    m_epochs.push_back(record);
}

void TrainingHistory::truncate(int epoch)
{
    m_epochs.erase(
        std::remove_if(m_epochs.begin(), m_epochs.end(), [epoch](const EpochRecord &r) { return r.epoch > epoch; }),
        m_epochs.end());
    if (m_bestEpoch > epoch)
        m_bestEpoch = 0;
}

const EpochRecord *TrainingHistory::record(int epoch) const
{
    for (const EpochRecord &r : m_epochs) {
        if (r.epoch == epoch)
            return &r;
    }
    return nullptr;
}

QJsonObject TrainingHistory::toJson() const
{
    QJsonArray epochs;
    for (const EpochRecord &record : m_epochs)
        epochs.append(record.toJson());
    QJsonObject json{{QStringLiteral("epochs"), epochs}, {QStringLiteral("best_epoch"), m_bestEpoch}};
    if (!m_stopped.isEmpty())
        json.insert(QStringLiteral("stopped"), m_stopped);
    return json;
}

Result<TrainingHistory> TrainingHistory::fromJson(const QJsonObject &json)
{
    const QJsonValue epochs = json.value(QStringLiteral("epochs"));
    if (!epochs.isArray())
        return failure(QStringLiteral("a training history needs an \"epochs\" list; the file is not a history.json "
                                      "written by the workbench"),
                       QStringLiteral("epochs"));
    TrainingHistory history;
    int previous = 0;
    for (const QJsonValue &value : epochs.toArray()) {
        if (!value.isObject())
            return failure(QStringLiteral("every entry of \"epochs\" must be an object"), QStringLiteral("epochs"));
        EpochRecord record = EpochRecord::fromJson(value.toObject());
        if (record.epoch <= previous)
            return failure(QStringLiteral("epoch numbers must start at 1 and increase (found %1 after %2)")
                               .arg(record.epoch)
                               .arg(previous),
                           QStringLiteral("epochs"));
        previous = record.epoch;
        history.m_epochs.push_back(record);
    }
    history.m_bestEpoch = json.value(QStringLiteral("best_epoch")).toInt();
    history.m_stopped = json.value(QStringLiteral("stopped")).toString();
    return history;
}

Result<void> TrainingHistory::save(const QString &path) const
{
    return writeFileAtomically(path, QJsonDocument(toJson()).toJson(QJsonDocument::Indented),
                               QStringLiteral("the training history"), path);
}

Result<TrainingHistory> TrainingHistory::load(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return failure(QStringLiteral("cannot read the training history %1: %2").arg(path, file.errorString()), path);
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(file.readAll(), &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        return failure(
            QStringLiteral("%1 is not valid JSON (%2 at offset %3)").arg(path, error.errorString()).arg(error.offset),
            path);
    return fromJson(document.object());
}

}  // namespace dw
