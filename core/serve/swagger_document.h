#pragma once
// The Swagger 2.0 document of the served modules (GET /swagger.json), in the shape DEEPaaS
// publishes through aiohttp-apispec, so that its clients (deepaas_ui's launch.py among them)
// read it unchanged: each operation's arguments under "parameters" (files as
// `in: formData, type: file`), media types under "produces", response schemas under
// "definitions", an operationId on every operation. Paths are relative to the server; no
// host is named (the Host header of a request never reaches the document).
#include "core/serve/served_module.h"

#include <QJsonObject>
#include <QList>

namespace dw {

class SwaggerDocument {
public:
    static QJsonObject build(const QList<ServedModule> &modules, bool tokenRequired);
    // What a predict of the module can answer with: application/json, and for a task that
    // writes files the file itself (application/octet-stream: whatever type it is).
    static QStringList produces(const ServedModule &module);
    // "predict_my_module_v2": the operationId of a verb on a module (ids may hold '.' and '-'),
    // the same in /swagger.json and /openapi.json.
    static QString operationId(const QString &verb, const QString &module = {});
    // The JSON type of an argument: integer, number, boolean, array or string (both documents).
    static QString typeName(ArgType type);
};

}  // namespace dw
