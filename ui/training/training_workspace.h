#pragma once
// Train: a new module of a task (from a template's settings) or a re-trained module from
// the selected one. Dataset page (images per class, samples, problems), Parameters (a form
// generated from the task's train schema), Progress (live curves, Cancel, Resume), and the
// selected module's training curves from its history.json. Task-neutral: every task plugin
// with a train schema gets this workspace as it is.
#include "core/util/result.h"
#include "ui/workspace.h"

#include <QStringList>
#include <QVariantMap>

class QComboBox;
class QLabel;
class QTabWidget;
class QToolBar;

namespace dw {

class ClusterScriptDialog;
class DatasetPage;
struct ModuleManifest;
class ModuleHistoryView;
class SchemaForm;
class TaskPlugin;
class TrainingCurves;
class TrainingEstimateLabel;
class TrainingMonitor;

class TrainingWorkspace : public Workspace {
    Q_OBJECT
public:
    explicit TrainingWorkspace(WorkbenchContext &context, QWidget *parent = nullptr);

    QString id() const override { return QStringLiteral("train"); }
    QString title() const override { return tr("Train"); }
    QIcon icon() const override;
    QString description() const override { return tr("Train a new module or re-train the selected one"); }
    QList<QToolBar *> toolBars() const override { return {m_toolBar}; }
    void activate() override;

    // A new module of task (the form's defaults, or a template's hyper-parameters).
    bool newModule(const QString &task, const QString &templateId = {});
    // Re-training from a trained module of the catalog (its folder becomes "parent").
    bool retrain(const QString &moduleId);
    // Validates the form and starts the training job; its id, or empty after a message.
    QString startTraining();
    QString resumeTraining();
    // The form's training as a deepwb command line: `train TASK --flag value ...`, or
    // `retrain PARENT ...` when re-training (defaults left out; the module folder is the
    // cluster catalog's). What "Run on a cluster…" writes into its Slurm script.
    Result<QStringList> trainCommand() const;
    // "Run on a cluster…": the dialog for the form's training, or nullptr after a message.
    ClusterScriptDialog *openClusterDialog();

    const QString &task() const { return m_task; }
    SchemaForm *form() const { return m_form; }
    // Why the form's defaults differ from the plugin's (lighter ones for the CPU); hidden when not.
    QLabel *defaultsNote() const { return m_defaultsNote; }
    DatasetPage *datasetPage() const { return m_dataset; }
    // Beside the Train button: how long the training would take, measured on the device.
    TrainingEstimateLabel *estimateLabel() const { return m_estimate; }
    TrainingMonitor *monitor() const { return m_monitor; }
    TrainingCurves *moduleCurves() const;
    QTabWidget *tabs() const { return m_tabs; }

Q_SIGNALS:
    void trainingFinished(const QString &moduleId);  // the module is in the catalog
    void trainingStopped(const QString &message);    // cancelled or failed
    void moduleHistoryShown();

private:
    // The plugin's lighter defaults for the CPU, when the workbench trains on it.
    void applyDeviceDefaults(const QString &task);
    TaskPlugin *plugin(const QString &task) const;
    QString chosenTask() const;  // the id of the task chosen in the toolbar
    // The form for a new module of task (from a template's settings), or for a child of a
    // parent (fromParent: the fields about the parent are offered).
    bool openForm(const QString &task, const QString &templateId, bool fromParent);
    void followTheSplit();  // the val/test fractions off when the dataset has its own split
    void applySettingsOf(const ModuleManifest &manifest);  // a template's or parent's hyper-parameters
    // What the page fills itself: the module folder, the parent, a catalog module as "init".
    QVariantMap fixedArguments(const QString &folder) const;
    QString submit(QVariantMap args);
    void loadModuleHistory();

    QToolBar *m_toolBar = nullptr;
    QComboBox *m_taskBox = nullptr;
    QLabel *m_heading = nullptr;
    QTabWidget *m_tabs = nullptr;
    DatasetPage *m_dataset = nullptr;
    SchemaForm *m_form = nullptr;
    QLabel *m_defaultsNote = nullptr;
    TrainingEstimateLabel *m_estimate = nullptr;
    TrainingMonitor *m_monitor = nullptr;
    ModuleHistoryView *m_history = nullptr;
    QString m_task;
    QString m_parentDir;
    QString m_parentId;      // the id of m_parentDir in the catalog
    QVariantMap m_lastArgs;  // of the last run, for Resume
};

}  // namespace dw
