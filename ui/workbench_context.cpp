#include "ui/workbench_context.h"

#include "core/catalog/catalog.h"
#include "core/jobs/job_manager.h"
#include "ui/catalog/catalog_service.h"
#include "ui/message_presenter.h"
#include "ui/precision_setting.h"

namespace dw {

WorkbenchContext::WorkbenchContext(const WorkbenchOptions &options, QObject *parent)
    : QObject(parent), m_options(options)
{
    if (m_options.catalogDirectory.isEmpty())
        m_options.catalogDirectory = Catalog::defaultUserDirectory();
    m_messages = new MessagePresenter(this);
    m_messages->setInteractive(m_options.interactive);
    m_jobs = new JobManager(m_options.runsDirectory, this);
    m_catalog = new CatalogService(m_options.catalogDirectory, m_options.includeBuiltIns, *m_jobs, this);
    m_precision = new PrecisionSetting(this);
}

WorkbenchContext::~WorkbenchContext()
{
    // Stop the workers before the services whose slots receive their results go away.
    m_jobs->cancelAll();
    delete m_jobs;
    m_jobs = nullptr;
}

void WorkbenchContext::setCurrentModule(const QString &id)
{
    if (id == m_currentModule)
        return;
    m_currentModule = id;
    Q_EMIT currentModuleChanged(id);
}

void WorkbenchContext::showModule(const QString &id)
{
    requestWorkspace(QStringLiteral("catalog"));
    Q_EMIT moduleRequested(id);
}

}  // namespace dw
