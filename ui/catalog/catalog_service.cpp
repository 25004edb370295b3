#include "ui/catalog/catalog_service.h"

#include "core/catalog/catalog.h"
#include "core/catalog/catalog_model.h"
#include "core/catalog/module_archive.h"
#include "core/jobs/job_manager.h"
#include "core/task/plugin_manager.h"
#include "core/task/task_plugin.h"
#include "core/util/count_text.h"
#include "core/weights/weight_cache.h"
#include "ui/catalog/catalog_scan_result.h"
#include "ui/jobs/job_callbacks.h"

#include <QDir>
#include <QFileInfo>
#include <QFileSystemWatcher>
#include <QTimer>

namespace dw {

namespace {

QString sameFolder(const QString &path)
{
    return QDir::cleanPath(QFileInfo(path).absoluteFilePath());
}

QString jobError(const JobInfo &job)
{
    if (job.state == JobState::Cancelled)
        return QObject::tr("It was cancelled before it finished.");
    return job.error.isEmpty() ? QObject::tr("The job ended without saying why; see its log in the Jobs panel.")
                               : job.error;
}

}  // namespace

CatalogService::CatalogService(QString userDirectory, bool includeBuiltIns, JobManager &jobs, QObject *parent)
    : QObject(parent), m_userDirectory(std::move(userDirectory)), m_includeBuiltIns(includeBuiltIns), m_jobs(jobs),
      m_model(new CatalogModel(this)), m_watcher(new QFileSystemWatcher(this)), m_watchDelay(new QTimer(this))
{
    qRegisterMetaType<CatalogScanResult>();
    // A burst of changes (an archive being unpacked) makes one rescan.
    m_watchDelay->setSingleShot(true);
    m_watchDelay->setInterval(700);
    connect(m_watchDelay, &QTimer::timeout, this, [this] { rescan(); });
    connect(m_watcher, &QFileSystemWatcher::directoryChanged, m_watchDelay, qOverload<>(&QTimer::start));
}

CatalogService::~CatalogService() = default;

const CatalogEntry *CatalogService::find(const QString &id) const
{
    return m_model->entryAt(m_model->rowOf(id));
}

QString CatalogService::rescan()
{
    if (!m_scanJob.isEmpty()) {
        // A scan is under way but may have read the folder before the latest change.
        m_rescanPending = true;
        return m_scanJob;
    }
    JobSpec spec;
    spec.title = tr("Scan the module catalog");
    spec.kind = QStringLiteral("catalog-scan");
    spec.queue = JobQueue::Cpu;
    spec.function = [dir = m_userDirectory, builtIns = m_includeBuiltIns](JobContext &context) -> Result<QVariant> {
        context.setProgress(0.0, QObject::tr("reading %1").arg(QDir::toNativeSeparators(dir)));
        Catalog catalog(dir, builtIns);
        catalog.scan();
        CatalogScanResult result;
        result.entries = catalog.entries();
        result.tasks = catalog.allTasks();
        result.keywords = catalog.allKeywords();
        // Loads the plugins the first time; later scans only ask.
        result.pluginTasks = PluginManager::instance().tasks();
        context.setProgress(1.0, moduleCountText(result.entries.size()));
        return QVariant::fromValue(result);
    };
    m_scanJob = m_jobs.submit(std::move(spec));
    Q_EMIT scanStarted();
    whenJobFinished(m_jobs, m_scanJob, this, [this](const JobInfo &job) {
        m_scanJob.clear();
        if (job.state == JobState::Done && job.result.canConvert<CatalogScanResult>())
            applyScan(job.result.value<CatalogScanResult>());
        else if (job.state != JobState::Cancelled)
            Q_EMIT operationFailed(tr("Could not read the catalog"), jobError(job));
        if (m_rescanPending) {
            m_rescanPending = false;
            rescan();
            return;
        }
        const auto actions = std::exchange(m_afterScan, {});
        for (const auto &action : actions)
            action();
    });
    return m_scanJob;
}

void CatalogService::applyScan(const CatalogScanResult &result)
{
    m_tasks = result.tasks;
    m_keywords = result.keywords;
    m_model->setAvailableTasks(result.pluginTasks);
    m_model->setEntries(result.entries);
    m_scanned = true;
    // The scan created the folder if it was missing; watch it from now on.
    if (m_watcher->directories().isEmpty() && QFileInfo(m_userDirectory).isDir())
        m_watcher->addPath(m_userDirectory);
    Q_EMIT scanFinished();
}

void CatalogService::afterNextScan(std::function<void()> action)
{
    m_afterScan.append(std::move(action));
    rescan();
}

bool CatalogService::looksLikeArchive(const QString &file)
{
    const QString name = QFileInfo(file).fileName().toLower();
    return name.endsWith(QLatin1Char('.') + moduleArchiveExtension()) || name.endsWith(QLatin1String(".tar.gz")) ||
           name.endsWith(QLatin1String(".tgz"));
}

QString CatalogService::archiveFilter()
{
    return tr("Module archives (*.dwm *.tar.gz *.tgz);;All files (*)");
}

QString CatalogService::importArchive(const QString &archiveFile)
{
    const QString title = tr("Could not import %1").arg(QFileInfo(archiveFile).fileName());
    const QFileInfo info(archiveFile);
    if (!info.exists()) {
        Q_EMIT operationFailed(title, tr("The file %1 does not exist. Check the name, or export the module again.")
                                          .arg(QDir::toNativeSeparators(archiveFile)));
        return {};
    }
    if (!info.isFile() || !looksLikeArchive(archiveFile)) {
        Q_EMIT operationFailed(title, tr("%1 is not a module archive. Choose a .dwm file made with File › Export "
                                         "module… (or 'deepwb catalog export').")
                                          .arg(QDir::toNativeSeparators(archiveFile)));
        return {};
    }
    JobSpec spec;
    spec.title = tr("Import %1").arg(info.fileName());
    spec.kind = QStringLiteral("import");
    spec.function = [archiveFile, dir = m_userDirectory](JobContext &context) -> Result<QVariant> {
        context.setProgress(0.0, QObject::tr("unpacking"));
        const ArchiveProgress progress = [&context](qint64 done, qint64 total) {
            context.setProgress(done, total, QObject::tr("unpacking"));
            return !context.isCancelled();
        };
        Result<QString> folder = importModule(archiveFile, dir, ArchiveLimits{}, ImportConflict::Refuse, progress);
        if (!folder)
            return folder.error();
        context.setProgress(1.0);
        return QVariant(folder.value());
    };
    return submit(std::move(spec), title, [this](const JobInfo &job) {
        const QString folder = sameFolder(job.result.toString());
        afterNextScan([this, folder] {
            for (const CatalogEntry &entry : m_model->entries()) {
                if (!entry.builtIn && sameFolder(entry.path) == folder) {
                    Q_EMIT moduleImported(entry.id());
                    return;
                }
            }
            Q_EMIT moduleImported(QFileInfo(folder).fileName());
        });
    });
}

QString CatalogService::importModel(const QString &task, const QVariantMap &args)
{
    const QString modelFile = QFileInfo(args.value(QStringLiteral("model")).toString()).fileName();
    const QString title = tr("Could not import %1").arg(modelFile);
    TaskPlugin *plugin = PluginManager::instance().plugin(task);
    if (!plugin) {
        Q_EMIT operationFailed(title, tr("No plugin for the task '%1' is loaded; see Help ▸ About.").arg(task));
        return {};
    }
    const QString id = args.value(QStringLiteral("name")).toString();
    QVariantMap values = args;
    values.insert(QStringLiteral("output"), QDir(m_userDirectory).absoluteFilePath(id));
    JobSpec spec;
    spec.title = tr("Import %1").arg(modelFile);
    spec.kind = QStringLiteral("import");
    spec.function = [plugin, values](JobContext &context) -> Result<QVariant> {
        Result<TaskResult> result = plugin->importModel(values, context);
        if (!result)
            return result.error();
        return QVariant(taskResultToJson(*result));
    };
    return submit(std::move(spec), title,
                  [this, id](const JobInfo &) { afterNextScan([this, id] { Q_EMIT moduleImported(id); }); });
}

QString CatalogService::importWeights(const QString &file)
{
    const QString title = tr("Could not import %1").arg(QFileInfo(file).fileName());
    JobSpec spec;
    spec.title = tr("Import weights %1").arg(QFileInfo(file).fileName());
    spec.kind = QStringLiteral("import");
    spec.function = [file](JobContext &context) -> Result<QVariant> {
        Result<QString> cached = weights::WeightCache().importFile(file, &context);
        if (!cached)
            return cached.error();
        return QVariant(cached.value());
    };
    return submit(std::move(spec), title,
                  [this, file](const JobInfo &job) { Q_EMIT weightsImported(file, job.result.toString()); });
}

QString CatalogService::exportModule(const QString &id, const QString &archiveFile)
{
    const CatalogEntry *entry = find(id);
    const QString title = tr("Could not export %1").arg(id);
    if (!entry) {
        Q_EMIT operationFailed(title, tr("There is no module '%1' in the catalog any more. Refresh the catalog and "
                                         "choose another module.")
                                          .arg(id));
        return {};
    }
    if (archiveFile.isEmpty()) {
        Q_EMIT operationFailed(title, tr("No archive file was given. Choose where to save the .dwm file."));
        return {};
    }
    JobSpec spec;
    spec.title = tr("Export %1").arg(entry->manifest.title.isEmpty() ? id : entry->manifest.title);
    spec.kind = QStringLiteral("export");
    spec.function = [moduleDir = entry->path, archiveFile](JobContext &context) -> Result<QVariant> {
        context.setProgress(0.0, QObject::tr("packing"));
        const ArchiveProgress progress = [&context](qint64 done, qint64 total) {
            context.setProgress(done, total, QObject::tr("packing"));
            return !context.isCancelled();
        };
        Result<void> done = dw::exportModule(moduleDir, archiveFile, progress);
        if (!done)
            return done.error();
        context.setProgress(1.0);
        return QVariant(archiveFile);
    };
    return submit(std::move(spec), title,
                  [this, id, archiveFile](const JobInfo &) { Q_EMIT moduleExported(id, archiveFile); });
}

QString CatalogService::exportOnnx(const QString &id, const QString &onnxFile, bool foldNormalization)
{
    const CatalogEntry *entry = find(id);
    const QString title = tr("Could not export %1 as ONNX").arg(id);
    const auto refuse = [this, &title](const QString &why) {
        Q_EMIT operationFailed(title, why);
        return QString();
    };
    if (!entry)
        return refuse(tr("There is no module '%1' in the catalog any more. Refresh the catalog and choose another "
                         "module.")
                          .arg(id));
    if (entry->manifest.isTemplate())
        return refuse(tr("'%1' is a template without trained weights: there is nothing to export yet. Train a module "
                         "from it in the Train workspace, then export that one.")
                          .arg(id));
    if (entry->beingWritten)
        return refuse(tr("'%1' is being written (a training or an import is under way). Export it when that has "
                         "finished.")
                          .arg(id));
    if (!entry->isValid())
        return refuse(
            tr("'%1' has problems (its page lists them). Fix its module.json, or choose another module.").arg(id));
    if (onnxFile.isEmpty())
        return refuse(tr("No file was given. Choose where to save the .onnx file."));
    const QString task = entry->manifest.task;
    TaskPlugin *plugin = PluginManager::instance().plugin(task);
    if (!plugin)
        return refuse(tr("No plugin for the task '%1' is loaded; see Help ▸ About.").arg(task));
    if (!plugin->exportFormats().contains(QStringLiteral("onnx")))
        return refuse(tr("Modules of the task '%1' cannot be written as ONNX.").arg(task));
    const QVariantMap args{{QStringLiteral("module"), entry->path},
                           {QStringLiteral("output"), QFileInfo(onnxFile).absoluteFilePath()},
                           {QStringLiteral("format"), QStringLiteral("onnx")},
                           {QStringLiteral("fold_normalization"), foldNormalization}};
    JobSpec spec;
    spec.title = tr("Export %1 as ONNX").arg(entry->manifest.title.isEmpty() ? id : entry->manifest.title);
    spec.kind = QStringLiteral("export");
    spec.function = [plugin, args](JobContext &context) -> Result<QVariant> {
        context.setProgress(0.0, QObject::tr("writing the ONNX graph"));
        Result<TaskResult> result = plugin->exportModel(args, context);
        if (!result)
            return result.error();
        context.setProgress(1.0);
        return QVariant(taskResultToJson(*result));
    };
    return submit(std::move(spec), title, [this, id, onnxFile](const JobInfo &job) {
        Q_EMIT moduleExportedAsOnnx(id, onnxFile, job.result.toJsonObject());
    });
}

QString CatalogService::deleteModule(const QString &id)
{
    const CatalogEntry *entry = find(id);
    const QString title = tr("Could not delete %1").arg(id);
    if (!entry) {
        Q_EMIT operationFailed(title, tr("There is no module '%1' in the catalog any more.").arg(id));
        return {};
    }
    if (entry->builtIn) {
        Q_EMIT operationFailed(title, tr("'%1' is built into the workbench and cannot be deleted. Hide it with the "
                                         "filters instead.")
                                          .arg(entry->manifest.title));
        return {};
    }
    JobSpec spec;
    spec.title = tr("Delete %1").arg(entry->manifest.title.isEmpty() ? id : entry->manifest.title);
    spec.kind = QStringLiteral("delete");
    spec.function = [id, dir = m_userDirectory](JobContext &context) -> Result<QVariant> {
        Catalog catalog(dir, false);
        catalog.scan();
        Result<void> removed = catalog.remove(id);
        if (!removed)
            return removed.error();
        context.setProgress(1.0);
        return QVariant(id);
    };
    return submit(std::move(spec), title,
                  [this, id](const JobInfo &) { afterNextScan([this, id] { Q_EMIT moduleDeleted(id); }); });
}

QString CatalogService::submit(JobSpec spec, const QString &failureTitle, std::function<void(const JobInfo &)> done)
{
    const QString jobId = m_jobs.submit(std::move(spec));
    whenJobFinished(m_jobs, jobId, this, [this, failureTitle, done = std::move(done)](const JobInfo &job) {
        if (job.state == JobState::Done)
            done(job);
        else if (job.state != JobState::Cancelled)
            Q_EMIT operationFailed(failureTitle, jobError(job));
    });
    return jobId;
}

}  // namespace dw
