#pragma once
// Run records: one JSON file per job (<directory>/<job id>.json) with its state, times,
// progress, log and, when it can be written as JSON, its result. The job manager writes
// them from its worker threads; the REST API and the Jobs dock read them back.
#include "core/jobs/job.h"
#include "core/util/result.h"

#include <QJsonObject>
#include <QJsonValue>
#include <QString>

namespace dw {

QString runRecordPath(const QString &directory, const QString &jobId);
// A job's result as JSON: a dw::TaskResult as {"kind": ..., ...}, JSON and plain values as
// they are; undefined when the result has no JSON form.
QJsonValue jobResultToJson(const QVariant &result);
QJsonObject runRecordJson(const JobInfo &info);  // JobInfo::toJson() plus "result"
// Atomic (QSaveFile): a reader never sees half a record. Creates the directory.
Result<void> writeRunRecord(const QString &directory, const JobInfo &info);
Result<JobInfo> readRunRecord(const QString &file);

}  // namespace dw
