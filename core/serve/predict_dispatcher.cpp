#include "core/serve/predict_dispatcher.h"

#include "core/jobs/job_manager.h"
#include "core/serve/form_data.h"
#include "core/serve/http_request.h"
#include "core/task/task_plugin.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QFileInfo>
#include <QMimeDatabase>
#include <QRegularExpression>
#include <QTemporaryDir>

#include <mutex>

namespace dw {

using namespace Qt::StringLiterals;

namespace {

bool isJson(const QString &accept)
{
    return accept.isEmpty() || accept == u"application/json"_s || accept == u"*/*"_s;
}

// What the worker leaves for the HTTP thread: filled before the job finishes.
struct Outcome {
    std::mutex mutex;
    bool ok = false;
    Error error;
    QByteArray body;          // the JSON answer or the file
    QByteArray contentType;
    int status = 200;
};

QStringList resultFiles(const TaskResult &result)
{
    if (const auto *raster = std::get_if<RasterResult>(&result))
        return {raster->path};
    if (const auto *files = std::get_if<FilesResult>(&result))
        return files->paths;
    QStringList out;
    if (const auto *classes = std::get_if<ClassificationResult>(&result)) {
        for (const auto &item : classes->items) {
            if (!item.heatMapPath.isEmpty())
                out.append(item.heatMapPath);
        }
    }
    return out;
}

bool mediaMatches(const QString &accept, const QString &type)
{
    if (accept == u"application/octet-stream"_s)
        return true;
    if (accept.endsWith(u"/*"_s))
        return type.startsWith(accept.left(accept.size() - 1));
    return accept == type;
}

}  // namespace

struct PredictDispatcher::Pending {
    ReplyChannel reply;
    std::shared_ptr<Outcome> outcome;
    QStringList restArguments;  // for deciding 400 vs 500 on a failure naming a field
    QString uploadArgument;
};

PredictDispatcher::PredictDispatcher(JobManager &jobs, QString device, QObject *parent)
    : QObject(parent), m_jobs(jobs), m_device(std::move(device))
{
    connect(&m_jobs, &JobManager::jobFinished, this, &PredictDispatcher::finished);
}

PredictDispatcher::~PredictDispatcher()
{
    cancelAll();
}

QString PredictDispatcher::checkAccept(const QString &accept)
{
    static const QRegularExpression mediaType(u"^[a-z0-9][a-z0-9.+-]*/([a-z0-9][a-z0-9.+-]*|\\*)$"_s);
    if (isJson(accept) || mediaType.match(accept).hasMatch())
        return {};
    return u"\"%1\" is not a media type: use application/json (the default) or the type of the file wanted, "
           "e.g. image/png or image/tiff"_s.arg(accept);
}

void PredictDispatcher::predict(const ServedModule &module, const HttpRequest &request, const ReplyChannel &reply)
{
    if (module.isTemplate()) {
        reply.send(HttpReply::error(409, u"the module \"%1\" is a template: it has no trained weights and cannot predict; "
                                         "train it first (POST /v2/models/%1/train/) and predict with the module that makes"_s
                                             .arg(module.id)));
        return;
    }
    Result<FormData> form = FormData::parse(request.header("content-type"), request.body, request.query);
    if (!form) {
        reply.send(HttpReply::error(400, form.error().message));
        return;
    }
    QVariantMap raw = form->fields;
    QString accept = raw.take(u"accept"_s).toString().trimmed().toLower();
    if (accept.isEmpty()) {
        // DEEPaaS reads "accept" from the header; a generic header means JSON.
        const QString header = QString::fromLatin1(request.header("accept")).trimmed().toLower();
        if (!header.contains(u',') && !header.isEmpty() && header != u"*/*"_s)
            accept = header;
    }
    if (const QString why = checkAccept(accept); !why.isEmpty()) {
        reply.send(HttpReply::error(400, why, u"accept"_s));
        return;
    }
    if (raw.contains(u"data"_s)) {
        reply.send(HttpReply::error(400, u"\"data\" must be a file upload (multipart/form-data with a file name), not a text field"_s,
                                    u"data"_s));
        return;
    }
    QList<UploadedFile> uploads;
    for (const UploadedFile &file : form->files) {
        if (file.field != u"data"_s) {
            reply.send(HttpReply::error(400, u"the field \"%1\" carries a file; only \"data\" takes files"_s.arg(file.field), file.field));
            return;
        }
        uploads.append(file);
    }
    if (module.uploadArgument.isEmpty() && !uploads.isEmpty()) {
        reply.send(HttpReply::error(400, u"the task \"%1\" takes no input file: leave \"data\" out"_s.arg(module.manifest.task), u"data"_s));
        return;
    }
    if (module.uploadRequired && uploads.isEmpty()) {
        reply.send(HttpReply::error(400, u"no input file: send it as the multipart/form-data file field \"data\" "
                                         "(curl -F data=@image.png ...)"_s, u"data"_s));
        return;
    }
    if (!module.uploadIsList && uploads.size() > 1) {
        reply.send(HttpReply::error(400, u"one file only: the task takes a single input"_s, u"data"_s));
        return;
    }
    Result<QVariantMap> args = module.predictSchema.validate(raw);
    if (!args) {
        reply.send(HttpReply::error(400, args.error().message, args.error().field));
        return;
    }

    auto outcome = std::make_shared<Outcome>();
    // A folder of its own for each request that brings files or makes them.
    std::shared_ptr<QTemporaryDir> tempDir;
    if (!uploads.isEmpty() || module.plugin->predictArguments().find(u"output"_s))
        tempDir = std::make_shared<QTemporaryDir>(QDir::tempPath() + u"/deepwb-serve-XXXXXX"_s);
    if (tempDir && !tempDir->isValid()) {
        reply.send(HttpReply::error(500, u"cannot make a temporary folder for the upload in %1: %2"_s
                                             .arg(QDir::tempPath(), tempDir->errorString())));
        return;
    }
    const ServedModule m = module;
    JobSpec spec;
    spec.title = u"Predict with %1 (REST)"_s.arg(module.id);
    spec.kind = u"predict"_s;
    spec.queue = JobQueue::Gpu;
    spec.device = m_device;
    spec.function = [m, uploads, values = *args, accept, outcome, tempDir](JobContext &context) mutable -> Result<QVariant> {
        auto fail = [&](Error error) -> Result<QVariant> {
            std::lock_guard lock(outcome->mutex);
            outcome->error = error;
            tempDir.reset();
            return error;
        };
        QVariantMap all = values;
        const ArgumentSchema full = m.plugin->predictArguments();
        if (full.find(u"module"_s))
            all.insert(u"module"_s, m.directory);
        QStringList paths;
        for (qsizetype i = 0; i < uploads.size(); ++i) {
            // A plain QFile, not QSaveFile: the folder is ours alone and gone after the answer, so the
            // upload needs no atomic rename, and no sync to disk (which costs milliseconds per request).
            QFile file(QDir(tempDir->path()).filePath(FormData::safeFileName(uploads[i].fileName, int(i) + 1)));
            if (!file.open(QIODevice::NewOnly | QIODevice::WriteOnly) || file.write(uploads[i].content) != uploads[i].content.size()
                || !file.flush())
                return fail(failure(u"cannot store the upload in %1: %2"_s.arg(tempDir->path(), file.errorString())));
            file.close();
            paths.append(file.fileName());
        }
        if (!m.uploadArgument.isEmpty() && !paths.isEmpty())
            all.insert(m.uploadArgument, m.uploadIsList ? QVariant(paths) : QVariant(paths.first()));
        // A task that writes its result to "output" writes it into the request's folder.
        if (const ArgumentSpec *output = tempDir ? full.find(u"output"_s) : nullptr) {
            if (output->type == ArgType::FolderPath) {
                const QString dir = QDir(tempDir->path()).filePath(u"output"_s);
                QDir().mkpath(dir);
                all.insert(u"output"_s, dir);
            } else if (output->type == ArgType::FilePath) {
                QString suffix = isJson(accept) ? QString() : QMimeDatabase().mimeTypeForName(accept).preferredSuffix();
                all.insert(u"output"_s, QDir(tempDir->path()).filePath(suffix.isEmpty() ? u"output"_s : u"output."_s + suffix));
            }
        }
        Result<QVariantMap> checked = full.validate(all);
        if (!checked)
            return fail(checked.error());
        Result<TaskResult> result = m.plugin->predict(*checked, context);
        if (!result)
            return fail(result.error());

        std::lock_guard lock(outcome->mutex);
        outcome->ok = true;
        if (isJson(accept)) {
            QJsonObject json{{u"status"_s, u"OK"_s}, {u"predictions"_s, taskResultToJson(*result)}};
            // Files the task wrote into the request's folder go with it: say how to get them.
            QJsonArray made;
            const QMimeDatabase mimes;
            for (const QString &path : resultFiles(*result)) {
                if (tempDir && path.startsWith(tempDir->path() + u'/'))
                    made.append(QJsonObject{{u"name"_s, QFileInfo(path).fileName()},
                                            {u"type"_s, mimes.mimeTypeForFile(path, QMimeDatabase::MatchExtension).name()}});
            }
            if (!made.isEmpty()) {
                json.insert(u"files"_s, made);
                json.insert(u"note"_s, u"the files were removed with the request's temporary folder; send the request again "
                                       "with accept set to a file's type to receive that file"_s);
            }
            outcome->body = QJsonDocument(json).toJson(QJsonDocument::Compact);
            outcome->contentType = "application/json";
        } else {
            QStringList offered;
            const QMimeDatabase mimes;
            for (const QString &path : resultFiles(*result)) {
                const QString type = mimes.mimeTypeForFile(path, QMimeDatabase::MatchExtension).name();
                offered.append(type);
                if (!mediaMatches(accept, type))
                    continue;
                QFile file(path);
                if (!file.open(QIODevice::ReadOnly)) {
                    outcome->ok = false;
                    outcome->error = failure(u"cannot read the result file %1: %2"_s.arg(path, file.errorString()));
                    break;
                }
                outcome->body = file.readAll();
                outcome->contentType = type.toLatin1();
                break;
            }
            if (outcome->ok && outcome->contentType.isEmpty()) {
                outcome->status = 406;
                const QJsonObject json{{u"status"_s, u"error"_s}, {u"code"_s, 406}, {u"argument"_s, u"accept"_s},
                                       {u"message"_s, offered.isEmpty()
                                                          ? u"the prediction made no file, only JSON: ask for application/json"_s
                                                          : u"the prediction made no %1 file; it made: %2"_s.arg(accept, offered.join(u", "_s))}};
                outcome->body = QJsonDocument(json).toJson(QJsonDocument::Compact);
                outcome->contentType = "application/json";
            }
        }
        tempDir.reset();  // the uploads and what the task wrote from them: gone now
        return QVariant::fromValue(*result);
    };

    auto pending = std::make_shared<Pending>(Pending{reply, outcome, {}, module.uploadArgument});
    for (const ArgumentSpec &spec : module.predictSchema.specs())
        pending->restArguments.append(spec.name);
    const QString id = m_jobs.submit(std::move(spec));
    m_pending.insert(id, pending);
}

void PredictDispatcher::finished(const QString &jobId)
{
    const auto it = m_pending.find(jobId);
    if (it == m_pending.end())
        return;
    const std::shared_ptr<Pending> pending = *it;
    m_pending.erase(it);
    const JobInfo info = m_jobs.job(jobId);
    std::lock_guard lock(pending->outcome->mutex);
    Outcome &outcome = *pending->outcome;
    if (info.state == JobState::Cancelled) {
        pending->reply.send(HttpReply::error(503, u"the prediction was cancelled before it finished (the server is stopping, or "
                                                  "it was cancelled in the workbench's Jobs panel); send it again"_s));
    } else if (outcome.ok) {
        HttpReply reply = HttpReply::bytes(outcome.body, outcome.contentType, outcome.status);
        pending->reply.send(reply);
    } else {
        const Error &error = outcome.error.message.isEmpty() ? Error{info.error, {}} : outcome.error;
        const bool userError = pending->restArguments.contains(error.field) || error.field == pending->uploadArgument;
        const QString argument = error.field == pending->uploadArgument && !error.field.isEmpty() ? u"data"_s : error.field;
        const QString message = error.message.isEmpty() ? u"the prediction failed without a message"_s : error.message;
        pending->reply.send(userError ? HttpReply::error(400, message, argument)
                                      : HttpReply::error(500, u"the prediction failed: %1"_s.arg(message), argument));
    }
}

void PredictDispatcher::cancelAll()
{
    const QStringList ids = m_pending.keys();
    for (const QString &id : ids)
        m_jobs.cancel(id);
}

}  // namespace dw
