#include "core/catalog/catalog_json.h"

#include "core/catalog/demo_modules.h"

#include <QJsonArray>

namespace dw {

QJsonObject catalogEntryToJson(const CatalogEntry &entry, bool pluginAvailable)
{
    const ModuleManifest &m = entry.manifest;
    QJsonArray problems;
    for (const ValidationProblem &p : entry.problems)
        problems.append(QJsonObject{{QStringLiteral("field"), p.field}, {QStringLiteral("message"), p.message}});
    return QJsonObject{
        {QStringLiteral("id"), entry.id()},
        {QStringLiteral("title"), m.title},
        {QStringLiteral("summary"), m.summary},
        {QStringLiteral("task"), m.task},
        {QStringLiteral("version"), m.version},
        {QStringLiteral("keywords"), QJsonArray::fromStringList(m.keywords)},
        {QStringLiteral("license"), m.license},
        {QStringLiteral("architecture"), m.architecture},
        {QStringLiteral("built_in"), entry.builtIn},
        {QStringLiteral("demo"), isDemo(entry)},
        {QStringLiteral("template"), m.isTemplate()},
        {QStringLiteral("valid"), entry.isValid()},
        {QStringLiteral("being_written"), entry.beingWritten},
        {QStringLiteral("interrupted"), entry.interrupted},
        {QStringLiteral("problems"), problems},
        {QStringLiteral("path"), entry.path},
        {QStringLiteral("plugin_available"), pluginAvailable},
    };
}

}  // namespace dw
