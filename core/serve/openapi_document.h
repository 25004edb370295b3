#pragma once
// The OpenAPI 3 document (GET /swagger.json) and the HTML documentation page (GET /api) of
// the served modules, generated from their REST argument schemas.
#include "core/serve/served_module.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>

namespace dw {

class OpenApiDocument {
public:
    static QJsonObject build(const QList<ServedModule> &modules, const QString &serverUrl, bool tokenRequired);
    static QByteArray htmlPage(const QList<ServedModule> &modules, const QString &serverUrl, bool tokenRequired);
    // The JSON Schema of one argument: type, default, minimum/maximum, enum, items, description.
    static QJsonObject argumentSchema(const ArgumentSpec &spec);
};

}  // namespace dw
