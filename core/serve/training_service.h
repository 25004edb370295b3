#pragma once
// The train routes: POST starts a training job (GPU queue) and answers at once with its
// record; GET lists or shows records (with the job's live progress); DELETE cancels a
// running one (answered when it has stopped) or forgets a finished one. Records are kept by
// a TrainingStore, so they survive a restart.
#include "core/serve/reply_channel.h"
#include "core/serve/served_module.h"
#include "core/serve/training_record.h"

#include <QHash>
#include <QObject>
#include <QStringList>

#include <functional>

namespace dw {

class Catalog;
class JobManager;
class TrainingStore;
struct HttpRequest;

class TrainingService : public QObject {
    Q_OBJECT
public:
    // dataRoots: the folders whose paths train requests may name. catalog: where a training
    // that makes a module puts it (the "output" argument).
    TrainingService(JobManager &jobs, TrainingStore &store, const Catalog &catalog, QStringList dataRoots,
                    QString device, QObject *parent = nullptr);
    ~TrainingService() override;

    void start(const ServedModule &module, const HttpRequest &request, const ReplyChannel &reply);
    void list(const ServedModule &module, const ReplyChannel &reply) const;
    void show(const ServedModule &module, const QString &uuid, const ReplyChannel &reply) const;
    void cancel(const ServedModule &module, const QString &uuid, const ReplyChannel &reply);
    // Cancels every training this service runs (the server is stopping).
    void cancelAll();
    int runningCount() const { return int(m_byJob.size()); }

    // A record as the API shows it: the stored one plus the job's live state.
    TrainingRecord current(const TrainingRecord &record) const;

Q_SIGNALS:
    // A training finished and wrote a module into the catalog: the server serves it next.
    void moduleCreated(const QString &moduleId);

private:
    void jobChanged(const QString &jobId);
    void jobFinished(const QString &jobId);
    // Empty when path lies in a data root; else why not.
    QString checkDataPath(const QString &argument, const QString &path) const;
    // Empty when a training may write the module moduleId into folder; else why not (409).
    QString nameInUse(const QString &moduleId, const QString &folder, bool resume) const;

    JobManager &m_jobs;
    TrainingStore &m_store;
    const Catalog &m_catalog;
    QStringList m_dataRoots;  // canonical
    QString m_device;
    QHash<QString, QString> m_byJob;                // job id -> training uuid
    QHash<QString, QList<ReplyChannel>> m_cancels;  // job id -> DELETE requests waiting for it
};

}  // namespace dw
