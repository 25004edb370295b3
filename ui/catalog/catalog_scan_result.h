#pragma once
// What a catalog scan job hands back to the GUI thread: a copy of everything it found.
#include "core/catalog/catalog_entry.h"

#include <QList>
#include <QMetaType>
#include <QStringList>

namespace dw {

struct CatalogScanResult {
    QList<CatalogEntry> entries;
    QStringList tasks;        // Catalog::allTasks()
    QStringList keywords;     // Catalog::allKeywords()
    QStringList pluginTasks;  // tasks that a loaded plugin handles
};

}  // namespace dw

Q_DECLARE_METATYPE(dw::CatalogScanResult)
