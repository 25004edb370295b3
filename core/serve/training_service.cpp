#include "core/serve/training_service.h"

#include "core/task/guarded_training.h"

#include "core/catalog/catalog.h"
#include "core/catalog/manifest_io.h"
#include "core/catalog/module_id.h"
#include "core/catalog/module_lock.h"
#include "core/jobs/job_manager.h"
#include "core/jobs/run_record.h"
#include "core/serve/form_data.h"
#include "core/serve/http_request.h"
#include "core/serve/request_arguments.h"
#include "core/serve/training_store.h"
#include "core/task/task_plugin.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QTimer>

namespace dw {

using namespace Qt::StringLiterals;

namespace {

constexpr int kCancelWaitMs = 10000;  // DELETE answers by then even if the task is slow to stop
constexpr qsizetype kLogLinesKept = 50;

QString recordState(JobState state)
{
    return jobStateName(state);
}

}  // namespace

TrainingService::TrainingService(JobManager &jobs, TrainingStore &store, const Catalog &catalog, QStringList dataRoots,
                                 QString device, QObject *parent)
    : QObject(parent), m_jobs(jobs), m_store(store), m_catalog(catalog), m_device(std::move(device))
{
    for (const QString &root : dataRoots) {
        const QString canonical = QFileInfo(root).canonicalFilePath();
        if (!canonical.isEmpty())
            m_dataRoots.append(canonical);
    }
    connect(&m_jobs, &JobManager::jobChanged, this, &TrainingService::jobChanged);
    connect(&m_jobs, &JobManager::jobFinished, this, &TrainingService::jobFinished);
}

TrainingService::~TrainingService() = default;

QString TrainingService::checkDataPath(const QString &argument, const QString &path) const
{
    if (m_dataRoots.isEmpty())
        return u"this server accepts no paths: start it with --data-root DIR to let trainings read data from DIR"_s;
    const QFileInfo info(path);
    if (!info.isAbsolute())
        return u"give an absolute path inside one of the server's data folders (%1)"_s.arg(m_dataRoots.join(u", "_s));
    const QString canonical = info.canonicalFilePath();  // resolves "..", links; empty when missing
    if (canonical.isEmpty())
        return u"%1 does not exist on the server"_s.arg(path);
    for (const QString &root : m_dataRoots) {
        if (canonical == root || canonical.startsWith(root + u'/'))
            return {};
    }
    Q_UNUSED(argument);
    return u"%1 is outside the server's data folders (%2)"_s.arg(path, m_dataRoots.join(u", "_s));
}

QString TrainingService::nameInUse(const QString &moduleId, const QString &folder, bool resume) const
{
    if (const std::optional<qint64> pid = ModuleLock::holder(folder))
        return u"the module \"%1\" is being written by another training (process %2): wait for it to finish, or choose "
               "another name"_s.arg(moduleId)
                   .arg(*pid);
    const bool exists = QFileInfo::exists(folder);
    if (resume) {
        if (exists && !interruptedCheckpoint(folder).isEmpty())
            return {};
        return exists
                   ? u"the module \"%1\" has no interrupted training to resume (it is finished or was never "
                     "checkpointed): choose another name, or leave resume out to train anew under another name"_s.arg(
                         moduleId)
                   : u"there is no training \"%1\" to resume: leave resume out to start it"_s.arg(moduleId);
    }
    if (exists || m_catalog.find(moduleId))
        return u"the name \"%1\" is taken by a module of the catalog: choose another name%2"_s.arg(
            moduleId, exists && !interruptedCheckpoint(folder).isEmpty()
                          ? u", or send resume=true to continue its interrupted training"_s
                          : QString());
    return {};
}

void TrainingService::start(const ServedModule &module, const HttpRequest &request, const ReplyChannel &reply)
{
    Result<FormData> form = FormData::parse(request.header("content-type"), request.body, request.query);
    if (!form) {
        reply.send(HttpReply::error(400, form.error().message));
        return;
    }
    if (!form->files.isEmpty()) {
        reply.send(HttpReply::invalid(u"a training takes no uploads: name its data by a path inside the server's data "
                                      "folders"_s,
                                      form->files.first().field));
        return;
    }
    // Names the model does not have are ignored, as DEEPaaS does, and said in "warnings".
    const ArgumentSplit split = splitArguments(form->fields, module.trainSchema, module.plugin->trainArguments());
    if (!split.serverOwned.isEmpty()) {
        reply.send(
            HttpReply::invalid(u"\"%1\" is set by the server, not by a request: leave it out"_s.arg(split.serverOwned),
                               split.serverOwned));
        return;
    }
    Result<QVariantMap> args = module.trainSchema.validate(split.known);
    if (!args) {
        reply.send(HttpReply::invalid(args.error().message, args.error().field));
        return;
    }
    for (const ArgumentSpec &spec : module.trainSchema.specs()) {
        if ((spec.type != ArgType::FilePath && spec.type != ArgType::FolderPath) || !args->contains(spec.name))
            continue;
        const QString path = args->value(spec.name).toString();
        if (path.isEmpty())
            continue;
        if (const QString why = checkDataPath(spec.name, path); !why.isEmpty()) {
            reply.send(HttpReply::invalid(why, spec.name));
            return;
        }
    }
    QVariantMap all = *args;
    QString moduleId;
    if (module.trainFillsOutput) {
        moduleId = all.value(u"name"_s).toString();
        if (!isValidModuleId(moduleId)) {
            reply.send(HttpReply::invalid(
                u"\"%1\" cannot name a module: use 1-64 lower-case letters, digits, '.', '_' or '-', "
                "starting with a letter or digit"_s.arg(moduleId),
                u"name"_s));
            return;
        }
        // The folder of that name, never another one: a module id is its folder's name, and
        // NAME-2 holding "id": "NAME" would clash. A name in use is refused (409) unless the
        // folder holds an interrupted training that resume=true continues.
        const QString folder = QDir(m_catalog.userDirectory()).filePath(moduleId);
        if (const QString why = nameInUse(moduleId, folder, all.value(u"resume"_s).toBool()); !why.isEmpty()) {
            reply.send(HttpReply::error(409, why, u"name"_s));
            return;
        }
        all.insert(u"output"_s, folder);
    }
    if (module.trainFillsParent)
        all.insert(u"parent"_s, module.directory);
    // Where the weights start ("init"): a named starting point, a module of the served catalog
    // (by id), or a weights file inside the data folders — never any other path on the server.
    if (const QString init = all.value(u"init"_s).toString().trimmed();
        !init.isEmpty() && !QStringList{u"auto"_s, u"imagenet"_s, u"random"_s}.contains(init)) {
        if (const CatalogEntry *start = m_catalog.find(init)) {
            all.insert(u"init"_s, start->path);
        } else if (const QString why = checkDataPath(u"init"_s, init); !why.isEmpty()) {
            reply.send(HttpReply::invalid(u"init: give auto, imagenet, random, the id of a module of this server or a "
                                          "weights file: %1"_s.arg(why),
                                          u"init"_s));
            return;
        }
    }
    Result<QVariantMap> checked = module.plugin->trainArguments().validate(all);
    if (!checked) {
        reply.send(HttpReply::invalid(checked.error().message, checked.error().field));
        return;
    }

    TrainingRecord record;
    record.uuid = TrainingStore::newUuid();
    record.model = module.id;
    record.date = QDateTime::currentDateTimeUtc();
    record.args = QJsonObject::fromVariantMap(*args);
    record.state = u"queued"_s;
    record.moduleId = module.trainFillsOutput ? QFileInfo(all.value(u"output"_s).toString()).fileName() : QString();

    TaskPlugin *plugin = module.plugin;
    JobSpec spec;
    spec.title = u"Train from %1 (REST)"_s.arg(module.id);
    spec.kind = u"train"_s;
    spec.queue = JobQueue::Gpu;
    spec.device = m_device;
    spec.function = [plugin, values = *checked](JobContext &context) -> Result<QVariant> {
        Result<TaskResult> result = runGuardedTraining(*plugin, values, context);
        if (!result)
            return result.error();
        return QVariant::fromValue(*result);
    };
    record.jobId = m_jobs.submit(std::move(spec));
    m_byJob.insert(record.jobId, record.uuid);
    if (Result<void> saved = m_store.save(record); !saved) {
        reply.send(HttpReply::error(
            500, u"the training started but its record cannot be kept: %1"_s.arg(saved.error().message)));
        return;
    }
    TrainingRecord shown = current(record);
    shown.status = u"running"_s;  // DEEPaaS's word for a training that was accepted
    QJsonObject json = shown.toJson();
    if (!split.ignored.isEmpty())
        json.insert(u"warnings"_s, QJsonArray{ignoredWarning(split.ignored)});
    reply.send(HttpReply::json(json));
}

TrainingRecord TrainingService::current(const TrainingRecord &record) const
{
    TrainingRecord r = record;
    if (r.jobId.isEmpty() || r.isFinished())
        return r;
    const JobInfo info = m_jobs.job(r.jobId);
    if (info.id.isEmpty())
        return r;
    r.state = recordState(info.state);
    r.progress = info.progress;
    if (!info.message.isEmpty())
        r.message = info.message;
    r.log = info.log.mid(std::max<qsizetype>(0, info.log.size() - kLogLinesKept));
    r.training = info.trainingJson();
    return r;
}

void TrainingService::list(const ServedModule &module, const ReplyChannel &reply) const
{
    QJsonArray out;
    for (const TrainingRecord &record : m_store.records(module.id))
        out.append(current(record).toJson());
    reply.send(HttpReply::json(QJsonValue(out)));
}

void TrainingService::show(const ServedModule &module, const QString &uuid, const ReplyChannel &reply) const
{
    const TrainingRecord *record = m_store.find(uuid);
    if (!record || record->model != module.id) {
        reply.send(HttpReply::error(
            404,
            u"there is no training %1 of the model %2 (GET /v2/models/%2/train/ lists them)"_s.arg(uuid, module.id),
            u"uuid"_s));
        return;
    }
    reply.send(HttpReply::json(current(*record).toJson()));
}

void TrainingService::cancel(const ServedModule &module, const QString &uuid, const ReplyChannel &reply)
{
    const TrainingRecord *record = m_store.find(uuid);
    if (!record || record->model != module.id) {
        reply.send(HttpReply::error(
            404,
            u"there is no training %1 of the model %2 (GET /v2/models/%2/train/ lists them)"_s.arg(uuid, module.id),
            u"uuid"_s));
        return;
    }
    if (record->isFinished() || record->jobId.isEmpty()) {
        // As DEEPaaS does: a finished training is forgotten by DELETE.
        const TrainingRecord copy = *record;
        if (Result<void> removed = m_store.remove(uuid); !removed) {
            reply.send(HttpReply::error(500, removed.error().message));
            return;
        }
        reply.send(HttpReply::json(copy.toJson()));
        return;
    }
    const QString jobId = record->jobId;
    m_cancels[jobId].append(reply);
    m_jobs.cancel(jobId);  // a queued job finishes inside this call
    if (!reply.isSent()) {
        QTimer::singleShot(kCancelWaitMs, this, [this, uuid, reply] {
            if (reply.isSent())
                return;
            if (const TrainingRecord *r = m_store.find(uuid)) {
                TrainingRecord shown = current(*r);
                shown.message = u"cancelling: the task has not stopped yet"_s;
                reply.send(HttpReply::json(shown.toJson()));
            }
        });
    }
}

void TrainingService::jobChanged(const QString &jobId)
{
    const auto it = m_byJob.constFind(jobId);
    if (it == m_byJob.cend())
        return;
    TrainingRecord *record = m_store.find(*it);
    if (!record)
        return;
    const JobInfo info = m_jobs.job(jobId);
    const QString state = recordState(info.state);
    if (state != record->state && !isFinished(info.state)) {
        // Written on state changes only: progress is read live from the job.
        record->state = state;
        (void)m_store.save(*record);
    }
}

void TrainingService::jobFinished(const QString &jobId)
{
    const auto it = m_byJob.find(jobId);
    if (it == m_byJob.end())
        return;
    const QString uuid = *it;
    m_byJob.erase(it);
    TrainingRecord *stored = m_store.find(uuid);
    if (!stored)
        return;
    const JobInfo info = m_jobs.job(jobId);
    TrainingRecord record = *stored;
    record.state = recordState(info.state);
    record.progress = info.progress;
    record.finished = info.finished.isValid() ? info.finished : QDateTime::currentDateTimeUtc();
    record.log = info.log.mid(std::max<qsizetype>(0, info.log.size() - kLogLinesKept));
    record.training = info.trainingJson();
    switch (info.state) {
    case JobState::Done:
        record.status = u"done"_s;
        record.message = info.message;
        record.result = jobResultToJson(info.result);
        break;
    case JobState::Cancelled:
        record.status = u"cancelled"_s;
        record.message = u"cancelled"_s;
        break;
    default:
        record.status = u"error"_s;
        record.message = info.error.isEmpty() ? u"the training failed without a message"_s : info.error;
        break;
    }
    record.jobId.clear();
    (void)m_store.save(record);
    for (const ReplyChannel &reply : m_cancels.take(jobId))
        reply.send(HttpReply::json(record.toJson()));
    if (info.state == JobState::Done && !record.moduleId.isEmpty())
        Q_EMIT moduleCreated(record.moduleId);
}

void TrainingService::cancelAll()
{
    const QStringList jobs = m_byJob.keys();
    for (const QString &id : jobs)
        m_jobs.cancel(id);
}

}  // namespace dw
