#include "core/serve/swagger_ui.h"

#include <QFile>
#include <QFileInfo>

namespace dw {

using namespace Qt::StringLiterals;

namespace {

const QStringList &assetNames()
{
    static const QStringList names{u"swagger-ui.css"_s, u"swagger-ui-bundle.js"_s, u"swagger-ui-standalone-preset.js"_s,
                                   u"favicon-32x32.png"_s, u"favicon-16x16.png"_s};
    return names;
}

}  // namespace

QString SwaggerUi::directory()
{
    QStringList candidates;
    if (const QString own = qEnvironmentVariable("DEEPWB_SWAGGER_UI_DIR"); !own.isEmpty())
        candidates << own;
    candidates << u"/usr/lib/python3/dist-packages/flasgger/ui3/static"_s << u"/usr/share/swagger-ui"_s;
    for (const QString &folder : candidates) {
        if (QFileInfo::exists(folder + u"/swagger-ui-bundle.js"_s) && QFileInfo::exists(folder + u"/swagger-ui.css"_s))
            return folder;
    }
    return {};
}

QByteArray SwaggerUi::page()
{
    return QByteArrayLiteral(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>DEEP Workbench API</title>\n"
        "<link rel=\"stylesheet\" href=\"/ui/static/swagger-ui.css\">\n"
        "<link rel=\"icon\" type=\"image/png\" href=\"/ui/static/favicon-32x32.png\" sizes=\"32x32\">\n"
        "</head><body><div id=\"swagger-ui\"></div>\n"
        "<script src=\"/ui/static/swagger-ui-bundle.js\"></script>\n"
        "<script src=\"/ui/static/swagger-ui-standalone-preset.js\"></script>\n"
        "<script>window.onload = function () {\n"
        "  window.ui = SwaggerUIBundle({url: \"/swagger.json\", dom_id: \"#swagger-ui\", deepLinking: true,\n"
        "    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset], layout: \"StandaloneLayout\"});\n"
        "};</script>\n"
        "<noscript>This page needs JavaScript; the API's documents are <a href=\"/swagger.json\">/swagger.json</a> and "
        "<a href=\"/openapi.json\">/openapi.json</a>, its routes <a href=\"/api\">/api</a>.</noscript>\n"
        "</body></html>\n");
}

Result<SwaggerUi::Asset> SwaggerUi::asset(const QString &name)
{
    if (!assetNames().contains(name))
        return failure(u"no such file of Swagger UI: %1"_s.arg(name));
    const QString folder = directory();
    if (folder.isEmpty())
        return failure(u"Swagger UI is not installed on this machine (Debian: python3-flasgger)"_s);
    QFile file(folder + u'/' + name);
    if (!file.open(QIODevice::ReadOnly))
        return failure(u"cannot read %1: %2"_s.arg(file.fileName(), file.errorString()));
    const QByteArray type = name.endsWith(u".css"_s)  ? "text/css"
                            : name.endsWith(u".js"_s) ? "application/javascript"
                                                      : "image/png";
    return Asset{file.readAll(), type};
}

}  // namespace dw
