#include "ui/training/training_workspace.h"

#include "core/catalog/catalog_entry.h"
#include "core/catalog/catalog_model.h"
#include "core/catalog/module_id.h"
#include "core/jobs/job_manager.h"
#include "core/task/argument_flags.h"
#include "core/task/guarded_training.h"
#include "core/task/plugin_manager.h"
#include "core/task/training_estimate.h"
#include "ui/catalog/catalog_service.h"
#include "ui/catalog/task_style.h"
#include "ui/icons.h"
#include "ui/jobs/job_callbacks.h"
#include "ui/message_presenter.h"
#include "ui/precision_setting.h"
#include "ui/training/cluster_script_dialog.h"
#include "ui/training/dataset_page.h"
#include "ui/training/device_defaults.h"
#include "ui/training/module_history_view.h"
#include "ui/training/schema_form.h"
#include "ui/training/training_curves.h"
#include "ui/training/training_estimate_label.h"
#include "ui/training/training_monitor.h"
#include "ui/workbench_context.h"

#include <QAction>
#include <QComboBox>
#include <QDir>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QJsonObject>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QTabWidget>
#include <QToolBar>
#include <QVBoxLayout>

namespace dw {

namespace {

const QString kOutput = QStringLiteral("output");
const QString kParent = QStringLiteral("parent");
const QString kData = QStringLiteral("data");
const QString kName = QStringLiteral("name");
const QString kResume = QStringLiteral("resume");
const QString kInit = QStringLiteral("init");
const QString kRaster = QStringLiteral("raster");

}  // namespace

TrainingWorkspace::TrainingWorkspace(WorkbenchContext &context, QWidget *parent) : Workspace(context, parent)
{
    setObjectName(QStringLiteral("trainingWorkspace"));
    auto *layout = new QVBoxLayout(this);
    m_heading = new QLabel(this);
    m_heading->setObjectName(QStringLiteral("trainingHeading"));
    m_heading->setWordWrap(true);
    layout->addWidget(m_heading);
    m_tabs = new QTabWidget(this);
    layout->addWidget(m_tabs, 1);

    m_dataset = new DatasetPage(context.jobs(), m_tabs);
    m_tabs->addTab(m_dataset, tr("Dataset"));

    auto *parameters = new QWidget(m_tabs);
    auto *parametersLayout = new QVBoxLayout(parameters);
    m_defaultsNote = new QLabel(parameters);
    m_defaultsNote->setObjectName(QStringLiteral("trainDefaultsNote"));
    m_defaultsNote->setWordWrap(true);
    m_defaultsNote->hide();
    parametersLayout->addWidget(m_defaultsNote);
    auto *scroll = new QScrollArea(parameters);
    scroll->setWidgetResizable(true);
    m_form = new SchemaForm(scroll);
    scroll->setWidget(m_form);
    parametersLayout->addWidget(scroll, 1);
    auto *startRow = new QHBoxLayout;
    m_estimate = new TrainingEstimateLabel(context.jobs(), parameters);
    startRow->addWidget(m_estimate, 1);
    auto *train = new QPushButton(dw::icon(QStringLiteral("jobs")), tr("Train"), parameters);
    train->setObjectName(QStringLiteral("startTraining"));
    train->setDefault(true);
    auto *cluster = new QPushButton(dw::icon(QStringLiteral("export")), tr("Run on a &Cluster…"), parameters);
    cluster->setObjectName(QStringLiteral("runOnCluster"));
    cluster->setToolTip(tr("Write a Slurm batch script that trains this module on several GPUs or nodes of a "
                           "cluster (deepwb --distributed)"));
    startRow->addWidget(cluster, 0, Qt::AlignRight | Qt::AlignVCenter);
    startRow->addWidget(train, 0, Qt::AlignRight | Qt::AlignVCenter);
    parametersLayout->addLayout(startRow);
    m_tabs->addTab(parameters, tr("Parameters"));

    m_monitor = new TrainingMonitor(context.jobs(), m_tabs);
    m_tabs->addTab(m_monitor, tr("Progress"));

    m_history = new ModuleHistoryView(false, m_tabs);
    m_tabs->addTab(m_history, tr("Selected Module's Training"));
    connect(m_history, &ModuleHistoryView::historyShown, this, &TrainingWorkspace::moduleHistoryShown);

    m_toolBar = new QToolBar(tr("Train"), this);
    m_toolBar->setObjectName(QStringLiteral("trainToolBar"));
    m_toolBar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_toolBar->addWidget(new QLabel(tr(" Task: "), m_toolBar));
    m_taskBox = new QComboBox(m_toolBar);
    m_taskBox->setObjectName(QStringLiteral("trainTask"));
    m_taskBox->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_toolBar->addWidget(m_taskBox);
    m_toolBar->addAction(dw::icon(QStringLiteral("import")), tr("New Module"), this, [this] {
        const CatalogEntry *entry = this->context().catalog().find(this->context().currentModule());
        const bool fromTemplate = entry && entry->manifest.isTemplate() && entry->manifest.task == chosenTask();
        newModule(chosenTask(), fromTemplate ? entry->id() : QString());
    });
    m_toolBar->addAction(dw::icon(QStringLiteral("refresh")), tr("Re-train Selected"), this,
                         [this] { retrain(this->context().currentModule()); });

    m_estimate->setProbeSource([this]() -> Result<TrainingEstimateLabel::Probe> {
        TaskPlugin *taskPlugin = plugin(m_task);
        if (!taskPlugin)
            return failure(tr("choose a task first"));
        TrainingEstimator *estimator = trainingEstimatorOf(taskPlugin);
        if (!estimator)
            return failure(tr("the %1 plugin cannot measure its training").arg(taskDisplayName(m_task)));
        // Nothing is written: the folder only has to be a name, the name only has to be valid.
        QVariantMap raw = m_form->values();
        const QVariantMap fixed = fixedArguments(QDir::temp().filePath(QStringLiteral("deepwb-estimate")));
        for (auto it = fixed.cbegin(); it != fixed.cend(); ++it)
            raw.insert(it.key(), it.value());
        if (raw.value(kName).toString().trimmed().isEmpty())
            raw.insert(kName, QStringLiteral("estimate"));
        for (const QString &data : {kData, QStringLiteral("csv"), kRaster})
            if (m_form->editor(data) && raw.value(data).toString().isEmpty() && raw.value(data).toList().isEmpty())
                return failure(tr("choose a dataset first"));
        Result<QVariantMap> args = m_form->schema().validate(raw);
        if (!args)
            return args.error();
        return TrainingEstimateLabel::Probe{estimator, std::move(args).value(), this->context().device(),
                                            this->context().usesGpu() ? JobQueue::Gpu : JobQueue::Cpu};
    });
    connect(m_form, &SchemaForm::changed, m_estimate, &TrainingEstimateLabel::schedule);
    connect(m_dataset, &DatasetPage::summaryReady, m_estimate, &TrainingEstimateLabel::remeasure);
    connect(train, &QPushButton::clicked, this, &TrainingWorkspace::startTraining);
    connect(cluster, &QPushButton::clicked, this, &TrainingWorkspace::openClusterDialog);
    connect(m_dataset, &DatasetPage::pathChanged, this, [this](const QString &path) { m_form->setValue(kData, path); });
    connect(m_dataset, &DatasetPage::summaryReady, this, &TrainingWorkspace::followTheSplit);
    connect(m_monitor, &TrainingMonitor::resumeRequested, this, &TrainingWorkspace::resumeTraining);
    connect(m_monitor, &TrainingMonitor::openModuleRequested, this,
            [this](const QString &id) { this->context().showModule(id); });
    // The form's precision follows Settings ▸ Precision on the CPU unless the user chose one here.
    connect(&context.precision(), &PrecisionSetting::changed, this,
            [this](const QString &value) { m_form->setDefaultValue(PrecisionSetting::argumentName(), value); });
    connect(&context, &WorkbenchContext::currentModuleChanged, this, [this] {
        if (isVisible())  // read when shown, not on every selection in the catalog
            loadModuleHistory();
    });
}

QString TrainingWorkspace::chosenTask() const
{
    return m_taskBox->currentData().toString();
}

QIcon TrainingWorkspace::icon() const
{
    return dw::icon(QStringLiteral("jobs"));
}

TrainingCurves *TrainingWorkspace::moduleCurves() const
{
    return m_history->curves();
}

TaskPlugin *TrainingWorkspace::plugin(const QString &task) const
{
    return PluginManager::instance().plugin(task);
}

void TrainingWorkspace::activate()
{
    // Plugins load on first use, not at start-up.
    if (m_taskBox->count() == 0) {
        for (const QString &task : PluginManager::instance().tasks())
            m_taskBox->addItem(taskDisplayName(task), task);  // names for people, the id as data
    }
    if (m_task.isEmpty()) {
        const CatalogEntry *entry = context().catalog().find(context().currentModule());
        const QString task = entry && plugin(entry->manifest.task) ? entry->manifest.task : chosenTask();
        if (!task.isEmpty())
            newModule(task, entry && entry->manifest.isTemplate() ? entry->id() : QString());
    }
    loadModuleHistory();
}

bool TrainingWorkspace::newModule(const QString &task, const QString &templateId)
{
    return openForm(task, templateId, false);
}

bool TrainingWorkspace::openForm(const QString &task, const QString &templateId, bool fromParent)
{
    TaskPlugin *taskPlugin = plugin(task);
    if (!taskPlugin) {
        context().messages().error(tr("Cannot train"),
                                   tr("No plugin for the task '%1' is loaded; see Help ▸ About.").arg(task));
        return false;
    }
    // Another task's data does not fit this one; a finished run belongs to the last form.
    if (!m_task.isEmpty() && m_task != task)
        m_dataset->setPath(QString());
    m_monitor->forgetFinishedRun();
    m_task = task;
    // The toolbar's task follows the form, whoever started it (Re-train, a template, the catalog).
    if (const int index = m_taskBox->findData(task); index >= 0)
        m_taskBox->setCurrentIndex(index);
    m_parentDir.clear();
    m_parentId.clear();
    // What only a parent gives meaning to (how much of it learns, how its columns or scaling
    // carry over) is not offered for a new module. A classifier's freeze also applies to
    // pretrained starting weights ("init"), so it stays there.
    const ArgumentSchema schema = taskPlugin->trainArguments();
    QStringList hidden{kOutput, kParent, kResume};
    if (!fromParent) {
        hidden << QStringLiteral("column-map") << QStringLiteral("parent-scaling")
               << QStringLiteral("parent-normalization");
        if (!schema.find(kInit))
            hidden << QStringLiteral("freeze");
    }
    m_form->setSchema(context().precision().applyTo(schema), hidden);
    m_defaultsNote->hide();
    if (!fromParent)  // a parent's settings are the child's starting point, whatever the device
        applyDeviceDefaults(task);
    followTheSplit();
    // Start from a trained module of the catalog, besides the task's own starting points.
    QStringList modules;
    for (const CatalogEntry &module : context().catalog().model()->entries())
        if (module.manifest.task == task && module.isValid() && !module.manifest.isTemplate())
            modules << module.id();
    m_form->setSuggestions(kInit, modules);
    const CatalogEntry *entry = templateId.isEmpty() ? nullptr : context().catalog().find(templateId);
    if (entry)  // a template's settings (architecture, epochs, ...) as the starting point
        applySettingsOf(entry->manifest);
    m_form->setValue(kData, m_dataset->path());
    // A super-resolution module learns from rasters: the one open in the Raster workspace.
    if (m_form->editor(kRaster) && m_form->value(kRaster).toString().isEmpty() && !context().currentRaster().isEmpty())
        m_form->setValue(kRaster, QStringList{context().currentRaster()});
    m_estimate->schedule();
    m_heading->setText(entry ? tr("New <b>%1</b> module from the template <b>%2</b>")
                                   .arg(taskDisplayName(task).toHtmlEscaped(), entry->manifest.title.toHtmlEscaped())
                             : tr("New <b>%1</b> module").arg(taskDisplayName(task).toHtmlEscaped()));
    return true;
}

void TrainingWorkspace::applyDeviceDefaults(const QString &task)
{
    const DeviceDefaults lighter = deviceTrainDefaults(task, context().device());
    QStringList changed;
    for (auto it = lighter.values.cbegin(); it != lighter.values.cend(); ++it) {
        const ArgumentSpec *spec = m_form->schema().find(it.key());
        QLabel *label = m_form->label(it.key());
        if (!spec || !label)
            continue;
        m_form->setValue(it.key(), it.value());
        QString name = label->text();
        name.remove(QLatin1Char('&'));
        changed << tr("%1 %2 (%3 on a GPU)")
                       .arg(name.trimmed().toLower(), it.value().toString(), spec->defaultValue.toString());
    }
    if (changed.isEmpty())
        return;
    m_defaultsNote->setText(tr("%1 Here: %2.").arg(lighter.why, changed.join(QStringLiteral(", "))));
    m_defaultsNote->setToolTip(tr("A template or a module being re-trained brings its own settings."));
    m_defaultsNote->show();
}

void TrainingWorkspace::followTheSplit()
{
    // A folder with its own train/val/test split is used as it is: the fractions do not apply.
    const bool ownSplit = !m_dataset->summary().splits.isEmpty();
    for (const QString &name : {QStringLiteral("val-fraction"), QStringLiteral("test-fraction")}) {
        if (QWidget *editor = m_form->editor(name)) {
            editor->setEnabled(!ownSplit);
            if (QWidget *label = m_form->label(name))
                label->setEnabled(!ownSplit);
        }
    }
}

void TrainingWorkspace::applySettingsOf(const ModuleManifest &manifest)
{
    // Templates may spell a setting the long way; the schema's name wins when both exist.
    static const QHash<QString, QString> synonyms{{QStringLiteral("batch-size"), QStringLiteral("batch")},
                                                  {QStringLiteral("learning-rate"), QStringLiteral("lr")},
                                                  {QStringLiteral("architecture"), QStringLiteral("arch")}};
    // What says where the parent came from, not how to train its child.
    static const QStringList lineage{
        QStringLiteral("parent"),     QStringLiteral("freeze"),         QStringLiteral("init"),
        QStringLiteral("column-map"), QStringLiteral("parent-scaling"), QStringLiteral("parent-normalization"),
        QStringLiteral("resume"),     QStringLiteral("name"),           QStringLiteral("output")};
    const QJsonObject hyper = manifest.hyperParameters;
    for (auto it = hyper.begin(); it != hyper.end(); ++it) {
        const QString name = m_form->schema().find(it.key()) ? it.key() : synonyms.value(it.key(), it.key());
        // The precision recorded is what the parent's machine trained in: here the setting decides.
        if (!lineage.contains(name) && name != PrecisionSetting::argumentName())
            m_form->setValue(name, it.value().toVariant());
    }
    if (!manifest.architecture.isEmpty())
        m_form->setValue(QStringLiteral("arch"), manifest.architecture);
}

bool TrainingWorkspace::retrain(const QString &moduleId)
{
    const CatalogEntry *entry = context().catalog().find(moduleId);
    if (!entry || entry->manifest.isTemplate() || !plugin(entry->manifest.task)) {
        context().messages().error(tr("Cannot re-train"),
                                   tr("Select a trained module of your catalog to re-train it on new data."));
        return false;
    }
    if (!openForm(entry->manifest.task, {}, true))
        return false;
    m_parentDir = entry->path;
    m_parentId = entry->id();
    // The parent's settings (network, image size, epochs, ...) as the child's starting point.
    applySettingsOf(entry->manifest);
    m_form->setValue(kName, entry->id() + QStringLiteral("-retrained"));
    // A child works at its parent's scale (super-resolution), as deepwb retrain does.
    const QJsonValue scale = entry->manifest.inputs.value(QStringLiteral("scale"));
    if (scale.isDouble() && m_form->editor(QStringLiteral("scale")))
        m_form->setValue(QStringLiteral("scale"), scale.toInt());
    m_heading->setText(tr("Re-train <b>%1</b> on new data").arg(entry->manifest.title.toHtmlEscaped()));
    return true;
}

QString TrainingWorkspace::startTraining()
{
    if (m_task.isEmpty() && !newModule(chosenTask()))
        return {};
    // A name as a person writes it ("My FMNIST test") becomes the module's id (my-fmnist-test).
    const QString typed = m_form->value(kName).toString().trimmed();
    const QString name = isValidModuleId(typed) ? typed : moduleIdFromName(typed);
    if (name.isEmpty()) {
        m_tabs->setCurrentIndex(1);
        context().messages().error(
            tr("Cannot train"), typed.isEmpty()
                                    ? tr("Give the new module a name (Name, at the top of the Parameters page).")
                                    : tr("'%1' has no letter or digit to make a module id of: give the module a name "
                                         "such as 'fashion-mnist-cnn'.")
                                          .arg(typed));
        return {};
    }
    if (name != typed) {
        m_form->setValue(kName, name);
        context().showStatus(tr("The module '%1' is saved as '%2'.").arg(typed, name));
    }
    const QString folder = QDir(context().catalog().userDirectory()).absoluteFilePath(name);
    if (context().catalog().find(name) || QFileInfo::exists(folder)) {
        context().messages().error(tr("Cannot train"),
                                   tr("A module '%1' already exists: choose another name.").arg(name));
        return {};
    }
    Result<QVariantMap> args = m_form->arguments(fixedArguments(folder));
    if (!args) {
        m_tabs->setCurrentIndex(1);
        context().messages().error(tr("Cannot train"), args.error().text());
        return {};
    }
    m_monitor->clearCurves();
    QVariantMap arguments = std::move(args).value();
    arguments.insert(QStringLiteral("title"), typed);  // the name as written stays the title
    return submit(std::move(arguments));
}

Result<QStringList> TrainingWorkspace::trainCommand() const
{
    if (m_task.isEmpty())
        return failure(tr("Choose a task and fill in the form first."));
    // The module id the name becomes, as Train makes it.
    const QString typed = m_form->value(kName).toString().trimmed();
    const QString name = isValidModuleId(typed) ? typed : moduleIdFromName(typed);
    if (name.isEmpty())
        return Error::at(kName, tr("Give the new module a name (Name, at the top of the Parameters page)."));
    QVariantMap values = m_form->values();
    values.insert(kName, name);
    // What the page fills itself: the cluster's deepwb finds the folder and the parent on its own.
    // The plugin's own defaults, not the form's (whose precision is the setting's): what differs
    // from what deepwb does without a flag is written.
    TaskPlugin *taskPlugin = plugin(m_task);
    const ArgumentSchema schema = taskPlugin ? taskPlugin->trainArguments() : m_form->schema();
    Result<QStringList> flags = argumentFlags(schema, values, {kOutput, kParent, kResume});
    if (!flags)
        return flags.error();
    const QStringList head = m_parentId.isEmpty() ? QStringList{QStringLiteral("train"), m_task}
                                                  : QStringList{QStringLiteral("retrain"), m_parentId};
    return head + *flags;
}

ClusterScriptDialog *TrainingWorkspace::openClusterDialog()
{
    if (m_task.isEmpty() && !newModule(chosenTask()))
        return nullptr;
    const Result<QStringList> command = trainCommand();
    if (!command) {
        m_tabs->setCurrentIndex(1);
        context().messages().error(tr("Cannot run on a cluster"), command.error().text());
        return nullptr;
    }
    // Paths here are not paths there: the dialog asks for each one the command holds.
    QStringList pathFlags;
    for (const ArgumentSpec &spec : m_form->schema().specs()) {
        const ArgType type = spec.type == ArgType::List ? spec.itemType : spec.type;
        if (type == ArgType::FilePath || type == ArgType::FolderPath)
            pathFlags << spec.name;
    }
    auto *dialog =
        new ClusterScriptDialog(context().jobs(), context().catalog().userDirectory(), *command, pathFlags, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
    return dialog;
}

QVariantMap TrainingWorkspace::fixedArguments(const QString &folder) const
{
    QVariantMap fixed{{kOutput, folder}};
    if (!m_parentDir.isEmpty())
        fixed.insert(kParent, m_parentDir);
    // A module picked as the starting point goes to the plugin as its folder.
    const QString init = m_form->value(kInit).toString();
    if (const CatalogEntry *start = context().catalog().find(init); start && !QFileInfo::exists(init))
        fixed.insert(kInit, start->path);
    return fixed;
}

QString TrainingWorkspace::resumeTraining()
{
    if (m_lastArgs.isEmpty())
        return {};
    QVariantMap args = m_lastArgs;
    args.insert(kResume, true);
    return submit(args);
}

QString TrainingWorkspace::submit(QVariantMap args)
{
    TaskPlugin *taskPlugin = plugin(m_task);
    if (!taskPlugin)
        return {};
    m_lastArgs = args;
    m_lastArgs.remove(kResume);
    // The device is the training's now; the estimate is measured again once it is over.
    m_estimate->stop(tr("No estimate while a training runs."));
    const QString folder = args.value(kOutput).toString();
    JobSpec spec;
    spec.title = tr("Train %1").arg(args.value(kName).toString());
    spec.kind = QStringLiteral("train");
    spec.device = context().device();
    spec.queue = context().usesGpu() ? JobQueue::Gpu : JobQueue::Cpu;
    spec.function = [taskPlugin, args](JobContext &job) -> Result<QVariant> {
        Result<TaskResult> result = runGuardedTraining(*taskPlugin, args, job);
        if (!result)
            return result.error();
        return QVariant(taskResultToJson(*result));
    };
    const QString jobId = context().jobs().submit(std::move(spec));
    m_monitor->watch(jobId);
    m_tabs->setCurrentWidget(m_monitor);
    whenJobFinished(context().jobs(), jobId, this, [this, folder](const JobInfo &job) {
        const QJsonObject result = job.result.toJsonObject();
        const bool hasCheckpoint = QFileInfo::exists(folder + QStringLiteral("/checkpoints"));
        if (job.state == JobState::Done &&
            result.value(QStringLiteral("stopped")).toString() != QLatin1String("cancelled")) {
            // The window stays on the run (its last lines, the test figures); the module is a
            // click away.
            const QString id = result.value(QStringLiteral("id")).toString();
            context().catalog().rescan();
            m_monitor->setFinishedModule(id);
            context().showStatus(tr("Trained %1").arg(id));
            Q_EMIT trainingFinished(id);
            return;
        }
        m_monitor->setResumable(hasCheckpoint);
        const QString message = job.state == JobState::Failed ? job.error : tr("The training was cancelled.");
        if (job.state == JobState::Failed)
            context().messages().error(tr("Training failed"), message);
        Q_EMIT trainingStopped(message);
    });
    return jobId;
}

void TrainingWorkspace::loadModuleHistory()
{
    m_history->showModule(context().catalog().find(context().currentModule()));
}

}  // namespace dw
