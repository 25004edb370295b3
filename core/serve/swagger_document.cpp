#include "core/serve/swagger_document.h"

#include "core/task/task_plugin.h"

#include <QJsonArray>
#include <QRegularExpression>

namespace dw {

using namespace Qt::StringLiterals;

namespace {

QJsonObject ref(const QString &name)
{
    return {{u"$ref"_s, u"#/definitions/"_s + name}};
}

QJsonObject responses(const QString &what, const QJsonObject &schema, std::initializer_list<int> errorCodes)
{
    QJsonObject out{{u"200"_s, schema.isEmpty() ? QJsonObject{{u"description"_s, what}}
                                                : QJsonObject{{u"description"_s, what}, {u"schema"_s, schema}}}};
    for (int code : errorCodes) {
        const QString why = code == 400   ? u"A malformed request"_s
                            : code == 401 ? u"No or a wrong bearer token"_s
                            : code == 404 ? u"No such model or training"_s
                            : code == 406 ? u"The prediction cannot answer in the media type asked for"_s
                            : code == 409 ? u"A conflict: a template cannot predict, a name is in use"_s
                            : code == 413 ? u"The request is larger than the server accepts"_s
                            : code == 422 ? u"An argument is not valid: {\"field\": [\"message\"]}"_s
                                          : u"The task failed; the message says why"_s;
        out.insert(QString::number(code),
                   QJsonObject{{u"description"_s, why},
                               {u"schema"_s, ref(code == 422 ? u"ValidationError"_s : u"Failure"_s)}});
    }
    return out;
}

QJsonObject operation(const QString &id, const QString &summary, const QString &tag, const QJsonObject &answers)
{
    return {{u"operationId"_s, id},
            {u"summary"_s, summary},
            {u"tags"_s, QJsonArray{tag}},
            {u"produces"_s, QJsonArray{u"application/json"_s}},
            {u"responses"_s, answers}};
}

// One argument as a Swagger 2.0 parameter of the form.
QJsonObject parameter(const ArgumentSpec &spec)
{
    QJsonObject p{{u"name"_s, spec.name},
                  {u"in"_s, u"formData"_s},
                  {u"type"_s, SwaggerDocument::typeName(spec.type)},
                  {u"required"_s, spec.required}};
    if (spec.type == ArgType::List) {
        p.insert(u"items"_s, QJsonObject{{u"type"_s, SwaggerDocument::typeName(spec.itemType)}});
        p.insert(u"collectionFormat"_s, u"multi"_s);
        if (spec.minimum)
            p.insert(u"minItems"_s, int(*spec.minimum));
        if (spec.maximum)
            p.insert(u"maxItems"_s, int(*spec.maximum));
    } else if (spec.type == ArgType::Int || spec.type == ArgType::Float) {
        if (spec.minimum)
            p.insert(u"minimum"_s, *spec.minimum);
        if (spec.maximum)
            p.insert(u"maximum"_s, *spec.maximum);
    }
    if (spec.type == ArgType::Enum)
        p.insert(u"enum"_s, QJsonArray::fromStringList(spec.choices));
    if (spec.defaultValue.isValid()) {
        QJsonValue value = QJsonValue::fromVariant(spec.defaultValue);
        if (spec.type == ArgType::List && !value.isArray())
            value = QJsonArray{value};
        p.insert(u"default"_s, value);
    }
    QString description = spec.help.trimmed();
    if (spec.type == ArgType::FilePath || spec.type == ArgType::FolderPath)
        description += u" (a path on the server, inside one of its data folders: deepwb serve --data-root)"_s;
    if (!description.isEmpty())
        p.insert(u"description"_s, description.trimmed());
    return p;
}

QJsonObject fileParameter(const QString &name, bool required, const QString &description)
{
    return {{u"name"_s, name},
            {u"in"_s, u"formData"_s},
            {u"type"_s, u"file"_s},
            {u"required"_s, required},
            {u"description"_s, description}};
}

QJsonObject definitions()
{
    const QJsonObject str{{u"type"_s, u"string"_s}};
    const QJsonObject location{{u"type"_s, u"object"_s},
                               {u"required"_s, QJsonArray{u"rel"_s, u"href"_s, u"type"_s}},
                               {u"properties"_s, QJsonObject{{u"rel"_s, str}, {u"href"_s, str}, {u"type"_s, str}}}};
    const QJsonObject links{{u"type"_s, u"array"_s}, {u"items"_s, ref(u"Location"_s)}};
    return {
        {u"Location"_s, location},
        {u"Version"_s,
         QJsonObject{{u"type"_s, u"object"_s},
                     {u"required"_s, QJsonArray{u"version"_s, u"id"_s}},
                     {u"properties"_s,
                      QJsonObject{{u"version"_s, str}, {u"id"_s, str}, {u"links"_s, links}, {u"type"_s, str}}}}},
        {u"Versions"_s,
         QJsonObject{{u"type"_s, u"object"_s},
                     {u"properties"_s, QJsonObject{{u"versions"_s, QJsonObject{{u"type"_s, u"array"_s},
                                                                               {u"items"_s, ref(u"Version"_s)}}},
                                                   {u"links"_s, links}}}}},
        {u"Failure"_s, QJsonObject{{u"type"_s, u"object"_s},
                                   {u"required"_s, QJsonArray{u"message"_s}},
                                   {u"properties"_s, QJsonObject{{u"message"_s, str},
                                                                 {u"status"_s, str},
                                                                 {u"code"_s, QJsonObject{{u"type"_s, u"integer"_s}}},
                                                                 {u"argument"_s, str}}}}},
        {u"ValidationError"_s,
         QJsonObject{{u"type"_s, u"object"_s},
                     {u"description"_s, u"For each argument in error, its messages"_s},
                     {u"additionalProperties"_s, QJsonObject{{u"type"_s, u"array"_s}, {u"items"_s, str}}}}},
        {u"Prediction"_s,
         QJsonObject{{u"type"_s, u"object"_s},
                     {u"required"_s, QJsonArray{u"status"_s, u"predictions"_s}},
                     {u"properties"_s,
                      QJsonObject{{u"status"_s, str}, {u"predictions"_s, QJsonObject{{u"type"_s, u"object"_s}}}}}}},
        {u"ModelMeta"_s, QJsonObject{{u"type"_s, u"object"_s},
                                     {u"required"_s, QJsonArray{u"id"_s, u"name"_s, u"description"_s}},
                                     {u"properties"_s, QJsonObject{{u"id"_s, str},
                                                                   {u"name"_s, str},
                                                                   {u"description"_s, str},
                                                                   {u"license"_s, str},
                                                                   {u"author"_s, str},
                                                                   {u"version"_s, str},
                                                                   {u"url"_s, str},
                                                                   {u"links"_s, links}}}}},
        {u"Training"_s,
         QJsonObject{{u"type"_s, u"object"_s},
                     {u"required"_s, QJsonArray{u"uuid"_s, u"date"_s, u"status"_s}},
                     {u"properties"_s,
                      QJsonObject{{u"uuid"_s, str},
                                  {u"date"_s, str},
                                  {u"finish_date"_s, str},
                                  {u"status"_s, QJsonObject{{u"type"_s, u"string"_s},
                                                            {u"enum"_s, QJsonArray{u"running"_s, u"done"_s, u"error"_s,
                                                                                   u"cancelled"_s}}}},
                                  {u"message"_s, str},
                                  {u"args"_s, QJsonObject{{u"type"_s, u"object"_s}}},
                                  {u"training"_s,
                                   QJsonObject{{u"type"_s, u"object"_s},
                                               {u"description"_s,
                                                u"typed progress: epochs with named metrics, the latest step"_s}}}}}}},
    };
}

}  // namespace

QString SwaggerDocument::typeName(ArgType type)
{
    switch (type) {
    case ArgType::Int:
        return u"integer"_s;
    case ArgType::Float:
        return u"number"_s;
    case ArgType::Bool:
        return u"boolean"_s;
    case ArgType::List:
        return u"array"_s;
    default:
        return u"string"_s;
    }
}

QString SwaggerDocument::operationId(const QString &verb, const QString &module)
{
    static const QRegularExpression other(u"[^A-Za-z0-9_]"_s);
    return module.isEmpty() ? verb : verb + u'_' + QString(module).replace(other, u"_"_s);
}

QStringList SwaggerDocument::produces(const ServedModule &module)
{
    QStringList types{u"application/json"_s};
    const ArgumentSchema full = module.plugin ? module.plugin->predictArguments() : ArgumentSchema();
    if (full.find(u"output"_s) || full.find(u"cam"_s))
        types << u"application/octet-stream"_s;
    return types;
}

QJsonObject SwaggerDocument::build(const QList<ServedModule> &modules, bool tokenRequired)
{
    QJsonObject paths;
    paths.insert(u"/"_s,
                 QJsonObject{{u"get"_s, operation(u"get_versions"_s, u"Get available API versions"_s, u"versions"_s,
                                                  responses(u"The versions"_s, ref(u"Versions"_s), {401}))}});
    paths.insert(u"/v2/"_s,
                 QJsonObject{{u"get"_s, operation(u"get_v2_version"_s, u"Get V2 API version information"_s,
                                                  u"versions"_s, responses(u"v2"_s, ref(u"Version"_s), {401}))}});
    paths.insert(
        u"/v2/models/"_s,
        QJsonObject{
            {u"get"_s, operation(u"list_models"_s, u"Return loaded models and its information"_s, u"models"_s,
                                 responses(u"{\"models\": [...]}"_s,
                                           QJsonObject{{u"type"_s, u"object"_s},
                                                       {u"properties"_s,
                                                        QJsonObject{{u"models"_s,
                                                                     QJsonObject{{u"type"_s, u"array"_s},
                                                                                 {u"items"_s, ref(u"ModelMeta"_s)}}}}}},
                                           {401}))}});
    for (const ServedModule &m : modules) {
        const QString base = u"/v2/models/"_s + m.id;
        paths.insert(base + u'/',
                     QJsonObject{{u"get"_s, operation(operationId(u"get_model"_s, m.id),
                                                      u"Return %1's metadata"_s.arg(m.id), u"models"_s,
                                                      responses(m.manifest.title, ref(u"ModelMeta"_s), {401, 404}))}});

        QJsonArray predictParameters;
        if (!m.uploadArgument.isEmpty())
            predictParameters.append(fileParameter(
                u"data"_s, m.uploadRequired,
                m.uploadIsList
                    ? u"The input file (the task's \"%1\"); repeat the field to send several."_s.arg(m.uploadArgument)
                    : u"The input file (the task's \"%1\")."_s.arg(m.uploadArgument)));
        const ArgumentSchema full = m.plugin ? m.plugin->predictArguments() : ArgumentSchema();
        for (const QString &field : m.extraUploads) {
            const ArgumentSpec *spec = full.find(field);
            predictParameters.append(fileParameter(field, spec && spec->required, spec ? spec->help : QString()));
        }
        for (const ArgumentSpec &spec : m.predictSchema.specs())
            predictParameters.append(parameter(spec));
        const QStringList media = produces(m);
        predictParameters.append(
            QJsonObject{{u"name"_s, u"accept"_s},
                        {u"in"_s, u"header"_s},
                        {u"type"_s, u"string"_s},
                        {u"required"_s, false},
                        {u"default"_s, u"application/json"_s},
                        {u"enum"_s, QJsonArray::fromStringList(media + QStringList{u"*/*"_s})},
                        {u"description"_s, u"Media type of the answer: application/json for the predictions, or "
                                           "the type of a file the task writes to get that file itself."_s}});
        QJsonObject predict =
            operation(operationId(u"predict"_s, m.id), u"Make a prediction given the input data"_s, u"models"_s,
                      responses(u"The predictions"_s, ref(u"Prediction"_s), {400, 401, 404, 406, 409, 413, 422, 500}));
        predict.insert(u"consumes"_s, QJsonArray{u"multipart/form-data"_s, u"application/x-www-form-urlencoded"_s});
        predict.insert(u"produces"_s, QJsonArray::fromStringList(media));
        predict.insert(u"parameters"_s, predictParameters);
        paths.insert(base + u"/predict/"_s, QJsonObject{{u"post"_s, predict}});

        QJsonArray trainParameters;
        for (const ArgumentSpec &spec : m.trainSchema.specs())
            trainParameters.append(parameter(spec));
        QJsonObject train =
            operation(operationId(u"train"_s, m.id), u"Retrain model with available data"_s, u"models"_s,
                      responses(u"The training started"_s, ref(u"Training"_s), {400, 401, 404, 409, 413, 422, 500}));
        train.insert(u"consumes"_s, QJsonArray{u"multipart/form-data"_s, u"application/x-www-form-urlencoded"_s});
        train.insert(u"parameters"_s, trainParameters);
        const QJsonObject list =
            operation(operationId(u"list_trainings"_s, m.id), u"Get information about all trainings"_s, u"models"_s,
                      responses(u"Trainings, oldest first"_s,
                                QJsonObject{{u"type"_s, u"array"_s}, {u"items"_s, ref(u"Training"_s)}}, {401, 404}));
        paths.insert(base + u"/train/"_s, QJsonObject{{u"post"_s, train}, {u"get"_s, list}});

        const QJsonArray uuid{
            QJsonObject{{u"name"_s, u"uuid"_s}, {u"in"_s, u"path"_s}, {u"required"_s, true}, {u"type"_s, u"string"_s}}};
        const QJsonObject get = operation(operationId(u"get_training"_s, m.id), u"Get status of a training"_s,
                                          u"models"_s, responses(u"The training"_s, ref(u"Training"_s), {401, 404}));
        const QJsonObject cancel =
            operation(operationId(u"cancel_training"_s, m.id), u"Cancel a running training"_s, u"models"_s,
                      responses(u"The training, cancelled"_s, ref(u"Training"_s), {401, 404}));
        paths.insert(base + u"/train/{uuid}"_s,
                     QJsonObject{{u"parameters"_s, uuid}, {u"get"_s, get}, {u"delete"_s, cancel}});
    }
    QJsonObject doc{
        {u"swagger"_s, u"2.0"_s},
        {u"info"_s, QJsonObject{{u"title"_s, u"DEEP Workbench API (DEEP as a Service v2)"_s},
                                {u"version"_s, QStringLiteral(DW_VERSION)},
                                {u"description"_s, u"A DEEPaaS v2 compatible API over the modules of a DEEP Workbench "
                                                   "catalog. The same API as OpenAPI 3: /openapi.json."_s}}},
        {u"paths"_s, paths},
        {u"definitions"_s, definitions()},
        {u"tags"_s, QJsonArray{QJsonObject{{u"name"_s, u"versions"_s}}, QJsonObject{{u"name"_s, u"models"_s}}}}};
    if (tokenRequired) {
        doc.insert(u"securityDefinitions"_s,
                   QJsonObject{{u"bearer"_s, QJsonObject{{u"type"_s, u"apiKey"_s},
                                                         {u"in"_s, u"header"_s},
                                                         {u"name"_s, u"Authorization"_s},
                                                         {u"description"_s, u"\"Bearer <token>\""_s}}}});
        doc.insert(u"security"_s, QJsonArray{QJsonObject{{u"bearer"_s, QJsonArray{}}}});
    }
    return doc;
}

}  // namespace dw
