#include "ui/timeseries/series_train_page.h"

#include "core/catalog/catalog_model.h"
#include "core/catalog/module_id.h"
#include "core/jobs/job_manager.h"
#include "core/task/guarded_training.h"
#include "core/task/plugin_manager.h"
#include "ui/catalog/catalog_service.h"
#include "ui/icons.h"
#include "ui/jobs/job_callbacks.h"
#include "ui/message_presenter.h"
#include "ui/precision_setting.h"
#include "ui/training/schema_form.h"
#include "ui/training/training_curves.h"
#include "ui/training/training_monitor.h"
#include "ui/workbench_context.h"

#include <QComboBox>
#include <QDir>
#include <QFileInfo>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QJsonObject>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QScrollArea>
#include <QSplitter>
#include <QVBoxLayout>
#include <qcustomplot.h>

namespace dw {

namespace {

const QString kTask = QStringLiteral("time-series");
// Filled from the page (the columns, the file) or by the workbench (the folder, Resume).
const QStringList kFilledHere{QStringLiteral("csv"),    QStringLiteral("target"), QStringLiteral("inputs"),
                              QStringLiteral("output"), QStringLiteral("resume"), QStringLiteral("parent")};
// What a parent's hyper-parameters give the form: the network its weights fit.
const QStringList kFromParent{QStringLiteral("model"),   QStringLiteral("window"),      QStringLiteral("horizon"),
                              QStringLiteral("layers"),  QStringLiteral("hidden"),      QStringLiteral("dropout"),
                              QStringLiteral("scaling"), QStringLiteral("differencing")};

QStringList strings(const QJsonValue &value)
{
    QStringList out;
    for (const QJsonValue &item : value.toArray())
        out << item.toString();
    return out;
}

QListWidget *columnList(const QString &objectName, QWidget *parent)
{
    auto *list = new QListWidget(parent);
    list->setObjectName(objectName);
    list->setMinimumHeight(60);
    list->setMaximumHeight(100);
    return list;
}

}  // namespace

SeriesTrainPage::SeriesTrainPage(WorkbenchContext &context, QWidget *parent) : QWidget(parent), m_context(context)
{
    auto *layout = new QHBoxLayout(this);
    auto *splitter = new QSplitter(Qt::Horizontal, this);
    layout->addWidget(splitter);

    auto *left = new QWidget(splitter);
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    auto *columns = new QGroupBox(tr("Columns"), left);
    auto *columnsLayout = new QGridLayout(columns);
    columnsLayout->addWidget(new QLabel(tr("Forecast (targets):"), columns), 0, 0);
    m_targets = columnList(QStringLiteral("trainTargets"), columns);
    m_targets->setToolTip(tr("The columns the module forecasts and raises alerts on"));
    columnsLayout->addWidget(m_targets, 1, 0);
    columnsLayout->addWidget(new QLabel(tr("Extra inputs (read only):"), columns), 0, 1);
    m_inputs = columnList(QStringLiteral("trainInputs"), columns);
    m_inputs->setToolTip(tr("Columns the network reads, but does not forecast, to forecast the targets better (e.g. "
                            "temperature)"));
    columnsLayout->addWidget(m_inputs, 1, 1);
    columnsLayout->addWidget(new QLabel(tr("Start from module:"), columns), 2, 0);
    m_parent = new QComboBox(columns);
    m_parent->setObjectName(QStringLiteral("trainParent"));
    m_parent->setToolTip(
        tr("Fine-tune a trained time-series module on this series: the new module starts from its "
           "network and weights and forecasts the same columns (see Re-training below for what learns)"));
    columnsLayout->addWidget(m_parent, 2, 1);
    leftLayout->addWidget(columns);
    auto *scroll = new QScrollArea(left);
    scroll->setWidgetResizable(true);
    m_form = new SchemaForm(scroll);
    scroll->setWidget(m_form);
    leftLayout->addWidget(scroll, 1);
    m_train = new QPushButton(dw::icon(QStringLiteral("jobs")), tr("Train"), left);
    m_train->setObjectName(QStringLiteral("timeSeriesTrain"));
    leftLayout->addWidget(m_train, 0, Qt::AlignRight);

    m_monitor = new TrainingMonitor(context.jobs(), splitter);
    // A forecaster has losses but no accuracy: the loss curves get the room.
    m_monitor->curves()->accuracyPlot()->hide();
    splitter->addWidget(left);
    splitter->addWidget(m_monitor);
    splitter->setStretchFactor(0, 2);
    splitter->setStretchFactor(1, 3);
    splitter->setSizes({480, 800});

    refreshParents();
    connect(&context.catalog(), &CatalogService::scanFinished, this, &SeriesTrainPage::refreshParents);
    connect(m_parent, &QComboBox::currentIndexChanged, this, &SeriesTrainPage::adoptParent);
    connect(m_train, &QPushButton::clicked, this, &SeriesTrainPage::startTraining);
    // The form's precision follows Settings ▸ Precision on the CPU unless the user chose one here.
    connect(&context.precision(), &PrecisionSetting::changed, this,
            [this](const QString &value) { m_form->setDefaultValue(PrecisionSetting::argumentName(), value); });
    connect(m_monitor, &TrainingMonitor::resumeRequested, this, &SeriesTrainPage::resumeTraining);
    // A column is either forecast or read as an input, not both.
    connect(m_targets, &QListWidget::itemChanged, this, [this](QListWidgetItem *item) {
        if (item->checkState() == Qt::Checked)
            for (QListWidgetItem *other : m_inputs->findItems(item->text(), Qt::MatchExactly))
                other->setCheckState(Qt::Unchecked);
    });
    connect(m_inputs, &QListWidget::itemChanged, this, [this](QListWidgetItem *item) {
        if (item->checkState() == Qt::Checked)
            for (QListWidgetItem *other : m_targets->findItems(item->text(), Qt::MatchExactly))
                other->setCheckState(Qt::Unchecked);
    });
}

bool SeriesTrainPage::ensureSchema()
{
    if (!m_form->schema().isEmpty())
        return true;
    TaskPlugin *plugin = PluginManager::instance().plugin(kTask);
    if (!plugin)
        return false;
    m_form->setSchema(m_context.precision().applyTo(plugin->trainArguments()), kFilledHere);
    return true;
}

void SeriesTrainPage::setCsv(const ImportedCsv &csv)
{
    m_csv = csv;
    ensureSchema();
    const QStringList targets = this->targets(), inputs = this->inputs();
    QSignalBlocker blockTargets(m_targets), blockInputs(m_inputs);
    m_targets->clear();
    m_inputs->clear();
    for (QListWidget *list : {m_targets, m_inputs}) {
        for (const QString &name : csv.table().names) {
            auto *item = new QListWidgetItem(name, list);
            item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable);
            item->setCheckState(Qt::Unchecked);
        }
    }
    // What was chosen for the last file, where the new one has those columns; else its first column.
    check(m_targets, targets);
    check(m_inputs, inputs);
    if (this->targets().isEmpty() && m_targets->count() > 0)
        m_targets->item(0)->setCheckState(Qt::Checked);
    if (m_form->value(QStringLiteral("name")).toString().isEmpty()) {
        const QString name = moduleIdFromName(QFileInfo(csv.path).completeBaseName());
        m_form->setValue(QStringLiteral("name"),
                         (name.isEmpty() ? QStringLiteral("series") : name.left(53)) + QStringLiteral("-forecaster"));
    }
}

