#include "core/catalog/catalog.h"

#include "core/catalog/demo_modules.h"
#include "core/catalog/manifest_io.h"
#include "core/catalog/module_lock.h"
#include "core/catalog/training_leftover.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QSet>
#include <QStandardPaths>

namespace dw {
namespace {

bool containsWord(const CatalogEntry &entry, const QString &word)
{
    const ModuleManifest &m = entry.manifest;
    if (m.title.contains(word, Qt::CaseInsensitive) || m.summary.contains(word, Qt::CaseInsensitive) ||
        m.description.contains(word, Qt::CaseInsensitive))
        return true;
    return std::any_of(m.keywords.begin(), m.keywords.end(),
                       [&word](const QString &k) { return k.contains(word, Qt::CaseInsensitive); });
}

// Every sub-folder is a module, valid or not: a folder the user put there and that the
// catalog silently ignored would be more confusing than one listed with its problem.
// Hidden folders are skipped; module imports stage their files in one.
QList<CatalogEntry> scanFolder(const QString &directory, bool builtIn)
{
    QList<CatalogEntry> entries;
    const QFileInfoList folders = QDir(directory).entryInfoList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
    entries.reserve(folders.size());
    for (const QFileInfo &folder : folders) {
        CatalogEntry entry;
        entry.path = folder.absoluteFilePath();
        entry.builtIn = builtIn;
        ManifestReadResult read = readManifest(entry.path);
        entry.manifest = std::move(read.manifest);
        entry.problems = std::move(read.problems);
        // A module being written (a training, an import) is not broken: say who writes it.
        if (const std::optional<qint64> writer = ModuleLock::holder(entry.path); writer && !entry.problems.isEmpty()) {
            entry.beingWritten = true;
            entry.problems = {
                {manifestFileName(), QStringLiteral("being written by process %1 (a training or an import); it is "
                                                    "listed when it has finished")
                                         .arg(*writer)}};
        } else if (!entry.problems.isEmpty() && !QFileInfo::exists(QDir(entry.path).filePath(manifestFileName()))) {
            // A training killed before its first checkpoint left nothing to use or resume.
            if (!builtIn && holdsNoTrainingYet(entry.path) && QFileInfo::exists(ModuleLock::lockPath(entry.path)))
                continue;
            entry.interrupted = !interruptedCheckpoint(entry.path).isEmpty();
        }
        entries.append(std::move(entry));
    }
    return entries;
}

// Two user folders with one id: both stay listed, and both say which other folder clashes,
// since either could be the one the user meant to keep.
void flagDuplicateIds(QList<CatalogEntry> &entries)
{
    QHash<QString, QList<qsizetype>> byId;
    for (qsizetype i = 0; i < entries.size(); ++i)
        if (!entries.at(i).manifest.id.isEmpty())
            byId[entries.at(i).manifest.id].append(i);
    for (auto it = byId.cbegin(); it != byId.cend(); ++it) {
        if (it->size() < 2)
            continue;
        for (qsizetype i : *it) {
            QStringList others;
            for (qsizetype j : *it)
                if (j != i)
                    others << QFileInfo(entries.at(j).path).fileName();
            entries[i].problems.append(
                {QStringLiteral("id"), QStringLiteral("\"%1\" is also the id of the module in folder %2; "
                                                      "give one of them another id")
                                           .arg(it.key(), others.join(QStringLiteral(", ")))});
        }
    }
}

}  // namespace

bool CatalogQuery::matches(const CatalogEntry &entry) const
{
    if (validOnly && !entry.isValid())
        return false;
    if (!task.isEmpty() && entry.manifest.task.compare(task, Qt::CaseInsensitive) != 0)
        return false;
    for (const QString &keyword : keywords)
        if (!entry.manifest.keywords.contains(keyword.trimmed(), Qt::CaseInsensitive))
            return false;
    // Every word of the search text must appear somewhere: "plant resnet" finds the plant
    // classifier built on a ResNet even though no field holds the phrase.
    const QStringList words = text.simplified().split(QLatin1Char(' '), Qt::SkipEmptyParts);
    return std::all_of(words.begin(), words.end(), [&entry](const QString &w) { return containsWord(entry, w); });
}

Catalog::Catalog(QString userDirectory, bool includeBuiltIns)
    : m_userDirectory(userDirectory.isEmpty() ? defaultUserDirectory() : QDir::cleanPath(userDirectory)),
      m_includeBuiltIns(includeBuiltIns)
{}

QString Catalog::defaultUserDirectory()
{
    const QString fromEnvironment = qEnvironmentVariable("DEEPWB_CATALOG");
    if (!fromEnvironment.isEmpty())
        return QDir::cleanPath(fromEnvironment);
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/modules");
}

void Catalog::scan()
{
    QDir().mkpath(m_userDirectory);
    QList<CatalogEntry> user = scanFolder(m_userDirectory, false);
    flagDuplicateIds(user);
    m_entries = std::move(user);
    if (!m_includeBuiltIns)
        return;
    QSet<QString> userIds;
    for (const CatalogEntry &entry : std::as_const(m_entries))
        userIds.insert(entry.id());
    // The trained demo modules first, then the templates.
    QList<CatalogEntry> shipped;
    if (const QString demos = demoModulesDirectory(); !demos.isEmpty())
        shipped = scanFolder(demos, true);
    shipped += scanFolder(builtInDirectory(), true);
    for (CatalogEntry &entry : shipped)
        if (!userIds.contains(entry.id()))  // a user module of the same id replaces it
            m_entries.append(std::move(entry));
}

const CatalogEntry *Catalog::find(const QString &id) const
{
    // User entries come first in m_entries, so the first match is the one that shadows.
    for (const CatalogEntry &entry : m_entries)
        if (entry.id() == id)
            return &entry;
    return nullptr;
}

QList<CatalogEntry> Catalog::search(const CatalogQuery &query) const
{
    QList<CatalogEntry> found;
    for (const CatalogEntry &entry : m_entries)
        if (query.matches(entry))
            found.append(entry);
    return found;
}

QStringList Catalog::allKeywords() const
{
    QSet<QString> keywords;
    for (const CatalogEntry &entry : m_entries)
        for (const QString &k : entry.manifest.keywords)
            if (!k.trimmed().isEmpty())
                keywords.insert(k.trimmed().toCaseFolded());
    QStringList sorted(keywords.begin(), keywords.end());
    sorted.sort();
    return sorted;
}

QStringList Catalog::allTasks() const
{
    QSet<QString> tasks;
    for (const CatalogEntry &entry : m_entries)
        if (!entry.manifest.task.isEmpty())
            tasks.insert(entry.manifest.task);
    QStringList sorted(tasks.begin(), tasks.end());
    sorted.sort();
    return sorted;
}

QString Catalog::freeFolderFor(const QString &id) const
{
    const QDir root(m_userDirectory);
    const QString base = id.isEmpty() ? QStringLiteral("module") : id;
    QString name = base;
    for (int n = 2; root.exists(name); ++n)
        name = QStringLiteral("%1-%2").arg(base).arg(n);
    return root.filePath(name);
}

Result<void> Catalog::remove(const QString &id)
{
    const CatalogEntry *entry = find(id);
    if (!entry)
        return failure(QStringLiteral("no module \"%1\" in the catalog %2").arg(id, m_userDirectory),
                       QStringLiteral("id"));
    if (entry->builtIn)
        return failure(
            QStringLiteral("\"%1\" is built into the application and cannot be removed; clone it to change it").arg(id),
            QStringLiteral("id"));
    // Never delete anything that is not a direct sub-folder of the user's catalog, whatever
    // a manifest or a symbolic link might claim.
    const QFileInfo folder(entry->path);
    const QString parent = QFileInfo(folder.absolutePath()).canonicalFilePath();
    if (parent != QFileInfo(m_userDirectory).canonicalFilePath())
        return failure(QStringLiteral("the folder %1 is not inside the catalog %2; remove it by hand")
                           .arg(entry->path, m_userDirectory));
    // A linked module folder lives elsewhere: unlink it, leave its files alone.
    const bool removed = folder.isSymLink() ? QFile::remove(entry->path) : QDir(entry->path).removeRecursively();
    if (!removed) {
        scan();  // some files may be gone: show what is left
        return failure(QStringLiteral("could not delete all of %1; check its permissions and delete the rest by hand")
                           .arg(entry->path));
    }
    scan();  // a built-in module that was shadowed by this one reappears
    return success();
}

}  // namespace dw
