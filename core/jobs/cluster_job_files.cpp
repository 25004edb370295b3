#include "core/jobs/cluster_job_files.h"

#include "core/catalog/catalog.h"
#include "core/catalog/manifest_io.h"
#include "core/util/file_commit.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

namespace dw {

using namespace Qt::StringLiterals;

namespace {

// The index of --init's value in the command (the word after "--init", or "--init=VALUE"
// itself); -1 when absent.
qsizetype initIndex(const QStringList &command)
{
    for (qsizetype i = 0; i < command.size(); ++i) {
        if (command.at(i) == u"--init"_s)
            return i + 1 < command.size() ? i + 1 : -1;
        if (command.at(i).startsWith(u"--init="_s))
            return i;
    }
    return -1;
}

// The module a word names here: a catalog id, else a folder holding a module.json.
Result<std::optional<ShippedModule>> localModule(const QString &word, const Catalog &catalog)
{
    ModuleManifest manifest;
    QString directory;
    bool valid = false;
    if (const CatalogEntry *entry = catalog.find(word)) {
        manifest = entry->manifest;
        directory = entry->path;
        valid = entry->isValid();
    } else if (QFileInfo(QDir(word).filePath(manifestFileName())).isFile()) {
        const ManifestReadResult read = readManifest(word);
        manifest = read.manifest;
        directory = QFileInfo(word).absoluteFilePath();
        valid = read.isValid();
    } else {
        return std::optional<ShippedModule>();
    }
    if (!valid)
        return failure(u"the module %1 is not valid (see 'deepwb catalog validate %2'): fix it or start from "
                       "another one"_s.arg(word, directory));
    if (manifest.isTemplate())
        return failure(u"'%1' is a template without trained weights: train from it with 'train %2 ...' instead"_s.arg(
            word, manifest.task));
    return std::optional<ShippedModule>(
        ShippedModule{manifest.id.isEmpty() ? QDir(directory).dirName() : manifest.id, directory});
}

}  // namespace

Result<std::optional<ShippedModule>> shipModuleOf(QStringList &command, const Catalog &catalog)
{
    std::optional<ShippedModule> parent;
    if (command.value(0) == u"retrain"_s && command.size() > 1) {
        Result<std::optional<ShippedModule>> found = localModule(command.at(1), catalog);
        if (!found)
            return Error::at(u"parent"_s, found.error().message);
        parent = *found;
    }
    std::optional<ShippedModule> init;
    const qsizetype at = initIndex(command);
    const QString initValue = at < 0                                    ? QString()
                              : command.at(at).startsWith(u"--init="_s) ? command.at(at).mid(7)
                                                                        : command.at(at);
    if (!initValue.isEmpty() && !QStringList{u"auto"_s, u"imagenet"_s, u"random"_s}.contains(initValue)) {
        Result<std::optional<ShippedModule>> found = localModule(initValue, catalog);
        if (!found)
            return Error::at(u"init"_s, found.error().message);
        init = *found;
    }
    if (parent && init)
        return Error::at(u"init"_s, u"the command starts from both the parent '%1' and --init '%2': a re-training "
                                    "starts from its parent, so leave --init out"_s.arg(parent->id, init->id));
    if (parent)
        command[1] = parent->id;
    if (init)
        command[at] = command.at(at).startsWith(u"--init="_s) ? u"--init="_s + init->id : init->id;
    return parent ? parent : init;
}

QString shippedArchiveName(const ShippedModule &module)
{
    return module.id + u'.' + moduleArchiveExtension();
}

Result<ClusterJobFiles> writeClusterJob(SlurmJob job, const QString &folder, const std::optional<ShippedModule> &module,
                                        const ArchiveProgress &progress)
{
    job.moduleArchive = module ? shippedArchiveName(*module) : QString();
    Result<QString> script = slurmScript(job);
    if (!script)
        return script.error();
    if (folder.isEmpty())
        return Error::at(u"output"_s, u"no folder to write the job's files to: give one (-o DIR)"_s);
    const QDir dir(folder);
    const bool madeFolder = !dir.exists();
    if (madeFolder && !QDir().mkpath(folder))
        return Error::at(u"output"_s, u"cannot make the folder %1: check that its parent exists and that you may write "
                                      "there"_s.arg(folder));
    const auto undoFolder = [&] {
        if (madeFolder)
            QDir().rmdir(folder);  // only when empty: nothing of the user's goes
    };
    ClusterJobFiles files;
    files.script = dir.absoluteFilePath(slurmJobName(job) + u".slurm"_s);
    if (module) {
        files.archive = dir.absoluteFilePath(job.moduleArchive);
        if (Result<void> archived = exportModule(module->directory, files.archive, progress); !archived) {
            undoFolder();
            return Error::at(u"archive"_s,
                             u"the archive of '%1' was not written: %2"_s.arg(module->id, archived.error().text()));
        }
    }
    if (Result<void> written = writeFileAtomically(files.script, script->toUtf8(), u"the batch script"_s, u"output"_s);
        !written) {
        if (module)
            QFile::remove(files.archive);
        undoFolder();
        return written.error();
    }
    QFile::setPermissions(files.script, QFile::permissions(files.script) | QFileDevice::ExeOwner |
                                            QFileDevice::ExeGroup | QFileDevice::ExeOther);
    return files;
}

}  // namespace dw
