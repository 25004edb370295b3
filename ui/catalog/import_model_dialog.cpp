#include "ui/catalog/import_model_dialog.h"

#include "core/catalog/module_id.h"
#include "core/task/plugin_manager.h"
#include "core/task/task_plugin.h"
#include "ui/catalog/catalog_service.h"
#include "ui/training/schema_form.h"
#include "ui/workbench_context.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileInfo>
#include <QFormLayout>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QVBoxLayout>

namespace dw {

namespace {

const QString kModel = QStringLiteral("model");
const QString kOutput = QStringLiteral("output");
const QString kName = QStringLiteral("name");

// "My Plankton-Net v2.pt" -> "my-plankton-net-v2"
QString idFromFile(const QString &file)
{
    const QString id = moduleIdFromName(QFileInfo(file).completeBaseName());
    return id.isEmpty() ? QStringLiteral("imported-model") : id;
}

}  // namespace

ImportModelDialog::ImportModelDialog(WorkbenchContext &context, QString modelFile, QWidget *parent)
    : QDialog(parent), m_context(context), m_modelFile(std::move(modelFile))
{
    setObjectName(QStringLiteral("importModelDialog"));
    setWindowTitle(tr("Import TorchScript Model"));
    auto *layout = new QVBoxLayout(this);
    auto *intro =
        new QLabel(tr("<b>%1</b> is a TorchScript model. Tell the workbench what it does and what it expects; it "
                      "is checked on a test input before it joins the catalog.")
                       .arg(QFileInfo(m_modelFile).fileName().toHtmlEscaped()),
                   this);
    intro->setWordWrap(true);
    layout->addWidget(intro);
    auto *row = new QFormLayout;
    m_task = new QComboBox(this);
    m_task->setObjectName(QStringLiteral("importTask"));
    for (const QString &task : PluginManager::instance().tasks())
        if (TaskPlugin *plugin = PluginManager::instance().plugin(task); plugin && !plugin->importArguments().isEmpty())
            m_task->addItem(task);
    row->addRow(tr("Task"), m_task);
    layout->addLayout(row);
    auto *scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    m_form = new SchemaForm(scroll);
    scroll->setWidget(m_form);
    layout->addWidget(scroll, 1);
    m_problem = new QLabel(this);
    m_problem->setObjectName(QStringLiteral("importProblem"));
    m_problem->setWordWrap(true);
    m_problem->setStyleSheet(QStringLiteral("color: #b00020;"));
    m_problem->hide();
    layout->addWidget(m_problem);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Import"));
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, [this] {
        if (submit())
            accept();
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_task, &QComboBox::currentTextChanged, this, &ImportModelDialog::showTask);
    showTask(m_task->currentText());
    resize(640, 560);
}

void ImportModelDialog::showTask(const QString &task)
{
    TaskPlugin *plugin = PluginManager::instance().plugin(task);
    if (!plugin)
        return;
    m_form->setSchema(plugin->importArguments(), {kModel, kOutput});
    m_form->setValue(kName, idFromFile(m_modelFile));
    // A labels file next to the model is most likely its own.
    const QDir folder = QFileInfo(m_modelFile).absoluteDir();
    for (const QString &name : {QStringLiteral("labels.txt"), QStringLiteral("classes.txt")})
        if (folder.exists(name) && m_form->schema().find(QStringLiteral("labels"))) {
            m_form->setValue(QStringLiteral("labels"), folder.filePath(name));
            break;
        }
}

bool ImportModelDialog::submit(QString *jobId)
{
    m_problem->hide();
    const QString task = m_task->currentText();
    if (task.isEmpty()) {
        m_problem->setText(tr("No loaded task plugin can import models; see Help ▸ About."));
        m_problem->show();
        return false;
    }
    Result<QVariantMap> args = m_form->arguments({{kModel, QFileInfo(m_modelFile).absoluteFilePath()}});
    if (!args)
        return false;  // the form marks the field and says what is wrong
    const QString name = args->value(kName).toString();
    QString problem;
    if (!isValidModuleId(name))
        problem = tr("'%1' cannot be a module id: use lower-case letters, digits, '.', '_' and '-', starting with a "
                     "letter or "
                     "digit.")
                      .arg(name);
    else if (m_context.catalog().find(name) ||
             QFileInfo::exists(QDir(m_context.catalog().userDirectory()).filePath(name)))
        problem = tr("A module '%1' already exists: choose another name.").arg(name);
    if (!problem.isEmpty()) {
        m_problem->setText(problem);
        m_problem->show();
        return false;
    }
    const QString job = m_context.catalog().importModel(task, *args);
    if (jobId)
        *jobId = job;
    return !job.isEmpty();
}

}  // namespace dw
