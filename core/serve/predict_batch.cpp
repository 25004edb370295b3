#include "core/serve/predict_batch.h"

#include "core/jobs/job_context.h"
#include "core/task/task_plugin.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QMimeDatabase>
#include <QRegularExpression>
#include <QTemporaryDir>

namespace dw {

using namespace Qt::StringLiterals;

namespace {

bool isJson(const QString &accept)
{
    return accept.isEmpty() || accept == u"application/json"_s || accept == u"*/*"_s;
}

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

// The server's temporary folder never reaches a client: in texts and JSON, a path inside it
// becomes the name the client uploaded (without the r<N>- prefix of a joint batch).
QString hidePaths(QString text, const QString &folder)
{
    if (folder.isEmpty() || !text.contains(folder))
        return text;
    text.replace(QRegularExpression(QRegularExpression::escape(folder) + u"/(?:r\\d+-)?"_s), QString());
    return text.replace(folder, u"(upload)"_s);
}

QJsonValue hidePaths(const QJsonValue &value, const QString &folder)
{
    if (value.isString())
        return hidePaths(value.toString(), folder);
    if (value.isArray()) {
        QJsonArray array;
        for (const QJsonValue &v : value.toArray())
            array.append(hidePaths(v, folder));
        return array;
    }
    if (value.isObject()) {
        QJsonObject object = value.toObject();
        for (auto it = object.begin(); it != object.end(); ++it)
            it.value() = hidePaths(it.value(), folder);
        return object;
    }
    return value;
}

void fail(PredictOutcome &outcome, Error error, const QString &hidden = {})
{
    outcome.ok = false;
    error.message = hidePaths(error.message, hidden);
    outcome.error = std::move(error);
}

// Writes a request's uploads into folder under names of ours (prefix keeps requests apart).
Result<QStringList> storeUploads(const QList<UploadedFile> &uploads, const QString &folder, const QString &prefix)
{
    QStringList paths;
    for (qsizetype i = 0; i < uploads.size(); ++i) {
        // A plain QFile, not QSaveFile: the folder is ours alone and gone after the answer, so the
        // upload needs no atomic rename, and no sync to disk (which costs milliseconds per request).
        QFile file(QDir(folder).filePath(prefix + FormData::safeFileName(uploads[i].fileName, int(i) + 1)));
        if (!file.open(QIODevice::NewOnly | QIODevice::WriteOnly) ||
            file.write(uploads[i].content) != uploads[i].content.size() || !file.flush())
            return failure(u"cannot store the upload in %1: %2"_s.arg(folder, file.errorString()));
        paths.append(file.fileName());
    }
    return paths;
}

// An upload as stored on the server and as the client named it.
struct StoredInput {
    QString path;
    QString clientName;
};

// The "predictions" of a JSON answer, one level deep as DEEPaaS gives them. A classification
// has one entry per uploaded file, in the order sent, under the client's own file name: a
// file the task could not read is an entry with its "error", never left out.
QJsonValue predictionsJson(const TaskResult &result, const QList<StoredInput> &inputs, const QString &hidden)
{
    QJsonObject json = taskResultToJson(result);
    const auto *classes = std::get_if<ClassificationResult>(&result);
    if (!classes || inputs.isEmpty())
        return hidePaths(json.size() == 1 && json.contains(u"predictions"_s) ? json.value(u"predictions"_s)
                                                                             : QJsonValue(json),
                         hidden);
    QHash<QString, QJsonObject> byInput;
    for (const QJsonValue &item : json.value(u"predictions"_s).toArray())
        byInput.insert(item[u"input"_s].toString(), item.toObject());
    QJsonArray out;
    for (const StoredInput &input : inputs) {
        QJsonObject item = byInput.value(input.path);
        if (item.isEmpty())
            item = {{u"status"_s, u"error"_s},
                    {u"error"_s,
                     u"the file could not be read as an image this model takes; it was left out of the prediction"_s}};
        item.insert(u"input"_s, input.clientName);
        out.append(hidePaths(item, hidden));
    }
    return out;
}

// The answer of one request from its task result.
void answer(PredictOutcome &outcome, const TaskResult &result, const QString &accept, const QString &folder,
            const QString &hidden, const QList<StoredInput> &inputs = {})
{
    outcome.ok = true;
    const QMimeDatabase mimes;
    if (isJson(accept)) {
        QJsonObject json{{u"status"_s, u"OK"_s}, {u"predictions"_s, predictionsJson(result, inputs, hidden)}};
        // Files the task wrote into the request's folder go with it: say how to get them.
        QJsonArray made;
        for (const QString &path : resultFiles(result)) {
            if (!folder.isEmpty() && path.startsWith(folder + u'/'))
                made.append(
                    QJsonObject{{u"name"_s, QFileInfo(path).fileName()},
                                {u"type"_s, mimes.mimeTypeForFile(path, QMimeDatabase::MatchExtension).name()}});
        }
        if (!made.isEmpty()) {
            json.insert(u"files"_s, made);
            json.insert(u"note"_s,
                        u"the files were removed with the request's temporary folder; send the request again "
                        "with accept set to a file's type to receive that file"_s);
        }
        outcome.body = QJsonDocument(json).toJson(QJsonDocument::Compact);
        outcome.contentType = "application/json";
        return;
    }
    QStringList offered;
    for (const QString &path : resultFiles(result)) {
        const QString type = mimes.mimeTypeForFile(path, QMimeDatabase::MatchExtension).name();
        offered.append(type);
        if (!mediaMatches(accept, type))
            continue;
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly))
            return fail(outcome, failure(u"cannot read the result file %1: %2"_s.arg(path, file.errorString())),
                        hidden);
        outcome.body = file.readAll();
        outcome.contentType = type.toLatin1();
        return;
    }
    outcome.status = 406;
    const QJsonObject json{
        {u"status"_s, u"error"_s},
        {u"code"_s, 406},
        {u"argument"_s, u"accept"_s},
        {u"message"_s, offered.isEmpty()
                           ? u"the prediction made no file, only JSON: ask for application/json"_s
                           : u"the prediction made no %1 file; it made: %2"_s.arg(accept, offered.join(u", "_s))}};
    outcome.body = QJsonDocument(json).toJson(QJsonDocument::Compact);
    outcome.contentType = "application/json";
}

