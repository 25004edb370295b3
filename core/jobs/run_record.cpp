#include "core/jobs/run_record.h"

#include "core/util/file_commit.h"

#include "core/task/task_result.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>

namespace dw {

using namespace Qt::StringLiterals;

QString runRecordPath(const QString &directory, const QString &jobId)
{
    return QDir(directory).filePath(jobId + u".json"_s);
}

QJsonValue jobResultToJson(const QVariant &result)
{
    if (!result.isValid())
        return QJsonValue(QJsonValue::Undefined);
    if (result.metaType() == QMetaType::fromType<TaskResult>()) {
        const TaskResult task = result.value<TaskResult>();
        QJsonObject json = taskResultToJson(task);
        json.insert(u"kind"_s, taskResultKind(task));
        return json;
    }
    switch (result.typeId()) {
    case QMetaType::QJsonValue:
        return result.toJsonValue();
    case QMetaType::QJsonObject:
        return result.toJsonObject();
    case QMetaType::QJsonArray:
        return result.toJsonArray();
    case QMetaType::QJsonDocument: {
        const QJsonDocument doc = result.toJsonDocument();
        return doc.isArray() ? QJsonValue(doc.array()) : QJsonValue(doc.object());
    }
    default:
        break;
    }
    const QJsonValue value = QJsonValue::fromVariant(result);
    // fromVariant turns what it does not know into null; that is "no JSON form", not a null result.
    return value.isNull() ? QJsonValue(QJsonValue::Undefined) : value;
}

QJsonObject runRecordJson(const JobInfo &info)
{
    QJsonObject json = info.toJson();
    const QJsonValue result = jobResultToJson(info.result);
    if (!result.isUndefined())
        json.insert(u"result"_s, result);
    return json;
}

Result<void> writeRunRecord(const QString &directory, const JobInfo &info)
{
    if (!QDir().mkpath(directory))
        return failure(u"cannot create the run record folder %1"_s.arg(directory));
    const QString path = runRecordPath(directory, info.id);
    return writeFileAtomically(path, QJsonDocument(runRecordJson(info)).toJson(QJsonDocument::Indented),
                               u"the run record"_s);
}

Result<JobInfo> readRunRecord(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return failure(u"cannot read the run record %1: %2"_s.arg(path, file.errorString()));
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return failure(u"%1 is not a valid run record: %2"_s.arg(path, error.errorString()));
    JobInfo info = JobInfo::fromJson(doc.object());
    if (info.id.isEmpty())
        return failure(u"%1 is not a valid run record: it has no job id"_s.arg(path));
    return info;
}

}  // namespace dw
