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

QJsonObject EpochRecord::toJson() const
{
    return {{QStringLiteral("epoch"), epoch},
            {QStringLiteral("train_loss"), number(trainLoss)},
            {QStringLiteral("train_accuracy"), number(trainAccuracy)},
            {QStringLiteral("val_loss"), number(valLoss)},
            {QStringLiteral("val_accuracy"), number(valAccuracy)},
            {QStringLiteral("lr"), number(lr)},
            {QStringLiteral("seconds"), number(seconds)},
            {QStringLiteral("skipped"), skipped}};
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
    return record;
}

void TrainingHistory::add(const EpochRecord &record)
{
    truncate(record.epoch - 1);
    m_epochs.push_back(record);
}

void TrainingHistory::truncate(int epoch)
{
    m_epochs.erase(std::remove_if(m_epochs.begin(), m_epochs.end(), [epoch](const EpochRecord &r) { return r.epoch > epoch; }),
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
    return writeFileAtomically(path, QJsonDocument(toJson()).toJson(QJsonDocument::Indented), QStringLiteral("the training history"), path);
}

Result<TrainingHistory> TrainingHistory::load(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return failure(QStringLiteral("cannot read the training history %1: %2").arg(path, file.errorString()), path);
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(file.readAll(), &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        return failure(QStringLiteral("%1 is not valid JSON (%2 at offset %3)").arg(path, error.errorString()).arg(error.offset),
                       path);
    return fromJson(document.object());
}

}  // namespace dw
