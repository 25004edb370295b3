#pragma once
// The summary of a catalog entry that the CLI (--json) and the REST API list.
#include "core/catalog/catalog_entry.h"

#include <QJsonObject>

namespace dw {

// {id, title, summary, task, version, keywords, license, architecture, built_in, template,
//  valid, problems: [{field, message}], path, plugin_available}
QJsonObject catalogEntryToJson(const CatalogEntry &entry, bool pluginAvailable);

}  // namespace dw
