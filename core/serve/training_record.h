#pragma once
// One training started through the REST API, in DEEPaaS's shape ({date, args, uuid, status,
// message?, result?}) plus what the workbench knows more (model, job, progress, log).
#include <QDateTime>
#include <QJsonObject>
#include <QJsonValue>
#include <QString>
#include <QStringList>

namespace dw {

struct TrainingRecord {
    QString uuid;    // 32 hex digits, as DEEPaaS makes them
    QString model;   // the served module it was started on
    QString jobId;   // the job manager's id, while this server runs it
    QDateTime date;  // when it was asked for (UTC)
    QDateTime finished;
    QJsonObject args;                            // the validated arguments, as the client sent them
    QString status = QStringLiteral("running");  // running, done, error, cancelled (DEEPaaS's words)
    QString state;                               // the job's own: queued, running, done, failed, cancelled, interrupted
    QString message;                             // progress message, or why it failed
    double progress = 0.0;
    QStringList log;  // the last lines
    // The trainer's typed progress (JobInfo::trainingJson()): {"epochs": [{"epoch", "metrics":
    // [{"name", "value", "higher_is_better"}], "lr", "best", ...}], "step": {...}}.
    QJsonObject training;
    QJsonValue result;  // what the training returned, when done
    QString moduleId;   // the module it writes, when the task makes one

    bool isFinished() const { return status != QStringLiteral("running"); }
    QJsonObject toJson() const;
    static TrainingRecord fromJson(const QJsonObject &json);
};

}  // namespace dw