QList<StoredInput> storedInputs(const QList<UploadedFile> &uploads, const QStringList &paths)
{
    QList<StoredInput> inputs;
    for (qsizetype i = 0; i < uploads.size() && i < paths.size(); ++i)
        inputs.append({paths[i], uploads[i].fileName.isEmpty() ? QFileInfo(paths[i]).fileName() : uploads[i].fileName});
    return inputs;
}

// The full argument map of a predict() call: the REST values, the module, the inputs and,
// for a task that writes its result to "output", a place in folder.
Result<QVariantMap> callArguments(const PredictBatch &batch, const ArgumentSchema &full, const QStringList &paths,
                                  const QString &folder)
{
    QVariantMap all = batch.values;
    const ServedModule &m = batch.module;
    if (full.find(u"module"_s))
        all.insert(u"module"_s, m.directory);
    if (!m.uploadArgument.isEmpty() && !paths.isEmpty())
        all.insert(m.uploadArgument, m.uploadIsList ? QVariant(paths) : QVariant(paths.first()));
    if (const ArgumentSpec *output = folder.isEmpty() ? nullptr : full.find(u"output"_s)) {
        if (output->type == ArgType::FolderPath) {
            const QString dir = QDir(folder).filePath(u"output"_s);
            QDir().mkpath(dir);
            all.insert(u"output"_s, dir);
        } else if (output->type == ArgType::FilePath) {
            const QString suffix =
                isJson(batch.accept) ? QString() : QMimeDatabase().mimeTypeForName(batch.accept).preferredSuffix();
            all.insert(u"output"_s, QDir(folder).filePath(suffix.isEmpty() ? u"output"_s : u"output."_s + suffix));
        }
    }
    return full.validate(all);
}

