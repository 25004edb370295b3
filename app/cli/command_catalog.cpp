// deepwb catalog ...: list, show and validate modules, import DEEP metadata, move modules
// in and out of the catalog as one archive file.
#include "command_parser.h"
#include "commands.h"
#include "job_runner.h"

#include "core/catalog/catalog.h"
#include "core/catalog/catalog_json.h"
#include "core/catalog/deep_metadata.h"
#include "core/catalog/demo_modules.h"
#include "core/catalog/manifest_io.h"
#include "core/catalog/module_archive.h"
#include "core/task/plugin_manager.h"
#include "core/util/count_text.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>

#include <functional>
#include <map>

namespace dw::cli {

namespace {

QJsonArray problemsToJson(const QList<ValidationProblem> &problems)
{
    QJsonArray list;
    for (const ValidationProblem &p : problems)
        list.append(QJsonObject{{QStringLiteral("field"), p.field}, {QStringLiteral("message"), p.message}});
    return list;
}

QString statusOf(const CatalogEntry &entry)
{
    if (entry.beingWritten)
        return QStringLiteral("being written");
    if (entry.interrupted)
        return QStringLiteral("interrupted");
    if (!entry.isValid())
        return QStringLiteral("invalid");
    return entry.manifest.isTemplate() ? QStringLiteral("template") : QStringLiteral("trained");
}

// ", demo" for a shipped demo module, ", built-in" for a template, nothing for the user's own.
QString originOf(const CatalogEntry &entry)
{
    if (!entry.builtIn)
        return {};
    return isDemo(entry) ? QStringLiteral(", demo") : QStringLiteral(", built-in");
}

Catalog scannedCatalog(const CommandParser &cmd)
{
    Catalog catalog(cmd.catalogDirectory());
    catalog.scan();
    return catalog;
}

int catalogList(const QStringList &args)
{
    CommandParser cmd(QStringLiteral("catalog list"), QStringLiteral("List the modules of the catalog."));
    cmd.addOption({QStringLiteral("search"),
                   QStringLiteral("Only modules whose title, summary, description or keywords contain TEXT."),
                   QStringLiteral("TEXT")});
    cmd.addOption({QStringLiteral("task"),
                   QStringLiteral("Only modules of TASK (image-classification, super-resolution, time-series)."),
                   QStringLiteral("TASK")});
    cmd.addOption({QStringLiteral("keyword"), QStringLiteral("Only modules with KEYWORD (repeatable)."),
                   QStringLiteral("KEYWORD")});
    cmd.addOption({QStringLiteral("valid-only"), QStringLiteral("Leave out invalid modules.")});
    if (auto stop = cmd.parse(args, 0, 0))
        return *stop;

    const Catalog catalog = scannedCatalog(cmd);
    CatalogQuery query;
    query.text = cmd.value(QStringLiteral("search"));
    query.task = cmd.value(QStringLiteral("task"));
    query.keywords = cmd.parser().values(QStringLiteral("keyword"));
    query.validOnly = cmd.isSet(QStringLiteral("valid-only"));
    const QStringList tasks = PluginManager::instance().tasks();

    QJsonArray modules;
    QList<QStringList> rows;
    for (const CatalogEntry &entry : catalog.search(query)) {
        modules.append(catalogEntryToJson(entry, tasks.contains(entry.manifest.task)));
        rows << QStringList{entry.id(), entry.manifest.task.isEmpty() ? QStringLiteral("?") : entry.manifest.task,
                            statusOf(entry) + originOf(entry),
                            entry.isValid() ? entry.manifest.title : entry.problems.first().text()};
    }
    const Output out = cmd.output();
    out.document(
        QJsonObject{{QStringLiteral("catalog"), catalog.userDirectory()}, {QStringLiteral("modules"), modules}});
    out.table({QStringLiteral("ID"), QStringLiteral("TASK"), QStringLiteral("STATUS"), QStringLiteral("TITLE")}, rows);
    out.line(QStringLiteral("\n%1; user catalog: %2").arg(moduleCountText(rows.size())).arg(catalog.userDirectory()));
    return ExitOk;
}

int catalogShow(const QStringList &args)
{
    CommandParser cmd(QStringLiteral("catalog show"), QStringLiteral("Show one module's manifest and validation."));
    cmd.addPositional(QStringLiteral("ID"), QStringLiteral("The module's id (see 'deepwb catalog list')."));
    if (auto stop = cmd.parse(args, 1, 1))
        return *stop;
    const Catalog catalog = scannedCatalog(cmd);
    const QString id = cmd.positional().first();
    const CatalogEntry *entry = catalog.find(id);
    if (!entry) {
        Output::error(QStringLiteral("no module '%1' in the catalog %2 (see 'deepwb catalog list')")
                          .arg(id, catalog.userDirectory()));
        return ExitFailure;
    }
    const Output out = cmd.output();
    QJsonObject json = catalogEntryToJson(*entry, PluginManager::instance().tasks().contains(entry->manifest.task));
    json.insert(QStringLiteral("manifest"), manifestToJson(entry->manifest));
    out.document(json);

    const ModuleManifest &m = entry->manifest;
    out.line(QStringLiteral("%1 (%2) %3").arg(m.title, entry->id(), m.version));
    out.line(m.summary);
    out.line();
    out.line(QStringLiteral("task:         %1").arg(m.task));
    out.line(QStringLiteral("architecture: %1").arg(m.architecture));
    out.line(QStringLiteral("status:       %1%2").arg(statusOf(*entry), originOf(*entry)));
    out.line(QStringLiteral("keywords:     %1").arg(m.keywords.join(QStringLiteral(", "))));
    out.line(QStringLiteral("license:      %1").arg(m.license));
    out.line(QStringLiteral("authors:      %1").arg(m.authors.join(QStringLiteral(", "))));
    out.line(QStringLiteral("created:      %1").arg(m.dateCreation));
    if (!m.parent.isEmpty())
        out.line(QStringLiteral("parent:       %1").arg(m.parent));
    if (!m.labels.isEmpty())
        out.line(QStringLiteral("labels:       %1").arg(m.labels.join(QStringLiteral(", "))));
    out.line(QStringLiteral("path:         %1").arg(entry->path));
    for (const ValidationProblem &p : entry->problems)
        out.line(QStringLiteral("problem:      %1").arg(p.text()));
    return ExitOk;
}

int catalogValidate(const QStringList &args)
{
    CommandParser cmd(QStringLiteral("catalog validate"),
                      QStringLiteral("Check a module folder or its module.json; exit code 1 when it is invalid."),
                      false);
    cmd.addPositional(QStringLiteral("PATH"), QStringLiteral("A module folder or a module.json file."));
    if (auto stop = cmd.parse(args, 1, 1))
        return *stop;
    const QString path = cmd.positional().first();
    if (!QFileInfo::exists(path)) {
        Output::error(QStringLiteral("%1 does not exist: give a module folder or a module.json file").arg(path));
        return ExitFailure;
    }
    ManifestReadResult read = readManifest(path);
    // The weights must be the ones the manifest names: their digest too, not only their presence.
    if (read.isValid()) {
        const QString folder = QFileInfo(path).isDir() ? path : QFileInfo(path).absolutePath();
        read.problems.append(verifyWeights(read.manifest, folder, true));
        // And the network must load as the manifest describes it: its architecture known, the
        // labels as many as its outputs, its sizes sane. The task's plugin loads it as predict would.
        TaskPlugin *plugin = PluginManager::instance().plugin(read.manifest.task);
        if (read.problems.isEmpty() && plugin && !read.manifest.isTemplate()) {
            JobContext context;
            if (Result<void> loaded = plugin->warm(folder, context); !loaded)
                read.problems.append({QStringLiteral("network"),
                                      QStringLiteral("the module does not load: %1").arg(loaded.error().text())});
        }
    }
    const Output out = cmd.output();
    out.document(QJsonObject{{QStringLiteral("path"), path},
                             {QStringLiteral("id"), read.manifest.id},
                             {QStringLiteral("valid"), read.problems.isEmpty()},
                             {QStringLiteral("problems"), problemsToJson(read.problems)}});
    if (read.problems.isEmpty()) {
        out.line(QStringLiteral("%1: valid (%2, %3)").arg(path, read.manifest.id, read.manifest.task));
        return ExitOk;
    }
    out.line(QStringLiteral("%1: %2 problem(s)").arg(path).arg(read.problems.size()));
    for (const ValidationProblem &p : read.problems)
        out.line(QStringLiteral("  %1").arg(p.text()));
    return ExitFailure;
}

int catalogImportDeep(const QStringList &args)
{
    CommandParser cmd(QStringLiteral("catalog import-deep"),
                      QStringLiteral("Add a module to the catalog from a DEEP Open Catalog metadata.json."));
    cmd.addPositional(QStringLiteral("METADATA"), QStringLiteral("The metadata.json file."));
    cmd.addOption({QStringLiteral("id"),
                   QStringLiteral("Use ID for the new module instead of the one derived from the title."),
                   QStringLiteral("ID")});
    cmd.addOption({QStringLiteral("task"), QStringLiteral("The task, when the metadata does not tell it."),
                   QStringLiteral("TASK")});
    if (auto stop = cmd.parse(args, 1, 1))
        return *stop;
    const QString file = cmd.positional().first();
    QFile in(file);
    if (!in.open(QIODevice::ReadOnly)) {
        Output::error(QStringLiteral("cannot read %1: %2").arg(file, in.errorString()));
        return ExitFailure;
    }
    constexpr qint64 maxSize = 1 << 20;
    if (in.size() > maxSize) {
        Output::error(QStringLiteral("%1 is %2 bytes; a metadata.json is at most 1 MB: is it the right file?")
                          .arg(file)
                          .arg(in.size()));
        return ExitFailure;
    }
    QList<ValidationProblem> warnings;
    Result<ModuleManifest> imported = importDeepMetadata(in.readAll(), &warnings);
    if (!imported) {
        Output::error(QStringLiteral("%1: %2").arg(file, imported.error().text()));
        return ExitFailure;
    }
    ModuleManifest manifest = std::move(imported).value();
    if (cmd.isSet(QStringLiteral("id")))
        manifest.id = cmd.value(QStringLiteral("id"));
    if (cmd.isSet(QStringLiteral("task")))
        manifest.task = cmd.value(QStringLiteral("task"));
    const QList<ValidationProblem> problems = validateManifest(manifest);
    if (!problems.isEmpty()) {
        QStringList lines;
        for (const ValidationProblem &p : problems)
            lines << p.text();
        Output::error(
            QStringLiteral("the imported manifest is not valid:\n  %1\n(fix with --id or --task, or edit the metadata)")
                .arg(lines.join(QStringLiteral("\n  "))));
        return ExitFailure;
    }
    Catalog catalog(cmd.catalogDirectory());
    catalog.scan();
    if (catalog.find(manifest.id)) {
        Output::error(
            QStringLiteral("a module '%1' is already in the catalog; choose another id with --id").arg(manifest.id));
        return ExitFailure;
    }
    const QString folder = catalog.freeFolderFor(manifest.id);
    const bool existed = QFileInfo::exists(folder);
    if (Result<void> written = writeManifest(manifest, folder); !written) {
        if (!existed)
            QDir().rmdir(folder);  // the folder it made, empty: nothing half-written is listed
        Output::error(written.error().text() + QStringLiteral("; nothing was imported"));
        return ExitFailure;
    }
    for (const ValidationProblem &w : warnings)
        Output::warning(w.text());
    const Output out = cmd.output();
    out.document(QJsonObject{{QStringLiteral("id"), manifest.id},
                             {QStringLiteral("path"), folder},
                             {QStringLiteral("warnings"), problemsToJson(warnings)}});
    out.line(QStringLiteral("imported '%1' (%2) into %3").arg(manifest.title, manifest.id, folder));
    return ExitOk;
}

// Archive progress onto the job (the CLI's bar); false, to stop, once the user cancelled.
ArchiveProgress archiveProgress(JobContext &context, const QString &what)
{
    return [&context, what](qint64 done, qint64 total) {
        if (total > 0)
            context.setProgress(done, total, what);
        return !context.isCancelled();
    };
}

int catalogExport(const QStringList &args)
{
    CommandParser cmd(QStringLiteral("catalog export"),
                      QStringLiteral("Write a module to one archive file to share it."));
    cmd.addPositional(QStringLiteral("ID"), QStringLiteral("The module's id."));
    cmd.addPositional(QStringLiteral("FILE"), QStringLiteral("The archive to write (.dwm)."));
    if (auto stop = cmd.parse(args, 2, 2))
        return *stop;
    const Catalog catalog = scannedCatalog(cmd);
    const QString id = cmd.positional().at(0);
    const QString file = cmd.positional().at(1);
    const CatalogEntry *entry = catalog.find(id);
    if (!entry) {
        Output::error(QStringLiteral("no module '%1' in the catalog %2 (see 'deepwb catalog list')")
                          .arg(id, catalog.userDirectory()));
        return ExitFailure;
    }
    // Through a JobRunner: a progress bar on large weights, and Ctrl-C stops it (no file is left).
    JobRunner runner(QStringLiteral("cpu"));
    runner.setCancelNote(QStringLiteral("the export stops and leaves no archive"));
    const Result<TaskResult> done =
        runner.run(QStringLiteral("export-") + id, [&](JobContext &context) -> Result<TaskResult> {
            if (Result<void> written =
                    exportModule(entry->path, file, archiveProgress(context, QStringLiteral("exporting")));
                !written)
                return written.error();
            return TaskResult(JsonResult{});
        });
    if (!done) {
        Output::error(done.error().text());
        return ExitFailure;
    }
    const Output out = cmd.output();
    out.document(QJsonObject{{QStringLiteral("id"), id},
                             {QStringLiteral("file"), QFileInfo(file).absoluteFilePath()},
                             {QStringLiteral("bytes"), QFileInfo(file).size()}});
    out.line(QStringLiteral("exported '%1' to %2 (%3 bytes)").arg(id, file).arg(QFileInfo(file).size()));
    return ExitOk;
}

int catalogImport(const QStringList &args)
{
    CommandParser cmd(QStringLiteral("catalog import"),
                      QStringLiteral("Add a module to the catalog from an archive file."));
    cmd.addPositional(QStringLiteral("FILE"), QStringLiteral("The archive (.dwm) made by 'deepwb catalog export'."));
    cmd.addOption({QStringLiteral("copy"),
                   QStringLiteral("When the catalog has a module with the archive's id: import it as a copy "
                                  "under a free id (id-2, id-3, ...).")});
    cmd.addOption(
        {QStringLiteral("replace"), QStringLiteral("When the catalog has a module with the archive's id: replace that "
                                                   "module (its folder is deleted once the import has succeeded).")});
    if (auto stop = cmd.parse(args, 1, 1))
        return *stop;
    if (cmd.isSet(QStringLiteral("copy")) && cmd.isSet(QStringLiteral("replace"))) {
        Output::error(QStringLiteral("give --copy or --replace, not both"));
        return ExitUsage;
    }
    const ImportConflict conflict = cmd.isSet(QStringLiteral("copy"))      ? ImportConflict::Rename
                                    : cmd.isSet(QStringLiteral("replace")) ? ImportConflict::Replace
                                                                           : ImportConflict::Refuse;
    Catalog catalog(cmd.catalogDirectory());
    const QString file = cmd.positional().first();
    QDir().mkpath(catalog.userDirectory());
    // Through a JobRunner: a progress bar, and Ctrl-C (or SIGTERM) stops the import between two
    // blocks, leaving the catalog as it was.
    QString folder;
    JobRunner runner(QStringLiteral("cpu"));
    runner.setCancelNote(QStringLiteral("the import stops and leaves the catalog as it was"));
    const Result<TaskResult> done =
        runner.run(QStringLiteral("import"), [&](JobContext &context) -> Result<TaskResult> {
            Result<QString> imported = importModule(file, catalog.userDirectory(), {}, conflict,
                                                    archiveProgress(context, QStringLiteral("importing")));
            if (!imported)
                return imported.error();
            folder = *imported;
            return TaskResult(JsonResult{});
        });
    if (!done) {
        Output::error(QStringLiteral("%1: %2").arg(file, done.error().text()));
        return ExitFailure;
    }
    const ManifestReadResult read = readManifest(folder);
    const Output out = cmd.output();
    out.document(QJsonObject{{QStringLiteral("id"), read.manifest.id}, {QStringLiteral("path"), folder}});
    out.line(QStringLiteral("imported '%1' into %2").arg(read.manifest.id, folder));
    return ExitOk;
}

}  // namespace

int runCatalogCommand(const QStringList &args)
{
    const std::map<QString, std::function<int(const QStringList &)>> subcommands{
        {QStringLiteral("list"), catalogList},
        {QStringLiteral("show"), catalogShow},
        {QStringLiteral("validate"), catalogValidate},
        {QStringLiteral("import-deep"), catalogImportDeep},
        {QStringLiteral("export"), catalogExport},
        {QStringLiteral("import"), catalogImport},
        {QStringLiteral("import-torchscript"), runCatalogImportTorchScript},
        {QStringLiteral("import-onnx"), runCatalogImportOnnx},
    };
    if (args.isEmpty() || !subcommands.contains(args.first())) {
        Output::error(args.isEmpty() ? QStringLiteral("'deepwb catalog' needs a subcommand: list, show, validate, "
                                                      "import-deep, export, import, import-torchscript, import-onnx")
                                     : QStringLiteral("unknown subcommand 'catalog %1': use list, show, validate, "
                                                      "import-deep, export, import, import-torchscript or import-onnx")
                                           .arg(args.first()));
        return ExitUsage;
    }
    return subcommands.at(args.first())(args.mid(1));
}

}  // namespace dw::cli
