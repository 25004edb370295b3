#pragma once
// A module as one file to share: a gzip-compressed tar (extension .dwm) holding the module
// folder under a top folder named after its id. Import treats the archive as hostile: it
// may come from anyone, so nothing in it can write outside the catalog, and a failed
// import leaves no half-imported module behind.
#include "core/util/result.h"

#include <QString>
#include <QtGlobal>

#include <functional>

namespace dw {

inline QString moduleArchiveExtension()
{
    return QStringLiteral("dwm");
}

// Bounds on what an archive may unpack to; they keep a crafted archive (a "zip bomb", a
// million tiny entries) from filling the disk. Sizes count the bytes actually written, not
// what the entry headers claim.
struct ArchiveLimits {
    qint64 maxEntryBytes = qint64(2) << 30;  // one file: weights of large networks (ViT-L: 1.2 GB) fit
    qint64 maxTotalBytes = qint64(4) << 30;  // all files together
    int maxEntries = 10000;
    // Weights hardly compress (about 1.1 to 1); an archive that unpacks to more than maxRatio
    // times what was read of it, past ratioFloor bytes, is a compression bomb.
    double maxRatio = 50.0;
    qint64 ratioFloor = qint64(64) << 20;
};

// What import does when the catalog already holds a module with the archive's id.
enum class ImportConflict {
    Refuse,   // fail with an error that names the existing module (the default)
    Replace,  // the imported module takes the existing one's folder; the old one is deleted
    Rename,   // imported as a copy under a free id: id-2, id-3, ... (module.json is updated)
};

// Called now and then with bytes done and the total (-1 when unknown); return false to
// cancel. Lets a job report progress on multi-gigabyte weights.
using ArchiveProgress = std::function<bool(qint64 done, qint64 total)>;

// Writes moduleDir (a user module or a built-in ":/modules/..." folder) to archiveFile.
// The module must be valid and its weights must match their checksum. The archive is
// written under a temporary name and renamed when complete (QSaveFile), so a failed or
// cancelled export never leaves a file that looks finished. Hidden files are left out.
Result<void> exportModule(const QString &moduleDir, const QString &archiveFile, const ArchiveProgress &progress = {});

// Unpacks archiveFile into a new folder of catalogDir and returns that folder's path. The
// archive must hold one module: module.json at its top or in its single top folder.
// Refused, with the entry named: paths with "..", absolute paths, symbolic and hard links,
// devices, FIFOs and sockets, entries past the limits, damaged archives, archives without
// module.json, invalid manifests, weights that do not match their checksum. Files are
// unpacked into a hidden temporary folder inside catalogDir and moved into place at the
// end; on any failure that folder is deleted and the catalog is as it was.
Result<QString> importModule(const QString &archiveFile, const QString &catalogDir, const ArchiveLimits &limits = {},
                             ImportConflict onConflict = ImportConflict::Refuse, const ArchiveProgress &progress = {});

}  // namespace dw
