#include "core/serve/training_record.h"

#include <QJsonArray>
#include <QTimeZone>

namespace dw {

using namespace Qt::StringLiterals;

namespace {

// DEEPaaS's form (Python's str(datetime)): "2026-12-06 12:30:05.123000", in UTC.
QString dateText(const QDateTime &time)
{
    return time.isValid() ? time.toUTC().toString(u"yyyy-MM-dd HH:mm:ss.zzz"_s) + u"000"_s : QString();
}

// That form, or ISO 8601 as records written before it have.
QDateTime dateFromText(const QString &text)
{
    QDateTime time = QDateTime::fromString(text.left(23), u"yyyy-MM-dd HH:mm:ss.zzz"_s);
    if (time.isValid()) {
        time.setTimeSpec(Qt::UTC);
        return time;
    }
    return QDateTime::fromString(text, Qt::ISODateWithMs);
}

}  // namespace

QJsonObject TrainingRecord::toJson() const
{
    QJsonObject json{{u"uuid"_s, uuid},         {u"date"_s, dateText(date)},
                     {u"args"_s, args},         {u"status"_s, status},
                     {u"state"_s, state},       {u"model"_s, model},
                     {u"progress"_s, progress}, {u"log"_s, QJsonArray::fromStringList(log)}};
    if (!message.isEmpty())
        json.insert(u"message"_s, message);
    if (!training.isEmpty())
        json.insert(u"training"_s, training);
    if (finished.isValid()) {
        json.insert(u"finish_date"_s, dateText(finished));
        if (date.isValid())
            json.insert(u"duration_seconds"_s, double(date.msecsTo(finished)) / 1000.0);
    }
    if (!result.isUndefined() && !result.isNull())
        json.insert(u"result"_s, result);
    if (!moduleId.isEmpty())
        json.insert(u"module"_s, moduleId);
    if (!jobId.isEmpty())
        json.insert(u"job"_s, jobId);
    return json;
}

TrainingRecord TrainingRecord::fromJson(const QJsonObject &json)
{
    TrainingRecord r;
    r.uuid = json.value(u"uuid"_s).toString();
    r.model = json.value(u"model"_s).toString();
    r.jobId = json.value(u"job"_s).toString();
    r.date = dateFromText(json.value(u"date"_s).toString());
    r.finished = dateFromText(json.value(u"finish_date"_s).toString());
    r.args = json.value(u"args"_s).toObject();
    r.status = json.value(u"status"_s).toString(u"error"_s);
    r.state = json.value(u"state"_s).toString();
    r.message = json.value(u"message"_s).toString();
    r.progress = json.value(u"progress"_s).toDouble();
    r.training = json.value(u"training"_s).toObject();
    for (const QJsonValue &line : json.value(u"log"_s).toArray())
        r.log.append(line.toString());
    r.result = json.value(u"result"_s);
    r.moduleId = json.value(u"module"_s).toString();
    return r;
}

}  // namespace dw
