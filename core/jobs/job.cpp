#include "core/jobs/job.h"

#include <QJsonArray>

namespace dw {

namespace {

using namespace Qt::StringLiterals;

constexpr std::pair<JobState, const char *> kStateNames[] = {
    {JobState::Queued, "queued"}, {JobState::Running, "running"},     {JobState::Done, "done"},
    {JobState::Failed, "failed"}, {JobState::Cancelled, "cancelled"},
};

// Run records are read by people and other programs: ISO 8601 in UTC, with milliseconds.
QJsonValue timeToJson(const QDateTime &time)
{
    return time.isValid() ? QJsonValue(time.toUTC().toString(Qt::ISODateWithMs)) : QJsonValue(QJsonValue::Null);
}

QDateTime timeFromJson(const QJsonValue &value)
{
    return QDateTime::fromString(value.toString(), Qt::ISODateWithMs);
}

}  // namespace

QString jobStateName(JobState state)
{
    for (const auto &[s, name] : kStateNames) {
        if (s == state)
            return QString::fromLatin1(name);
    }
    return u"queued"_s;
}

std::optional<JobState> jobStateFromName(const QString &name)
{
    for (const auto &[s, n] : kStateNames) {
        if (name == QLatin1StringView(n))
            return s;
    }
    return std::nullopt;
}

bool isFinished(JobState state)
{
    return state == JobState::Done || state == JobState::Failed || state == JobState::Cancelled;
}

QString jobQueueName(JobQueue queue)
{
    switch (queue) {
    case JobQueue::Gpu:
        return u"gpu"_s;
    case JobQueue::Predict:
        return u"predict"_s;
    case JobQueue::Cpu:
        break;
    }
    return u"cpu"_s;
}

QJsonObject JobInfo::toJson() const
{
    QJsonObject json{{u"id"_s, id},
                     {u"title"_s, title},
                     {u"kind"_s, kind},
                     {u"device"_s, device},
                     {u"queue"_s, jobQueueName(queue)},
                     {u"state"_s, jobStateName(state)},
                     {u"progress"_s, progress},
                     {u"message"_s, message},
                     {u"eta_seconds"_s, etaSeconds},
                     {u"log"_s, QJsonArray::fromStringList(log)},
                     {u"created"_s, timeToJson(created)},
                     {u"started"_s, timeToJson(started)},
                     {u"finished"_s, timeToJson(finished)}};
    if (!error.isEmpty())
        json.insert(u"error"_s, error);
    if (const QJsonObject training = trainingJson(); !training.isEmpty())
        json.insert(u"training"_s, training);
    if (started.isValid()) {
        const QDateTime end = finished.isValid() ? finished : QDateTime::currentDateTimeUtc();
        json.insert(u"duration_seconds"_s, double(started.msecsTo(end)) / 1000.0);
    }
    return json;
}

QJsonObject JobInfo::trainingJson() const
{
    QJsonObject training;
    if (!trainingEpochs.isEmpty()) {
        QJsonArray epochs;
        for (const TrainingProgress &epoch : trainingEpochs)
            epochs.append(epoch.toJson());
        training.insert(u"epochs"_s, epochs);
    }
    if (trainingStep)
        training.insert(u"step"_s, trainingStep->toJson());
    return training;
}

JobInfo JobInfo::fromJson(const QJsonObject &json)
{
    JobInfo info;
    info.id = json.value(u"id"_s).toString();
    info.title = json.value(u"title"_s).toString();
    info.kind = json.value(u"kind"_s).toString();
    info.device = json.value(u"device"_s).toString();
    info.queue = json.value(u"queue"_s).toString() == u"gpu"_s ? JobQueue::Gpu : JobQueue::Cpu;
    info.state = jobStateFromName(json.value(u"state"_s).toString()).value_or(JobState::Failed);
    info.progress = json.value(u"progress"_s).toDouble();
    info.message = json.value(u"message"_s).toString();
    info.etaSeconds = json.value(u"eta_seconds"_s).toInteger(-1);
    for (const QJsonValue &line : json.value(u"log"_s).toArray())
        info.log << line.toString();
    info.error = json.value(u"error"_s).toString();
    const QJsonObject training = json.value(u"training"_s).toObject();
    for (const QJsonValue &epoch : training.value(u"epochs"_s).toArray())
        info.trainingEpochs.append(TrainingProgress::fromJson(epoch.toObject()));
    if (training.contains(u"step"_s))
        info.trainingStep = TrainingProgress::fromJson(training.value(u"step"_s).toObject());
    if (json.contains(u"result"_s))
        info.result = QVariant::fromValue(json.value(u"result"_s));
    info.created = timeFromJson(json.value(u"created"_s));
    info.started = timeFromJson(json.value(u"started"_s));
    info.finished = timeFromJson(json.value(u"finished"_s));
    return info;
}

}  // namespace dw
