// A module archive (.dwm) imported into an empty catalog: libarchive's reader behind our
// limits, path checks and manifest checks. Nothing may land outside the catalog.
#include "fuzz_support.h"

#include "core/catalog/module_archive.h"

#include <QDirIterator>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QString base = dwfuzz::scratch().path();
    const QString archive = base + QStringLiteral("/in.dwm");
    const QString catalog = base + QStringLiteral("/catalog");
    if (!dwfuzz::writeFile(archive, dwfuzz::bytes(data, size)))
        return 0;
    QDir().mkpath(catalog);
    dw::ArchiveLimits limits;  // small, so that a bomb is found in microseconds
    limits.maxEntryBytes = 4 << 20;
    limits.maxTotalBytes = 8 << 20;
    limits.maxEntries = 200;
    limits.ratioFloor = 1 << 20;
    (void)dw::importModule(archive, catalog, limits);
    QDir(catalog).removeRecursively();
    // The archive's entries must never be written beside the catalog.
    QDirIterator it(base, QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden);
    while (it.hasNext()) {
        const QString name = QFileInfo(it.next()).fileName();
        if (name != QStringLiteral("in.dwm") && name != QStringLiteral("dataset"))
            __builtin_trap();
    }
    return 0;
}
