#include "core/catalog/module_archive.h"

#include "core/util/file_commit.h"
#include "core/util/leftovers.h"

#include "core/catalog/catalog.h"
#include "core/catalog/manifest_io.h"

#include <archive.h>
#include <archive_entry.h>

#include <QDateTime>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <QTemporaryDir>

#include <cerrno>
#include <memory>

namespace dw {
namespace {

constexpr qint64 kChunkBytes = 1 << 20;

struct ReadFree {
    void operator()(archive *a) const { archive_read_free(a); }
};
struct WriteFree {
    void operator()(archive *a) const { archive_write_free(a); }
};
struct EntryFree {
    void operator()(archive_entry *e) const { archive_entry_free(e); }
};
using ReadArchive = std::unique_ptr<archive, ReadFree>;
using WriteArchive = std::unique_ptr<archive, WriteFree>;
using Entry = std::unique_ptr<archive_entry, EntryFree>;

QString archiveError(archive *a)
{
    const char *text = archive_error_string(a);
    return text ? QString::fromLocal8Bit(text) : QStringLiteral("unknown error");
}

QString problemList(const QList<ValidationProblem> &problems)
{
    QStringList lines;
    for (const ValidationProblem &p : problems)
        lines << QStringLiteral("  ") + p.text();
    return lines.join(QLatin1Char('\n'));
}

bool keepGoing(const ArchiveProgress &progress, qint64 done, qint64 total)
{
    return !progress || progress(done, total);
}

// ---- export -------------------------------------------------------------------------

// libarchive writes through this into a QSaveFile, which only replaces the target file
// when everything has been written.
la_ssize_t writeToSaveFile(archive *a, void *client, const void *buffer, size_t length)
{
    auto *file = static_cast<QSaveFile *>(client);
    if (file->write(static_cast<const char *>(buffer), qint64(length)) != qint64(length)) {
        archive_set_error(a, EIO, "%s", qPrintable(file->errorString()));
        return -1;
    }
    return la_ssize_t(length);
}

struct ModuleFile {
    QString path;      // absolute (or ":/..." for a built-in module)
    QString relative;  // inside the module folder, '/'-separated
};

// Every non-hidden file of the module, module.json first so that a reader sees the
// manifest before megabytes of weights.
QList<ModuleFile> moduleFiles(const QString &moduleDir)
{
    QList<ModuleFile> files;
    const QDir root(moduleDir);
    QDirIterator it(moduleDir, QDir::Files | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        files.append({path, root.relativeFilePath(path)});
    }
    std::sort(files.begin(), files.end(), [](const ModuleFile &a, const ModuleFile &b) {
        const bool aManifest = a.relative == manifestFileName();
        const bool bManifest = b.relative == manifestFileName();
        return aManifest != bManifest ? aManifest : a.relative < b.relative;
    });
    return files;
}

Result<void> writeFile(archive *a, const ModuleFile &file, const QString &entryName, qint64 &done, qint64 total,
                       const ArchiveProgress &progress)
{
    QFile in(file.path);
    if (!in.open(QIODevice::ReadOnly))
        return failure(QStringLiteral("cannot read %1 (%2)").arg(file.path, in.errorString()));
    const qint64 size = in.size();
    const QDateTime modified = QFileInfo(file.path).lastModified();
    Entry entry(archive_entry_new());
    archive_entry_set_pathname_utf8(entry.get(), entryName.toUtf8().constData());
    archive_entry_set_filetype(entry.get(), AE_IFREG);
    archive_entry_set_perm(entry.get(), 0644);
    archive_entry_set_size(entry.get(), size);
    archive_entry_set_mtime(entry.get(),
                            (modified.isValid() ? modified : QDateTime::currentDateTime()).toSecsSinceEpoch(), 0);
    if (archive_write_header(a, entry.get()) != ARCHIVE_OK)
        return failure(QStringLiteral("cannot add %1 to the archive (%2)").arg(file.relative, archiveError(a)));
    // Exactly the size announced in the header: a file that grows meanwhile is cut there.
    for (qint64 remaining = size; remaining > 0;) {
        const QByteArray chunk = in.read(std::min(kChunkBytes, remaining));
        if (chunk.isEmpty())
            return failure(
                QStringLiteral("%1 became shorter while it was being exported; export again").arg(file.relative));
        if (archive_write_data(a, chunk.constData(), size_t(chunk.size())) != chunk.size())
            return failure(QStringLiteral("writing the archive failed (%1); is the disk full?").arg(archiveError(a)));
        remaining -= chunk.size();
        done += chunk.size();
        if (!keepGoing(progress, done, total))
            return failure(QStringLiteral("export cancelled; no archive was written"));
    }
    return success();
}

// ---- import -------------------------------------------------------------------------

Error notAnArchive(const QString &file, const QString &why)
{
    return failure(QStringLiteral("%1 is not a module archive (%2); choose a .%3 file made by \"Export module\" or "
                                  "'deepwb catalog export'")
                       .arg(file, why, moduleArchiveExtension()));
}

Error damaged(const QString &file, const QString &entry, const QString &why)
{
    return failure(QStringLiteral("the archive %1 is damaged or truncated at \"%2\" (%3); nothing was imported — "
                                  "ask for a new copy of the file")
                       .arg(file, entry, why));
}

// The entry's path inside the module, '/'-separated and without "./", or an error that
// says why the entry is refused. Empty for the archive's "./" itself.
Result<QString> checkedPath(archive_entry *entry)
{
    const char *utf8 = archive_entry_pathname_utf8(entry);
    const char *raw = archive_entry_pathname(entry);
    const QString path = utf8 ? QString::fromUtf8(utf8) : raw ? QString::fromLocal8Bit(raw) : QString();
    if (path.isEmpty())
        return failure(QStringLiteral("an entry of the archive has no name; the archive is damaged"));
    const auto refused = [&path](const QString &why) {
        return failure(QStringLiteral("refused entry \"%1\": %2; nothing was imported").arg(path, why));
    };
    if (const char *target = archive_entry_hardlink(entry))
        return refused(QStringLiteral("it is a hard link (to \"%1\"), and module archives hold plain files only")
                           .arg(QString::fromUtf8(target)));
    switch (archive_entry_filetype(entry)) {
    case AE_IFREG:
    case AE_IFDIR:
        break;
    case AE_IFLNK: {
        const char *target = archive_entry_symlink(entry);
        return refused(QStringLiteral("it is a symbolic link (to \"%1\"), which could point outside the catalog; "
                                      "module archives hold plain files only")
                           .arg(target ? QString::fromUtf8(target) : QString()));
    }
    case AE_IFCHR:
    case AE_IFBLK:
        return refused(QStringLiteral("it is a device file; module archives hold plain files only"));
    case AE_IFIFO:
        return refused(QStringLiteral("it is a FIFO; module archives hold plain files only"));
    case AE_IFSOCK:
        return refused(QStringLiteral("it is a socket; module archives hold plain files only"));
    default:
        return refused(QStringLiteral("it is of an unknown type; module archives hold plain files only"));
    }
    QString relative = path;
    while (relative.startsWith(QLatin1String("./")))
        relative.remove(0, 2);
    while (relative.endsWith(QLatin1Char('/')))
        relative.chop(1);
    if (relative.isEmpty() || relative == QLatin1String("."))
        return QString();
    if (QDir::isAbsolutePath(relative) || path.startsWith(QLatin1Char('/')) || path.startsWith(QLatin1Char('\\')))
        return refused(QStringLiteral("it has an absolute path and would be written outside the catalog"));
    if (!isSafeRelativePath(relative))
        return refused(
            QStringLiteral("its path contains \"..\" or a drive and would be written outside the module folder"));
    QStringList parts = relative.split(QLatin1Char('/'), Qt::SkipEmptyParts);
    parts.removeAll(QStringLiteral("."));
    return parts.join(QLatin1Char('/'));
}

struct Unpacking {
    archive *a;
    QString archiveName;
    qint64 archiveBytes;
    const ArchiveLimits &limits;
    const ArchiveProgress &progress;
    qint64 totalBytes = 0;
};

// expected: the size the entry's header gives, -1 when it gives none.
Result<void> extractFile(Unpacking &u, const QString &target, const QString &name, qint64 expected)
{
    if (!QDir().mkpath(QFileInfo(target).path()))
        return failure(QStringLiteral("cannot create a folder for \"%1\" in the catalog; is the disk full?").arg(name));
    QFile out(target);
    if (!out.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return failure(QStringLiteral("cannot write \"%1\" (%2)").arg(name, out.errorString()));
    QByteArray buffer(256 * 1024, Qt::Uninitialized);
    qint64 written = 0;
    for (;;) {
        const la_ssize_t n = archive_read_data(u.a, buffer.data(), size_t(buffer.size()));
        if (n == 0) {
            if (expected >= 0 && written != expected)
                return damaged(u.archiveName, name,
                               QStringLiteral("it holds %1 bytes where its header says %2").arg(written).arg(expected));
            if (!out.flush())
                return failure(QStringLiteral("cannot write \"%1\": %2; nothing was imported")
                                   .arg(name, writeProblemText(out.errorString())));
            return success();
        }
        if (n < 0)
            return damaged(u.archiveName, name, archiveError(u.a));
        written += n;
        u.totalBytes += n;
        // Counted on the bytes that arrive: a header may understate what follows.
        if (written > u.limits.maxEntryBytes)
            return failure(
                QStringLiteral("refused entry \"%1\": it unpacks to more than %2 bytes, the limit for one file; "
                               "nothing was imported")
                    .arg(name)
                    .arg(u.limits.maxEntryBytes));
        if (u.totalBytes > u.limits.maxTotalBytes)
            return failure(
                QStringLiteral(
                    "refused archive: it unpacks to more than %1 bytes in all, the limit; nothing was imported")
                    .arg(u.limits.maxTotalBytes));
        const qint64 packed = std::max<qint64>(1, archive_filter_bytes(u.a, -1));
        if (u.totalBytes > u.limits.ratioFloor && double(u.totalBytes) > u.limits.maxRatio * double(packed))
            return failure(
                QStringLiteral(
                    "refused archive: %1 bytes of it unpack to more than %2 bytes (at \"%3\"), over %4 times "
                    "its size; module weights hardly compress, so this is a compression bomb or a damaged "
                    "archive; nothing was imported")
                    .arg(packed)
                    .arg(u.totalBytes)
                    .arg(name)
                    .arg(u.limits.maxRatio, 0, 'f', 0));
        if (out.write(buffer.constData(), n) != n)
            return failure(QStringLiteral("cannot write \"%1\": %2; nothing was imported")
                               .arg(name, writeProblemText(out.errorString())));
        if (!keepGoing(u.progress, archive_filter_bytes(u.a, -1), u.archiveBytes))
            return failure(QStringLiteral("import cancelled; nothing was imported"));
    }
}

Result<void> unpack(const QString &archiveFile, const QString &destination, const ArchiveLimits &limits,
                    const ArchiveProgress &progress)
{
    ReadArchive a(archive_read_new());
    archive_read_support_filter_all(a.get());
    archive_read_support_format_tar(a.get());
    archive_read_support_format_zip(a.get());
    const QString name = QFileInfo(archiveFile).fileName();
    if (archive_read_open_filename(a.get(), QFile::encodeName(archiveFile).constData(), 64 * 1024) != ARCHIVE_OK)
        return notAnArchive(name, archiveError(a.get()));
    Unpacking u{a.get(), name, QFileInfo(archiveFile).size(), limits, progress};
    const QDir root(destination);
    QString previous = QStringLiteral("(start)");
    for (int count = 0;;) {
        archive_entry *entry = nullptr;
        const int status = archive_read_next_header(a.get(), &entry);
        if (status == ARCHIVE_EOF)
            return success();
        if (status < ARCHIVE_WARN)
            return count == 0 ? notAnArchive(name, archiveError(a.get()))
                              : damaged(name, previous, archiveError(a.get()));
        if (++count > limits.maxEntries)
            return failure(
                QStringLiteral("refused archive: it has more than %1 entries, the limit; nothing was imported")
                    .arg(limits.maxEntries));
        Result<QString> path = checkedPath(entry);
        if (!path)
            return path.error();
        previous = *path;
        if (path->isEmpty())
            continue;
        const QString target = root.filePath(*path);
        if (archive_entry_filetype(entry) == AE_IFDIR) {
            if (!QDir().mkpath(target))
                return failure(QStringLiteral("cannot create the folder \"%1\" in the catalog").arg(*path));
            continue;
        }
        if (archive_entry_sparse_count(entry) > 0)
            return failure(
                QStringLiteral(
                    "refused entry \"%1\": it is a sparse file (%2 bytes with holes), which no module holds; "
                    "nothing was imported")
                    .arg(*path)
                    .arg(archive_entry_size(entry)));
        if (archive_entry_size_is_set(entry) && archive_entry_size(entry) > limits.maxEntryBytes)
            return failure(
                QStringLiteral("refused entry \"%1\": it is %2 bytes, more than the limit of %3 for one file; "
                               "nothing was imported")
                    .arg(*path)
                    .arg(archive_entry_size(entry))
                    .arg(limits.maxEntryBytes));
        if (Result<void> done =
                extractFile(u, target, *path, archive_entry_size_is_set(entry) ? archive_entry_size(entry) : -1);
            !done)
            return done;
    }
}

// module.json at the top of what was unpacked, or in its single top folder (as export
// writes it).
Result<QString> moduleRoot(const QString &unpacked)
{
    const QDir dir(unpacked);
    if (QFileInfo(dir.filePath(manifestFileName())).isFile())
        return unpacked;
    const QFileInfoList folders = dir.entryInfoList(QDir::Dirs | QDir::NoDotAndDotDot | QDir::Hidden);
    if (folders.size() == 1 && QFileInfo(QDir(folders.first().filePath()).filePath(manifestFileName())).isFile())
        return folders.first().absoluteFilePath();
    return failure(
        QStringLiteral("the archive holds no module.json, neither at its top nor in a single top folder, so it "
                       "is not a module; export modules with \"Export module\" or 'deepwb catalog export'"));
}

QString freeId(const Catalog &catalog, const QString &id)
{
    const QString base = id.left(60);
    for (int n = 2;; ++n) {
        const QString candidate = QStringLiteral("%1-%2").arg(base).arg(n);
        if (!catalog.find(candidate) && !QFileInfo::exists(QDir(catalog.userDirectory()).filePath(candidate)))
            return candidate;
    }
}

// Moves the unpacked module into the catalog. A rename inside one folder is atomic, so
// the catalog never shows a half-copied module.
Result<QString> place(ModuleManifest manifest, const QString &root, const QString &catalogDir, const QString &staging,
                      ImportConflict onConflict)
{
    Catalog catalog(catalogDir, false);
    catalog.scan();
    QString target = catalog.freeFolderFor(manifest.id);
    QString aside;
    if (const CatalogEntry *existing = catalog.find(manifest.id)) {
        switch (onConflict) {
        case ImportConflict::Refuse:
            return failure(
                QStringLiteral(
                    "a module with the id \"%1\" is already in the catalog (folder %2); delete it first, "
                    "or import the archive as a copy under a new id ('deepwb catalog import --copy') or in its place "
                    "('deepwb catalog import --replace'); the window asks which")
                    .arg(manifest.id, existing->path),
                QStringLiteral("id"));
        case ImportConflict::Replace:
            target = existing->path;
            aside = QDir(staging).filePath(QStringLiteral("replaced"));
            if (!QDir().rename(target, aside))
                return failure(
                    QStringLiteral("cannot move the existing module %1 out of the way; is it open elsewhere?")
                        .arg(target));
            break;
        case ImportConflict::Rename:
            manifest.id = freeId(catalog, manifest.id);
            if (Result<void> written = writeManifest(manifest, root); !written)
                return written.error();
            target = catalog.freeFolderFor(manifest.id);
            break;
        }
    }
    if (!QDir().rename(root, target)) {
        if (!aside.isEmpty())
            QDir().rename(aside, target);  // put the replaced module back as it was
        return failure(QStringLiteral("cannot move the imported module into %1; check the catalog folder's permissions")
                           .arg(target));
    }
    return QFileInfo(target).absoluteFilePath();
}

}  // namespace

Result<void> exportModule(const QString &moduleDir, const QString &archiveFile, const ArchiveProgress &progress)
{
    if (!QFileInfo(moduleDir).isDir())
        return failure(QStringLiteral("%1 is not a module folder").arg(moduleDir));
    // An archive inside the module's folder would become part of the module, or replace one of
    // its files (export M M/weights.pt wrote the archive over the weights).
    const QString root = QFileInfo(moduleDir).canonicalFilePath();
    const QString targetFolder = QFileInfo(QFileInfo(archiveFile).absolutePath()).canonicalFilePath();
    if (!root.isEmpty() && !targetFolder.isEmpty() &&
        (targetFolder == root || targetFolder.startsWith(root + QLatin1Char('/'))))
        return failure(
            QStringLiteral("the archive %1 would be written inside the module's own folder %2, where it could replace "
                           "the module's files: choose a file outside it, e.g. %3")
                .arg(archiveFile, root,
                     QDir(QFileInfo(root).absolutePath())
                         .filePath(QFileInfo(root).fileName() + QStringLiteral(".dwm"))));
    const ManifestReadResult read = readManifest(moduleDir);
    if (!read.isValid())
        return failure(QStringLiteral("the module cannot be exported until its problems are fixed:\n%1")
                           .arg(problemList(read.problems)));
    // A copy with damaged weights would only fail on the colleague's machine; say it here.
    if (const QList<ValidationProblem> weights = verifyWeights(read.manifest, moduleDir, true); !weights.isEmpty())
        return failure(QStringLiteral("the module cannot be exported:\n%1").arg(problemList(weights)));

    const QList<ModuleFile> files = moduleFiles(moduleDir);
    qint64 total = 0;
    for (const ModuleFile &f : files)
        total += QFileInfo(f.path).size();

    QSaveFile out(archiveFile);
    if (!out.open(QIODevice::WriteOnly))
        return failure(QStringLiteral("cannot write %1 (%2)").arg(archiveFile, out.errorString()));
    // Declared after `out`, so it is closed (and its trailer written) before `out` goes.
    WriteArchive a(archive_write_new());
    archive_write_add_filter_gzip(a.get());
    archive_write_set_format_pax_restricted(a.get());
    if (archive_write_open2(a.get(), &out, nullptr, writeToSaveFile, nullptr, nullptr) != ARCHIVE_OK)
        return failure(QStringLiteral("cannot start the archive %1 (%2)").arg(archiveFile, archiveError(a.get())));
    qint64 done = 0;
    for (const ModuleFile &f : files)
        if (Result<void> written =
                writeFile(a.get(), f, read.manifest.id + QLatin1Char('/') + f.relative, done, total, progress);
            !written)
            return written;
    if (archive_write_close(a.get()) != ARCHIVE_OK)
        return failure(QStringLiteral("cannot finish the archive %1 (%2)").arg(archiveFile, archiveError(a.get())));
    return commitFile(out, QStringLiteral("the archive"));
}

Result<QString> importModule(const QString &archiveFile, const QString &catalogDir, const ArchiveLimits &limits,
                             ImportConflict onConflict, const ArchiveProgress &progress)
{
    const QFileInfo info(archiveFile);
    if (!info.exists())
        return failure(QStringLiteral("%1 does not exist").arg(archiveFile));
    if (!info.isFile())
        return failure(QStringLiteral("%1 is not a file; choose a module archive (.%2)")
                           .arg(archiveFile, moduleArchiveExtension()));
    if (info.size() == 0)
        return notAnArchive(info.fileName(), QStringLiteral("the file is empty"));
    if (!QDir().mkpath(catalogDir))
        return failure(QStringLiteral("cannot create the catalog folder %1").arg(catalogDir));
    // Hidden (the scan skips it) and inside the catalog (the final rename stays on one file
    // system). Removed with everything in it on every return path.
    // Named with our PID: folders of imports killed before they could clean up are swept here.
    sweepLeftovers(catalogDir, QStringLiteral(".import-"));
    QTemporaryDir staging(QDir(catalogDir).filePath(QStringLiteral(".import-") + pidTag() + QStringLiteral("XXXXXX")));
    if (!staging.isValid())
        return failure(
            QStringLiteral("cannot create a temporary folder in %1 (%2)").arg(catalogDir, staging.errorString()));
    const QString unpacked = staging.filePath(QStringLiteral("files"));
    if (!QDir().mkpath(unpacked))
        return failure(QStringLiteral("cannot create a temporary folder in %1").arg(catalogDir));

    if (Result<void> done = unpack(archiveFile, unpacked, limits, progress); !done)
        return done.error();
    const Result<QString> root = moduleRoot(unpacked);
    if (!root)
        return root.error();
    const ManifestReadResult read = readManifest(*root);
    if (!read.isValid())
        return failure(QStringLiteral("the module in the archive is not valid:\n%1").arg(problemList(read.problems)));
    if (const QList<ValidationProblem> weights = verifyWeights(read.manifest, *root, true); !weights.isEmpty())
        return failure(QStringLiteral("the module in the archive is damaged:\n%1").arg(problemList(weights)));
    return place(read.manifest, *root, catalogDir, staging.path(), onConflict);
}

}  // namespace dw
