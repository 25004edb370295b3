#include "core/catalog/catalog_entry.h"

#include <QFileInfo>

namespace dw {

QString CatalogEntry::id() const
{
    // A module whose manifest could not be read still needs a name in lists and on the
    // command line: its folder's name is what the user sees in the file manager.
    if (!manifest.id.isEmpty())
        return manifest.id;
    return QFileInfo(path).fileName();
}

}  // namespace dw