// One request on its own, in a folder of its own.
void runOne(const PredictBatch &batch, const ArgumentSchema &full, PredictRequest &request, JobContext &context)
{
    std::unique_ptr<QTemporaryDir> folder;
    if (!request.uploads.isEmpty() || !request.extras.isEmpty() || full.find(u"output"_s)) {
        folder = std::make_unique<QTemporaryDir>(QDir::tempPath() + u"/deepwb-serve-XXXXXX"_s);
        if (!folder->isValid())
            return fail(request.outcome, failure(u"cannot make a temporary folder in %1: %2"_s.arg(
                                             QDir::tempPath(), folder->errorString())));
    }
    const QString path = folder ? folder->path() : QString();
    Result<QStringList> paths = folder ? storeUploads(request.uploads, path, {}) : Result<QStringList>(QStringList{});
    if (!paths)
        return fail(request.outcome, paths.error(), path);
    Result<QVariantMap> args = callArguments(batch, full, *paths, path);
    if (!args)
        return fail(request.outcome, args.error(), path);
    for (const UploadedFile &extra : request.extras) {  // each in a name of its own field
        Result<QStringList> stored = storeUploads({extra}, path, extra.field + u'-');
        if (!stored)
            return fail(request.outcome, stored.error(), path);
        args->insert(extra.field, stored->first());
    }
    Result<TaskResult> result = batch.module.plugin->predict(*args, context);
    if (!result)
        return fail(request.outcome, result.error(), path);
    answer(request.outcome, *result, batch.accept, path, path, storedInputs(request.uploads, *paths));
}  // the folder, the uploads and what the task wrote from them: gone now

// All requests in one call; false when that did not work out (then each runs on its own).
bool runTogether(const PredictBatch &batch, const ArgumentSchema &full,
                 const QList<std::shared_ptr<PredictRequest>> &requests, JobContext &context)
{
    QTemporaryDir folder(QDir::tempPath() + u"/deepwb-serve-XXXXXX"_s);
    if (!folder.isValid())
        return false;
    QStringList all;
    QHash<QString, int> owner;  // upload path -> request
    QList<QList<StoredInput>> inputs(requests.size());
    for (qsizetype r = 0; r < requests.size(); ++r) {
        Result<QStringList> paths = storeUploads(requests[r]->uploads, folder.path(), u"r%1-"_s.arg(r));
        if (!paths)
            return false;
        for (const QString &p : *paths)
            owner.insert(p, int(r));
        all += *paths;
        inputs[r] = storedInputs(requests[r]->uploads, *paths);
    }
    Result<QVariantMap> args = callArguments(batch, full, all, {});
    if (!args)
        return false;
    Result<TaskResult> result = batch.module.plugin->predict(*args, context);
    const auto *classes = result ? std::get_if<ClassificationResult>(&*result) : nullptr;
    if (!classes)
        return false;
    QList<ClassificationResult> split(requests.size());
    for (const ClassificationResult::Item &item : classes->items) {
        const auto it = owner.constFind(item.input);
        if (it == owner.cend())
            return false;  // an item that names no upload: cannot tell whose it is
        split[*it].items.append(item);
    }
    for (qsizetype r = 0; r < requests.size(); ++r) {
        if (split[r].items.isEmpty() && !requests[r]->uploads.isEmpty())
            return false;  // none of its files was read: on its own, it gets the task's own error
    }
    for (qsizetype r = 0; r < requests.size(); ++r)
        answer(requests[r]->outcome, TaskResult{split[r]}, batch.accept, {}, folder.path(), inputs[r]);
    return true;
}

}  // namespace

bool PredictBatch::join(const std::shared_ptr<PredictRequest> &request, int maxFiles)
{
    std::lock_guard lock(mutex);
    if (closed || key.isEmpty() || files + request->uploads.size() > maxFiles)
        return false;
    requests.append(request);
    files += int(request->uploads.size());
    return true;
}

QList<std::shared_ptr<PredictRequest>> PredictBatch::close()
{
    std::lock_guard lock(mutex);
    closed = true;
    return requests;
}

void runPredictBatch(PredictBatch &batch, JobContext &context)
{
    const QList<std::shared_ptr<PredictRequest>> requests = batch.close();
    const ArgumentSchema full = batch.module.plugin->predictArguments();
    if (requests.size() > 1 && batch.module.uploadIsList && isJson(batch.accept) && !context.isCancelled()) {
        context.log(u"%1 requests in one call"_s.arg(requests.size()));
        if (runTogether(batch, full, requests, context))
            return;
        context.log(u"the batch did not work out together: one request at a time"_s);
    }
    for (const std::shared_ptr<PredictRequest> &request : requests) {
        if (context.isCancelled()) {
            fail(request->outcome, failure(u"cancelled"_s));
            continue;
        }
        runOne(batch, full, *request, context);
    }
}

}  // namespace dw
