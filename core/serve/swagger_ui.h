#pragma once
// GET /ui: Swagger UI on /swagger.json, as DEEPaaS serves it. Swagger UI's JavaScript and CSS
// are not ours and are not downloaded: they are read from a folder of the system, Debian's
// python3-flasgger (/usr/lib/python3/dist-packages/flasgger/ui3/static) or DEEPWB_SWAGGER_UI_DIR.
// Without one, /ui is the workbench's own HTML page of the API.
#include "core/util/result.h"

#include <QByteArray>
#include <QString>

namespace dw {

class SwaggerUi {
public:
    // The folder with swagger-ui-bundle.js; empty when the system has none.
    static QString directory();
    // The page: Swagger UI reading /swagger.json, its files under /ui/static/.
    static QByteArray page();
    struct Asset {
        QByteArray bytes;
        QByteArray contentType;
    };
    // One of Swagger UI's files by name (swagger-ui.css, swagger-ui-bundle.js,
    // swagger-ui-standalone-preset.js, favicon-32x32.png, favicon-16x16.png); any other name fails.
    static Result<Asset> asset(const QString &name);
};

}  // namespace dw
