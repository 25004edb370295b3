#include "core/serve/openapi_document.h"

#include "core/serve/swagger_document.h"

#include "core/task/task_plugin.h"

#include <QJsonArray>

namespace dw {

using namespace Qt::StringLiterals;

namespace {

QString jsonType(ArgType type)
{
    return SwaggerDocument::typeName(type);
}

QJsonObject ref(const QString &name)
{
    return {{u"$ref"_s, u"#/components/schemas/"_s + name}};
}

QJsonObject jsonContent(const QJsonObject &schema)
{
    return {{u"application/json"_s, QJsonObject{{u"schema"_s, schema}}}};
}

QJsonObject response(const QString &description, const QJsonObject &schema = {})
{
    QJsonObject r{{u"description"_s, description}};
    if (!schema.isEmpty())
        r.insert(u"content"_s, jsonContent(schema));
    return r;
}

QJsonObject errors(QJsonObject responses, std::initializer_list<int> codes)
{
    for (int code : codes) {
        const QString why = code == 400   ? u"A malformed request"_s
                            : code == 422 ? u"An argument is not valid: {\"field\": [\"message\"]}"_s
                            : code == 406 ? u"The prediction cannot answer in the media type asked for"_s
                            : code == 401 ? u"No or a wrong bearer token"_s
                            : code == 404 ? u"No such model or training"_s
                            : code == 409 ? u"A conflict: a template cannot predict, a name is in use"_s
                            : code == 413 ? u"The request is larger than the server accepts"_s
                                          : u"The task failed; the message says why"_s;
        responses.insert(QString::number(code), response(why, ref(code == 422 ? u"ValidationError"_s : u"Error"_s)));
    }
    return responses;
}

// The operationIds are those of /swagger.json (SwaggerDocument): "predict_<module id>", ...
QJsonObject operation(const QString &id, const QString &summary, const QString &tag, const QJsonObject &responses)
{
    return {{u"operationId"_s, id}, {u"summary"_s, summary}, {u"tags"_s, QJsonArray{tag}}, {u"responses"_s, responses}};
}

QString operationId(const QString &verb, const QString &module)
{
    return SwaggerDocument::operationId(verb, module);
}

QJsonObject formSchema(const ArgumentSchema &schema, const QJsonObject &extra, QStringList required)
{
    QJsonObject properties = extra;
    for (const ArgumentSpec &spec : schema.specs()) {
        properties.insert(spec.name, OpenApiDocument::argumentSchema(spec));
        if (spec.required)
            required.append(spec.name);
    }
    QJsonObject object{{u"type"_s, u"object"_s}, {u"properties"_s, properties}};
    if (!required.isEmpty())
        object.insert(u"required"_s, QJsonArray::fromStringList(required));
    return object;
}

QJsonObject commonSchemas()
{
    const QJsonObject str{{u"type"_s, u"string"_s}};
    const QJsonObject link{{u"type"_s, u"object"_s},
                           {u"properties"_s, QJsonObject{{u"rel"_s, str}, {u"href"_s, str}, {u"type"_s, str}}}};
    return {
        {u"Error"_s, QJsonObject{{u"type"_s, u"object"_s},
                                 {u"required"_s, QJsonArray{u"status"_s, u"message"_s}},
                                 {u"properties"_s, QJsonObject{{u"status"_s, str},
                                                               {u"code"_s, QJsonObject{{u"type"_s, u"integer"_s}}},
                                                               {u"message"_s, str},
                                                               {u"argument"_s, str}}}}},
        {u"ValidationError"_s,
         QJsonObject{{u"type"_s, u"object"_s},
                     {u"description"_s, u"For each argument in error, its messages"_s},
                     {u"additionalProperties"_s, QJsonObject{{u"type"_s, u"array"_s}, {u"items"_s, str}}}}},
        {u"Version"_s, QJsonObject{{u"type"_s, u"object"_s},
                                   {u"properties"_s, QJsonObject{{u"version"_s, str},
                                                                 {u"id"_s, str},
                                                                 {u"links"_s, QJsonObject{{u"type"_s, u"array"_s},
                                                                                          {u"items"_s, link}}}}}}},
        {u"Model"_s, QJsonObject{{u"type"_s, u"object"_s},
                                 {u"required"_s, QJsonArray{u"id"_s, u"name"_s, u"links"_s}},
                                 {u"properties"_s, QJsonObject{{u"id"_s, str},
                                                               {u"name"_s, str},
                                                               {u"title"_s, str},
                                                               {u"task"_s, str},
                                                               {u"links"_s, QJsonObject{{u"type"_s, u"array"_s},
                                                                                        {u"items"_s, link}}}}}}},
        {u"Prediction"_s,
         QJsonObject{{u"type"_s, u"object"_s},
                     {u"properties"_s, QJsonObject{{u"status"_s, str}, {u"predictions"_s, QJsonObject{}}}}}},
        {u"Training"_s,
         QJsonObject{{u"type"_s, u"object"_s},
                     {u"required"_s, QJsonArray{u"uuid"_s, u"date"_s, u"status"_s}},
                     {u"properties"_s,
                      QJsonObject{{u"uuid"_s, str},
                                  {u"date"_s, str},
                                  {u"args"_s, QJsonObject{{u"type"_s, u"object"_s}}},
                                  {u"status"_s, QJsonObject{{u"type"_s, u"string"_s},
                                                            {u"enum"_s, QJsonArray{u"running"_s, u"done"_s, u"error"_s,
                                                                                   u"cancelled"_s}}}},
                                  {u"message"_s, str},
                                  {u"progress"_s, QJsonObject{{u"type"_s, u"number"_s}}},
                                  {u"training"_s,
                                   QJsonObject{{u"type"_s, u"object"_s},
                                               {u"description"_s,
                                                u"typed progress: epochs with named metrics, the latest step"_s}}},
                                  {u"result"_s, QJsonObject{}}}}}},
    };
}

QString escape(const QString &text)
{
    return text.toHtmlEscaped();
}

}  // namespace

QJsonObject OpenApiDocument::argumentSchema(const ArgumentSpec &spec)
{
    QJsonObject s{{u"type"_s, jsonType(spec.type)}};
    if (spec.type == ArgType::List)
        s.insert(u"items"_s, QJsonObject{{u"type"_s, jsonType(spec.itemType)}});
    if (spec.type == ArgType::Enum)
        s.insert(u"enum"_s, QJsonArray::fromStringList(spec.choices));
    if (spec.type == ArgType::Int || spec.type == ArgType::Float) {
        if (spec.minimum)
            s.insert(u"minimum"_s, *spec.minimum);
        if (spec.maximum)
            s.insert(u"maximum"_s, *spec.maximum);
    } else if (spec.type == ArgType::List) {
        if (spec.minimum)
            s.insert(u"minItems"_s, int(*spec.minimum));
        if (spec.maximum)
            s.insert(u"maxItems"_s, int(*spec.maximum));
    }
    if (spec.defaultValue.isValid())
        s.insert(u"default"_s, QJsonValue::fromVariant(spec.defaultValue));
    QString description = spec.help;
    if (spec.type == ArgType::FilePath || spec.type == ArgType::FolderPath)
        description += u" (a path on the server, inside one of its data folders: deepwb serve --data-root)"_s;
    if (!description.trimmed().isEmpty())
        s.insert(u"description"_s, description.trimmed());
    if (!spec.group.isEmpty())
        s.insert(u"x-group"_s, spec.group);
    return s;
}

QJsonObject OpenApiDocument::build(const QList<ServedModule> &modules, const QString &serverUrl, bool tokenRequired)
{
    QJsonObject paths;
    paths.insert(u"/"_s, QJsonObject{{u"get"_s, operation(u"get_versions"_s, u"The API versions"_s, u"versions"_s,
                                                          errors({{u"200"_s, response(u"The versions"_s)}}, {401}))}});
    paths.insert(u"/v2/"_s,
                 QJsonObject{{u"get"_s, operation(u"get_v2_version"_s, u"The v2 API"_s, u"versions"_s,
                                                  errors({{u"200"_s, response(u"v2"_s, ref(u"Version"_s))}}, {401}))}});
    paths.insert(
        u"/v2/models/"_s,
        QJsonObject{
            {u"get"_s,
             operation(u"list_models"_s, u"The served models and their metadata"_s, u"models"_s,
                       errors({{u"200"_s,
                                response(u"{\"models\": [...]}"_s,
                                         QJsonObject{{u"type"_s, u"object"_s},
                                                     {u"properties"_s,
                                                      QJsonObject{{u"models"_s,
                                                                   QJsonObject{{u"type"_s, u"array"_s},
                                                                               {u"items"_s, ref(u"Model"_s)}}}}}})}},
                              {401}))}});
    for (const ServedModule &m : modules) {
        const QString base = u"/v2/models/"_s + m.id;
        paths.insert(
            base + u'/',
            QJsonObject{
                {u"get"_s, operation(operationId(u"get_model"_s, m.id), u"Metadata of %1"_s.arg(m.id), u"models"_s,
                                     errors({{u"200"_s, response(m.manifest.title, ref(u"Model"_s))}}, {401, 404}))}});

        QJsonObject extra;
        QStringList required;
        if (!m.uploadArgument.isEmpty()) {
            const QJsonObject binary{{u"type"_s, u"string"_s}, {u"format"_s, u"binary"_s}};
            QJsonObject data = m.uploadIsList ? QJsonObject{{u"type"_s, u"array"_s}, {u"items"_s, binary}} : binary;
            data.insert(u"description"_s,
                        u"The input file(s) (the task's \"%1\"): send as the multipart field \"data\"."_s.arg(
                            m.uploadArgument));
            extra.insert(u"data"_s, data);
            if (m.uploadRequired)
                required.append(u"data"_s);
        }
        const ArgumentSchema full = m.plugin ? m.plugin->predictArguments() : ArgumentSchema();
        for (const QString &field : m.extraUploads) {
            const ArgumentSpec *spec = full.find(field);
            extra.insert(field,
                         QJsonObject{{u"type"_s, u"string"_s},
                                     {u"format"_s, u"binary"_s},
                                     {u"description"_s, (spec ? spec->help + u' ' : QString()) +
                                                            u"Send as the multipart file field \"%1\"."_s.arg(field)}});
        }
        extra.insert(u"accept"_s, QJsonObject{{u"type"_s, u"string"_s},
                                              {u"default"_s, u"application/json"_s},
                                              {u"description"_s,
                                               u"application/json for the JSON predictions, or the media "
                                               "type of a file the task writes (image/png, image/tiff, text/csv, ...) "
                                               "to get that file itself."_s}});
        QJsonObject predict = operation(
            operationId(u"predict"_s, m.id), u"Predict with %1"_s.arg(m.id), u"models"_s,
            errors({{u"200"_s, response(u"{\"status\": \"OK\", \"predictions\": ...}"_s, ref(u"Prediction"_s))}},
                   {400, 401, 404, 406, 409, 413, 422, 500}));
        const QJsonObject predictForm = formSchema(m.predictSchema, extra, required);
        predict.insert(u"requestBody"_s,
                       QJsonObject{{u"required"_s, true},
                                   {u"content"_s,
                                    QJsonObject{{u"multipart/form-data"_s, QJsonObject{{u"schema"_s, predictForm}}}}}});
        paths.insert(base + u"/predict/"_s, QJsonObject{{u"post"_s, predict}});

        QJsonObject train =
            operation(operationId(u"train"_s, m.id), u"Train from %1 (a job; poll its status)"_s.arg(m.id), u"models"_s,
                      errors({{u"200"_s, response(u"The training started"_s, ref(u"Training"_s))}},
                             {400, 401, 404, 409, 413, 422, 500}));
        const QJsonObject trainForm = formSchema(m.trainSchema, {}, {});
        train.insert(
            u"requestBody"_s,
            QJsonObject{{u"content"_s, QJsonObject{{u"multipart/form-data"_s, QJsonObject{{u"schema"_s, trainForm}}},
                                                   {u"application/json"_s, QJsonObject{{u"schema"_s, trainForm}}}}}});
        QJsonObject list = operation(
            operationId(u"list_trainings"_s, m.id), u"The trainings of %1"_s.arg(m.id), u"models"_s,
            errors({{u"200"_s, response(u"Trainings, oldest first"_s,
                                        QJsonObject{{u"type"_s, u"array"_s}, {u"items"_s, ref(u"Training"_s)}})}},
                   {401, 404}));
        paths.insert(base + u"/train/"_s, QJsonObject{{u"post"_s, train}, {u"get"_s, list}});

        const QJsonArray uuidParameter{QJsonObject{{u"name"_s, u"uuid"_s},
                                                   {u"in"_s, u"path"_s},
                                                   {u"required"_s, true},
                                                   {u"schema"_s, QJsonObject{{u"type"_s, u"string"_s}}}}};
        QJsonObject get = operation(operationId(u"get_training"_s, m.id), u"The status of a training"_s, u"models"_s,
                                    errors({{u"200"_s, response(u"The training"_s, ref(u"Training"_s))}}, {401, 404}));
        QJsonObject cancel = operation(
            operationId(u"cancel_training"_s, m.id), u"Cancel a running training (or forget a finished one)"_s,
            u"models"_s, errors({{u"200"_s, response(u"The training, cancelled"_s, ref(u"Training"_s))}}, {401, 404}));
        paths.insert(base + u"/train/{uuid}"_s,
                     QJsonObject{{u"parameters"_s, uuidParameter}, {u"get"_s, get}, {u"delete"_s, cancel}});
    }
    QJsonObject components{{u"schemas"_s, commonSchemas()}};
    QJsonObject doc{
        {u"openapi"_s, u"3.0.3"_s},
        {u"info"_s, QJsonObject{{u"title"_s, u"DEEP Workbench API"_s},
                                {u"version"_s, QStringLiteral(DW_VERSION)},
                                {u"description"_s,
                                 u"A DEEPaaS v2 compatible API over the modules of a DEEP Workbench catalog."_s}}},
        {u"servers"_s, QJsonArray{QJsonObject{{u"url"_s, serverUrl}}}},
        {u"paths"_s, paths}};
    if (tokenRequired) {
        components.insert(u"securitySchemes"_s,
                          QJsonObject{{u"bearer"_s, QJsonObject{{u"type"_s, u"http"_s}, {u"scheme"_s, u"bearer"_s}}}});
        doc.insert(u"security"_s, QJsonArray{QJsonObject{{u"bearer"_s, QJsonArray{}}}});
    }
    doc.insert(u"components"_s, components);
    return doc;
}

QByteArray OpenApiDocument::htmlPage(const QList<ServedModule> &modules, const QString &serverUrl, bool tokenRequired)
{
    QString html = u"<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>DEEP Workbench API</title>"
                   "<style>body{font-family:sans-serif;max-width:60em;margin:2em auto;padding:0 1em}"
                   "code,pre{background:#f4f4f4;padding:0 .2em}table{border-collapse:collapse}"
                   "td,th{border:1px solid #ccc;padding:.2em .5em;text-align:left}</style></head><body>\n"
                   "<h1>DEEP Workbench API</h1>\n"_s;
    html += u"<p>A DEEPaaS v2 compatible REST API at <code>%1</code>. Its documents: "
            "<a href=\"/swagger.json\">/swagger.json</a> (Swagger 2.0, as DEEPaaS publishes it) and "
            "<a href=\"/openapi.json\">/openapi.json</a> (OpenAPI 3).%2</p>\n"_s.arg(
                escape(serverUrl),
                tokenRequired ? u" Every request needs the header <code>Authorization: Bearer &lt;token&gt;</code>."_s
                              : QString());
    html += u"<h2>Routes</h2><table><tr><th>Method</th><th>Path</th><th>What</th></tr>"
            "<tr><td>GET</td><td>/</td><td>API versions</td></tr>"
            "<tr><td>GET</td><td>/v2/</td><td>v2 version and links</td></tr>"
            "<tr><td>GET</td><td>/v2/models/</td><td>the models and their metadata</td></tr>"
            "<tr><td>GET</td><td>/v2/models/{name}/</td><td>one model</td></tr>"
            "<tr><td>POST</td><td>/v2/models/{name}/predict/</td><td>predict: multipart form, the file in field "
            "<code>data</code></td></tr>"
            "<tr><td>POST</td><td>/v2/models/{name}/train/</td><td>start a training; returns its uuid</td></tr>"
            "<tr><td>GET</td><td>/v2/models/{name}/train/</td><td>the trainings</td></tr>"
            "<tr><td>GET</td><td>/v2/models/{name}/train/{uuid}</td><td>one training's status</td></tr>"
            "<tr><td>DELETE</td><td>/v2/models/{name}/train/{uuid}</td><td>cancel a training</td></tr></table>\n"_s;
    html += u"<h2>Models</h2>\n"_s;
    for (const ServedModule &m : modules) {
        html += u"<h3 id=\"%1\">%1</h3><p>%2 &mdash; task <code>%3</code>%4</p>\n"_s.arg(
            escape(m.id), escape(m.manifest.title), escape(m.manifest.task),
            m.isTemplate() ? u" (a template: train it first; it cannot predict)"_s : QString());
        if (!m.manifest.summary.isEmpty())
            html += u"<p>%1</p>\n"_s.arg(escape(m.manifest.summary));
        auto table = [&html](const QString &title, const ArgumentSchema &schema, const QString &upload) {
            html +=
                u"<h4>%1</h4><table><tr><th>Argument</th><th>Type</th><th>Default</th><th>Help</th></tr>"_s.arg(title);
            if (!upload.isEmpty())
                html +=
                    u"<tr><td>data</td><td>file</td><td></td><td>the input file(s), as the task's %1</td></tr>"_s.arg(
                        escape(upload));
            for (const ArgumentSpec &spec : schema.specs()) {
                QString type = argTypeName(spec.type);
                if (spec.type == ArgType::Enum)
                    type += u": "_s + spec.choices.join(u'|');
                html += u"<tr><td>%1%2</td><td>%3</td><td>%4</td><td>%5</td></tr>"_s.arg(
                    escape(spec.name), spec.required ? u" *"_s : QString(), escape(type),
                    escape(spec.defaultValue.toString()), escape(spec.help));
            }
            html += u"</table>\n"_s;
        };
        if (!m.isTemplate()) {
            table(u"Predict arguments"_s, m.predictSchema, m.uploadArgument);
            html +=
                u"<pre>curl -F data=@input.png %1/v2/models/%2/predict/</pre>\n"_s.arg(escape(serverUrl), escape(m.id));
        }
        table(u"Train arguments"_s, m.trainSchema, {});
    }
    html += u"</body></html>\n"_s;
    return html.toUtf8();
}

}  // namespace dw
