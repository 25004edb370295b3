#pragma once
// POST /v2/models/{name}/predict/: checks the form against the module's REST schema, then
// runs the prediction as a job on the GPU queue and answers when it is done; requests that
// wait together may share one job and one predict() call (see predict_batch.h). The uploads
// are written by the job into a temporary folder (under names made here, never the
// client's), which is removed as soon as the answers are ready.
#include "core/serve/reply_channel.h"
#include "core/serve/served_module.h"

#include <QHash>
#include <QObject>

#include <memory>

namespace dw {

class JobManager;
struct PredictBatch;
struct HttpRequest;

class PredictDispatcher : public QObject {
    Q_OBJECT
public:
    PredictDispatcher(JobManager &jobs, QString device, QObject *parent = nullptr);
    ~PredictDispatcher() override;

    void predict(const ServedModule &module, const HttpRequest &request, const ReplyChannel &reply);
    void cancelAll();
    int pendingCount() const { return int(m_pending.size()); }

private:
    void finished(const QString &jobId);

    JobManager &m_jobs;
    QString m_device;
    QHash<QString, std::shared_ptr<PredictBatch>> m_pending;  // job id -> its batch
    QHash<QString, std::shared_ptr<PredictBatch>> m_open;     // batch key -> the batch requests may still join
};

}  // namespace dw
