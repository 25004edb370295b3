#pragma once
// Predictions as the GPU-queue job runs them. Requests for the same module with the same
// arguments that wait in the queue together form one batch: for a task whose input is a list
// of files (an image classifier), the job makes one predict() call over all their files and
// gives each request its own items back; so 50 waiting clients cost one call, not 50. A
// batch that fails, or whose result cannot be split by input, is run again one request at a
// time, so that one bad upload never fails the others.
#include "core/serve/form_data.h"
#include "core/serve/reply_channel.h"
#include "core/serve/served_module.h"
#include "core/util/result.h"

#include <QByteArray>
#include <QList>
#include <QStringList>
#include <QVariantMap>

#include <memory>
#include <mutex>

class QTemporaryDir;

namespace dw {

class JobContext;

// What the worker leaves for the HTTP thread: filled before the job finishes.
struct PredictOutcome {
    bool ok = false;
    Error error;
    int status = 200;
    QByteArray body;  // the JSON answer or the file
    QByteArray contentType;
};

struct PredictRequest {
    ReplyChannel reply;
    QList<UploadedFile> uploads;  // the "data" files
    QList<UploadedFile> extras;   // files of the module's extraUploads fields (one per field)
    PredictOutcome outcome;       // written by the job, read after jobFinished
    QStringList warnings;         // for the client: arguments ignored
};

struct PredictBatch {
    ServedModule module;
    QVariantMap values;  // the validated REST arguments, the same for every request
    QString accept;      // "" or application/json: JSON; else the media type of a file
    QString key;         // what requests must share to join ("" : never joins)
    int files = 0;

    std::mutex mutex;     // guards requests and closed
    bool closed = false;  // set when the job takes the requests: later ones start a new batch
    QList<std::shared_ptr<PredictRequest>> requests;

    // Joins a request when the batch is still open and stays small enough.
    bool join(const std::shared_ptr<PredictRequest> &request, int maxFiles);
    // Takes the requests for the job and closes the batch.
    QList<std::shared_ptr<PredictRequest>> close();
};

// The job's work: every request of the batch gets its outcome.
void runPredictBatch(PredictBatch &batch, JobContext &context);

}  // namespace dw