QStringList SeriesTrainPage::checked(const QListWidget *list)
{
    QStringList names;
    for (int i = 0; i < list->count(); ++i)
        if (list->item(i)->checkState() == Qt::Checked)
            names << list->item(i)->text();
    return names;
}

void SeriesTrainPage::check(QListWidget *list, const QStringList &names)
{
    for (int i = 0; i < list->count(); ++i)
        list->item(i)->setCheckState(names.contains(list->item(i)->text()) ? Qt::Checked : Qt::Unchecked);
}

void SeriesTrainPage::refreshParents()
{
    const QString current = m_parent->currentData().toString();
    QSignalBlocker block(m_parent);
    m_parent->clear();
    m_parent->addItem(tr("None (a new network)"), QString());
    for (const CatalogEntry &entry : m_context.catalog().model()->entries()) {
        if (entry.manifest.task == kTask && entry.isValid() && !entry.manifest.isTemplate() && !entry.beingWritten)
            m_parent->addItem(QStringLiteral("%1 (%2)").arg(entry.manifest.title, entry.id()), entry.path);
    }
    m_parent->setCurrentIndex(std::max(0, m_parent->findData(current)));
}

bool SeriesTrainPage::setParentModule(const QString &id)
{
    const CatalogEntry *entry = id.isEmpty() ? nullptr : m_context.catalog().find(id);
    const int index = id.isEmpty() ? 0 : entry ? m_parent->findData(entry->path) : -1;
    if (index < 0)
        return false;
    m_parent->setCurrentIndex(index);
    return true;
}

void SeriesTrainPage::adoptParent()
{
    const QString folder = m_parent->currentData().toString();
    if (folder.isEmpty() || !ensureSchema())
        return;
    for (const CatalogEntry &entry : m_context.catalog().model()->entries()) {
        if (entry.path != folder)
            continue;
        const QJsonObject hyper = entry.manifest.hyperParameters;
        for (const QString &name : kFromParent)
            if (hyper.contains(name))
                m_form->setValue(name, hyper.value(name).toVariant());
        // Its columns, where this file has them (else column-map names them).
        check(m_targets, strings(entry.manifest.inputs.value(QStringLiteral("targets"))));
        check(m_inputs, strings(entry.manifest.inputs.value(QStringLiteral("inputs"))));
        return;
    }
}

