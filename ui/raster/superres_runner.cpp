#include "ui/raster/superres_runner.h"

#include "core/catalog/catalog_entry.h"
#include "core/jobs/job_manager.h"
#include "core/task/plugin_manager.h"
#include "ui/catalog/catalog_service.h"
#include "ui/jobs/job_callbacks.h"
#include "ui/message_presenter.h"
#include "ui/precision_setting.h"
#include "ui/raster/result_copy.h"
#include "ui/raster/superres_panel.h"
#include "ui/workbench_context.h"

#include <QFileInfo>

namespace dw {

namespace {

QString jobFailure(const JobInfo &job)
{
    return job.error.isEmpty() ? QObject::tr("the job ended without saying why; see its log in the Jobs dock")
                               : job.error;
}

}  // namespace

SuperResRunner::SuperResRunner(WorkbenchContext &context, SuperResPanel *panel, QObject *parent)
    : QObject(parent), m_context(context), m_panel(panel)
{
    connect(panel, &SuperResPanel::cancelRequested, this, [this] {
        if (!m_followed.isEmpty())
            m_context.jobs().cancel(m_followed);
    });
    connect(&context.jobs(), &JobManager::jobChanged, this, &SuperResRunner::updateProgress);
    connect(&context.jobs(), &JobManager::jobFinished, this, &SuperResRunner::updateProgress);
}

QString SuperResRunner::run(const QString &input)
{
    const CatalogEntry *entry = m_context.catalog().find(m_panel->module());
    TaskPlugin *task = PluginManager::instance().plugin(SuperResPanel::task());
    const QString output = m_panel->output();
    QString why;
    if (input.isEmpty())
        why = tr("Open a raster first.");
    else if (!entry)
        why =
            tr("Choose a trained super-resolution module (train one in the Train workspace, or import one with File ▸ "
               "Import).");
    else if (!task)
        why = tr(
            "The super-resolution plugin is not installed or failed to load; see Help ▸ About for the plugins found.");
    else if (output.isEmpty())
        why = tr("Give the file to write the result to.");
    else if (m_panel->moduleIsGuided() && m_panel->guide().isEmpty())
        why = tr("This module is guided: choose its guide raster, %1.").arg(m_panel->guideNeeds());
    else if (!m_panel->regionError().isEmpty())
        why = tr("The region is wrong: %1").arg(m_panel->regionError());
    else if (QFileInfo(output).absoluteFilePath() == QFileInfo(input).absoluteFilePath())
        why = tr("The output would replace the input; choose another file name.");
    if (!why.isEmpty()) {
        Q_EMIT failed(tr("Cannot super-resolve"), why);
        return {};
    }
    if (QFileInfo::exists(output) && m_replaceConfirmed != output) {
        // Nothing the user had is lost without asking.
        m_context.messages().confirm(
            tr("Replace %1?").arg(QFileInfo(output).fileName()),
            tr("%1 exists already. Super-resolving replaces it when the new raster is complete.").arg(output),
            tr("Replace"), [this, output, input] {
                m_replaceConfirmed = output;
                run(input);
            });
        return {};
    }
    m_replaceConfirmed.clear();
    QVariantMap raw{{QStringLiteral("module"), entry->path},
                    {QStringLiteral("inputs"), QStringList{input}},
                    {QStringLiteral("output"), output},
                    {QStringLiteral("overwrite"), true}};  // confirmed above when the file exists
    if (!m_panel->region().isEmpty())
        raw.insert(QStringLiteral("roi"), m_panel->region());
    if (m_panel->moduleIsGuided())
        raw.insert(QStringLiteral("guide"), m_panel->guide());
    Result<QVariantMap> args = m_context.precision().applyTo(task->predictArguments()).validate(raw);
    if (!args) {
        Q_EMIT failed(tr("Cannot super-resolve"), args.error().text());
        return {};
    }
    const QRect region = m_panel->regionRect();
    JobSpec spec;
    spec.title = tr("Super-resolve %1").arg(QFileInfo(input).fileName());
    spec.kind = QStringLiteral("predict");
    spec.device = m_context.device();
    spec.queue = m_context.usesGpu() ? JobQueue::Gpu : JobQueue::Cpu;
    spec.function = [task, args = args.value()](JobContext &job) -> Result<QVariant> {
        Result<TaskResult> result = task->predict(args, job);
        if (!result)
            return result.error();
        const auto *raster = std::get_if<RasterResult>(&*result);
        if (!raster)
            return failure(
                QObject::tr("the plugin answered with a %1 result instead of a raster").arg(taskResultKind(*result)));
        return QVariant(raster->path);
    };
    const QString jobId = m_context.jobs().submit(std::move(spec));
    m_followed = jobId;
    m_panel->showProgress(true, 0.0);
    updateProgress(jobId);
    whenJobFinished(m_context.jobs(), jobId, this, [this, region](const JobInfo &job) {
        if (job.state == JobState::Done) {
            m_context.showStatus(tr("Super-resolved raster written to %1").arg(job.result.toString()));
            Q_EMIT written(job.result.toString(), region);
        } else if (job.state == JobState::Cancelled) {
            m_context.showStatus(tr("Super-resolution cancelled; nothing was written"));
        } else {
            Q_EMIT failed(tr("Super-resolution failed"), jobFailure(job));
        }
    });
    return jobId;
}

QString SuperResRunner::saveAs(const QString &source, const QString &destination)
{
    if (source.isEmpty()) {
        Q_EMIT failed(tr("Nothing to save"), tr("Super-resolve a raster first."));
        return {};
    }
    if (QFileInfo(destination).absoluteFilePath() == QFileInfo(source).absoluteFilePath()) {
        m_context.showStatus(tr("The result is already at %1").arg(destination));
        return {};
    }
    JobSpec spec;
    spec.title = tr("Save %1").arg(QFileInfo(destination).fileName());
    spec.kind = QStringLiteral("export");
    spec.function = [source, destination](JobContext &job) -> Result<QVariant> {
        Result<void> copied = copyFileSafely(source, destination, job);
        if (!copied)
            return copied.error();
        return QVariant(destination);
    };
    const QString jobId = m_context.jobs().submit(std::move(spec));
    whenJobFinished(m_context.jobs(), jobId, this, [this](const JobInfo &job) {
        if (job.state == JobState::Done) {
            m_context.showStatus(tr("Saved %1").arg(job.result.toString()));
            Q_EMIT saved(job.result.toString());
        } else if (job.state != JobState::Cancelled) {
            Q_EMIT failed(tr("Save failed"), jobFailure(job));
        }
    });
    return jobId;
}

void SuperResRunner::updateProgress(const QString &jobId)
{
    if (jobId != m_followed || jobId.isEmpty())
        return;
    const JobInfo job = m_context.jobs().job(jobId);
    if (isFinished(job.state)) {
        m_followed.clear();
        m_panel->showProgress(false);
        return;
    }
    m_panel->showProgress(true, job.progress, job.message.isEmpty() ? job.title : job.message);
}

}  // namespace dw
