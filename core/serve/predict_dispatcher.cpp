#include "core/serve/predict_dispatcher.h"

#include <algorithm>

#include <QTimer>

#include "core/jobs/job_manager.h"
#include "core/serve/form_data.h"
#include "core/serve/http_request.h"
#include "core/serve/predict_batch.h"
#include "core/serve/request_arguments.h"
#include "core/task/task_plugin.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QTimer>

namespace dw {

using namespace Qt::StringLiterals;

namespace {

bool isJson(const QString &accept)
{
    return accept.isEmpty() || accept == u"application/json"_s || accept == u"*/*"_s;
}

constexpr int kMaxBatchFiles = 64;

// A JSON answer with the request's warnings (arguments ignored) added.
HttpReply withWarnings(HttpReply reply, const QStringList &warnings)
{
    if (warnings.isEmpty() || !reply.contentType.startsWith("application/json"))
        return reply;
    QJsonObject json = QJsonDocument::fromJson(reply.body).object();
    json.insert(u"warnings"_s, QJsonArray::fromStringList(warnings));
    reply.body = QJsonDocument(json).toJson(QJsonDocument::Compact);
    return reply;
}  // files in one predict() call: bounded memory and latency

}  // namespace

PredictDispatcher::PredictDispatcher(JobManager &jobs, QString device, QObject *parent)
    : QObject(parent), m_jobs(jobs), m_device(std::move(device))
{
    connect(&m_jobs, &JobManager::jobFinished, this, &PredictDispatcher::finished);
}

PredictDispatcher::~PredictDispatcher()
{
    cancelAll();
}

void PredictDispatcher::predict(const ServedModule &module, const HttpRequest &request, const ReplyChannel &reply)
{
    if (module.isTemplate()) {
        reply.send(HttpReply::error(
            409, u"the module \"%1\" is a template: it has no trained weights and cannot predict; "
                 "train it first (POST /v2/models/%1/train/) and predict with the module that makes"_s.arg(module.id)));
        return;
    }
    Result<FormData> form = FormData::parse(request.header("content-type"), request.body, request.query);
    if (!form) {
        reply.send(HttpReply::error(400, form.error().message));
        return;
    }
    QVariantMap raw = form->fields;
    // The field wins over the header (deepaas_ui sends both); media ranges and q-values count.
    const QString acceptField = raw.take(u"accept"_s).toString().trimmed();
    const Result<QString> preferred =
        preferredMediaType(acceptField.isEmpty() ? QString::fromLatin1(request.header("accept")) : acceptField);
    if (!preferred) {
        reply.send(HttpReply::invalid(preferred.error().message, u"accept"_s));
        return;
    }
    const QString accept = *preferred;
    const ArgumentSchema full = module.plugin ? module.plugin->predictArguments() : ArgumentSchema();
    const ArgumentSplit split =
        splitArguments(raw, module.predictSchema, full, QStringList{u"data"_s} + module.extraUploads);
    if (!split.serverOwned.isEmpty()) {
        reply.send(
            HttpReply::invalid(u"\"%1\" is set by the server, not by a request: leave it out"_s.arg(split.serverOwned),
                               split.serverOwned));
        return;
    }
    raw = split.known;
    if (raw.contains(u"data"_s)) {
        reply.send(HttpReply::invalid(
            u"\"data\" must be a file upload (multipart/form-data with a file name), not a text field"_s, u"data"_s));
        return;
    }
    QList<UploadedFile> uploads, extras;
    for (const UploadedFile &file : form->files) {
        if (module.extraUploads.contains(file.field)) {
            if (std::any_of(extras.cbegin(), extras.cend(),
                            [&file](const UploadedFile &f) { return f.field == file.field; })) {
                reply.send(HttpReply::invalid(u"one file only in \"%1\""_s.arg(file.field), file.field));
                return;
            }
            extras.append(file);
            continue;
        }
        if (file.field != u"data"_s) {
            const QString takes = (QStringList{u"data"_s} + module.extraUploads).join(u"\", \""_s);
            reply.send(HttpReply::invalid(
                u"the field \"%1\" carries a file; only \"%2\" take files"_s.arg(file.field, takes), file.field));
            return;
        }
        uploads.append(file);
    }
    for (const QString &field : module.extraUploads) {
        if (raw.contains(field)) {
            reply.send(HttpReply::invalid(
                u"\"%1\" must be a file upload (multipart/form-data with a file name), not a text field"_s.arg(field),
                field));
            return;
        }
    }
    if (module.uploadArgument.isEmpty() && !uploads.isEmpty()) {
        reply.send(HttpReply::invalid(
            u"the task \"%1\" takes no input file: leave \"data\" out"_s.arg(module.manifest.task), u"data"_s));
        return;
    }
    if (module.uploadRequired && uploads.isEmpty()) {
        reply.send(HttpReply::invalid(u"no input file: send it as the multipart/form-data file field \"data\" "
                                      "(curl -F data=@image.png ...)"_s,
                                      u"data"_s));
        return;
    }
    if (!module.uploadIsList && uploads.size() > 1) {
        reply.send(HttpReply::invalid(u"one file only: the task takes a single input"_s, u"data"_s));
        return;
    }
    Result<QVariantMap> args = module.predictSchema.validate(raw);
    if (!args) {
        reply.send(HttpReply::invalid(args.error().message, args.error().field));
        return;
    }

    auto entry = std::make_shared<PredictRequest>(PredictRequest{reply, uploads, extras, {}, {}});
    if (!split.ignored.isEmpty())
        entry->warnings.append(ignoredWarning(split.ignored));
    // Requests that may share a call: same module, same arguments, JSON answers, list input
    // (and no file of their own besides "data").
    QString key;
    if (module.uploadIsList && isJson(accept) && extras.isEmpty())
        key = module.id + u'\n' +
              QString::fromUtf8(QJsonDocument(QJsonObject::fromVariantMap(*args)).toJson(QJsonDocument::Compact));
    if (!key.isEmpty()) {
        const auto open = m_open.constFind(key);
        if (open != m_open.cend() && (*open)->join(entry, kMaxBatchFiles))
            return;  // answered when that batch's job is done
    }
    auto batch = std::make_shared<PredictBatch>();
    batch->module = module;
    batch->values = *args;
    batch->accept = accept;
    batch->key = key;
    batch->requests.append(entry);  // no job sees it yet: no lock needed
    batch->files = int(entry->uploads.size());

    JobSpec spec;
    spec.title = u"Predict with %1 (REST)"_s.arg(module.id);
    spec.kind = u"predict"_s;
    spec.queue = JobQueue::Predict;  // beside the trainings, never behind them
    spec.device = m_device;
    spec.function = [batch](JobContext &context) -> Result<QVariant> {
        runPredictBatch(*batch, context);
        return QVariant();
    };
    const QString id = m_jobs.submit(std::move(spec));
    if (!key.isEmpty())
        m_open.insert(key, batch);
    m_pending.insert(id, batch);
}

void PredictDispatcher::finished(const QString &jobId)
{
    const auto it = m_pending.find(jobId);
    if (it == m_pending.end())
        return;
    const std::shared_ptr<PredictBatch> batch = *it;
    m_pending.erase(it);
    if (m_open.value(batch->key) == batch)
        m_open.remove(batch->key);
    const JobInfo info = m_jobs.job(jobId);
    // A server answers many predictions: the manager forgets each once every listener of
    // jobFinished has seen it (the Jobs panel keeps its own copy of the row).
    QTimer::singleShot(0, &m_jobs, [jobs = &m_jobs, jobId] { jobs->forget(jobId); });
    // Closed here too: a job cancelled before it started never took its requests.
    const QList<std::shared_ptr<PredictRequest>> requests = batch->close();
    QStringList restArguments;
    for (const ArgumentSpec &spec : batch->module.predictSchema.specs())
        restArguments.append(spec.name);
    const QString uploadArgument = batch->module.uploadArgument;
    for (const std::shared_ptr<PredictRequest> &request : requests) {
        const PredictOutcome &outcome = request->outcome;
        if (info.state == JobState::Cancelled) {
            request->reply.send(
                HttpReply::error(503, u"the prediction was cancelled before it finished (the server is stopping, "
                                      "or it was cancelled in the workbench's Jobs panel); send it again"_s));
        } else if (outcome.ok) {
            request->reply.send(
                withWarnings(HttpReply::bytes(outcome.body, outcome.contentType, outcome.status), request->warnings));
        } else {
            const Error error = outcome.error.message.isEmpty() ? Error{info.error, {}} : outcome.error;
            const bool userError = restArguments.contains(error.field) ||
                                   batch->module.extraUploads.contains(error.field) ||
                                   (!error.field.isEmpty() && error.field == uploadArgument);
            const QString argument = !error.field.isEmpty() && error.field == uploadArgument ? u"data"_s : error.field;
            const QString message =
                error.message.isEmpty() ? u"the prediction failed without a message"_s : error.message;
            request->reply.send(userError
                                    ? HttpReply::invalid(message, argument)
                                    : HttpReply::error(500, u"the prediction failed: %1"_s.arg(message), argument));
        }
    }
}

void PredictDispatcher::cancelAll()
{
    const QStringList ids = m_pending.keys();
    for (const QString &id : ids)
        m_jobs.cancel(id);
}

}  // namespace dw