QStringList SeriesTrainPage::targets() const
{
    return checked(m_targets);
}

QStringList SeriesTrainPage::inputs() const
{
    return checked(m_inputs);
}

void SeriesTrainPage::setTargets(const QStringList &targets)
{
    check(m_targets, targets);
}

void SeriesTrainPage::setInputs(const QStringList &inputs)
{
    check(m_inputs, inputs);
}

QString SeriesTrainPage::startTraining()
{
    TaskPlugin *plugin = PluginManager::instance().plugin(kTask);
    QString why;
    if (!plugin || !ensureSchema())
        why = tr("The time-series plugin is not installed or failed to load; see Help ▸ About for the plugins found.");
    else if (m_csv.isNull())
        why = tr("Open a CSV file first: the module learns from its columns.");
    else if (targets().isEmpty())
        why = tr("Tick at least one column to forecast under Forecast (targets).");
    else if (!m_job.isEmpty())
        why = tr("A training is running: wait for it or cancel it first.");
    const QString name = m_form->value(QStringLiteral("name")).toString();
    if (why.isEmpty() && !isValidModuleId(name))
        why = tr("'%1' cannot be a module id: use lower-case letters, digits, '.', '_' and '-', starting with a letter "
                 "or digit.")
                  .arg(name);
    const QString folder = QDir(m_context.catalog().userDirectory()).absoluteFilePath(name);
    if (why.isEmpty() && (m_context.catalog().find(name) || QFileInfo::exists(folder)))
        why = tr("A module '%1' already exists: choose another name.").arg(name);
    Result<QVariantMap> args = failure(why);
    if (why.isEmpty())
        args = m_form->arguments({{QStringLiteral("csv"), m_csv.path},
                                  {QStringLiteral("target"), targets()},
                                  {QStringLiteral("inputs"), inputs()},
                                  {QStringLiteral("output"), folder},
                                  {QStringLiteral("parent"), m_parent->currentData().toString()}});
    if (!args) {
        m_context.messages().error(tr("Cannot train"), args.error().text());
        Q_EMIT trainingStopped(args.error().text());
        return {};
    }
    m_monitor->clearCurves();
    return submit(std::move(args).value());
}

QString SeriesTrainPage::resumeTraining()
{
    if (m_lastArgs.isEmpty() || !m_job.isEmpty())
        return {};
    QVariantMap args = m_lastArgs;
    args.insert(QStringLiteral("resume"), true);
    return submit(args);
}

QString SeriesTrainPage::submit(QVariantMap args)
{
    TaskPlugin *plugin = PluginManager::instance().plugin(kTask);
    if (!plugin)
        return {};
    m_lastArgs = args;
    m_lastArgs.remove(QStringLiteral("resume"));
    const QString name = args.value(QStringLiteral("name")).toString();
    const QString folder = args.value(QStringLiteral("output")).toString();
    JobSpec spec;
    spec.title = tr("Train %1").arg(name);
    spec.kind = QStringLiteral("train");
    spec.device = m_context.device();
    spec.queue = m_context.usesGpu() ? JobQueue::Gpu : JobQueue::Cpu;
    spec.function = [plugin, args](JobContext &job) -> Result<QVariant> {
        Result<TaskResult> result = runGuardedTraining(*plugin, args, job);
        if (!result)
            return result.error();
        return QVariant(taskResultToJson(*result));
    };
    m_job = m_context.jobs().submit(std::move(spec));
    m_monitor->setResumable(false);
    m_monitor->watch(m_job);
    m_train->setEnabled(false);
    whenJobFinished(m_context.jobs(), m_job, this, [this, folder](const JobInfo &job) {
        m_job.clear();
        m_train->setEnabled(true);
        const QJsonObject result = job.result.toJsonObject();
        if (job.state == JobState::Done &&
            result.value(QStringLiteral("stopped")).toString() != QLatin1String("cancelled")) {
            const QString id = result.value(QStringLiteral("id")).toString();
            m_context.catalog().rescan();
            m_context.showStatus(tr("Trained %1").arg(id));
            Q_EMIT trainingFinished(id);
            return;
        }
        // Cancelled or failed after an epoch: the checkpoint lets Resume go on from there.
        m_monitor->setResumable(QFileInfo::exists(folder + QStringLiteral("/checkpoints")));
        const QString message = job.state == JobState::Failed ? job.error : tr("The training was cancelled.");
        if (job.state == JobState::Failed)
            m_context.messages().error(tr("Training failed"), message);
        Q_EMIT trainingStopped(message);
    });
    return m_job;
}

}  // namespace dw
