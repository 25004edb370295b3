#pragma once
// The Train tab of the time-series workspace: the columns to forecast and the extra inputs
// picked from the loaded CSV's numeric columns, the rest of the plugin's train schema as a
// SchemaForm (csv, target and inputs are filled from here), Train → a job followed by a
// TrainingMonitor (progress, curves, Cancel); the new module then joins the catalog.
// "Start from module" re-trains (fine-tunes) one of the catalog's trained time-series modules:
// it fills the form with the parent's network and ticks its columns; the schema's Re-training
// group (freeze, column-map, parent-scaling) says the rest.
#include "ui/timeseries/imported_csv.h"

#include <QStringList>
#include <QVariantMap>
#include <QWidget>

class QComboBox;
class QListWidget;
class QPushButton;

namespace dw {

class SchemaForm;
class TrainingMonitor;
class WorkbenchContext;

class SeriesTrainPage : public QWidget {
    Q_OBJECT
public:
    explicit SeriesTrainPage(WorkbenchContext &context, QWidget *parent = nullptr);

    // The columns offered; the first one is checked as the target.
    void setCsv(const ImportedCsv &csv);
    void setTargets(const QStringList &targets);
    void setInputs(const QStringList &inputs);
    QStringList targets() const;
    QStringList inputs() const;
    // Validates and starts the training job; its id, or empty after a message.
    QString startTraining();
    // Continues the last run from its checkpoint (offered after a Cancel).
    QString resumeTraining();

    SchemaForm *form() const { return m_form; }
    TrainingMonitor *monitor() const { return m_monitor; }
    QListWidget *targetList() const { return m_targets; }
    QListWidget *inputList() const { return m_inputs; }
    QPushButton *trainButton() const { return m_train; }
    QComboBox *parentChoice() const { return m_parent; }
    // The catalog's trained time-series modules offered as parents (kept when still there).
    void refreshParents();
    // Chooses the parent module by id (empty: a new network); false when it is not offered.
    bool setParentModule(const QString &id);

Q_SIGNALS:
    void trainingFinished(const QString &moduleId);  // the catalog has been asked to rescan
    void trainingStopped(const QString &message);

private:
    bool ensureSchema();
    QString submit(QVariantMap args);
    static QStringList checked(const QListWidget *list);
    static void check(QListWidget *list, const QStringList &names);
    void adoptParent();

    WorkbenchContext &m_context;
    ImportedCsv m_csv;
    QListWidget *m_targets = nullptr;
    QListWidget *m_inputs = nullptr;
    SchemaForm *m_form = nullptr;
    TrainingMonitor *m_monitor = nullptr;
    QPushButton *m_train = nullptr;
    QComboBox *m_parent = nullptr;  // data: the module folder; the first item: none
    QString m_job;
    QVariantMap m_lastArgs;  // of the last run, for Resume
};

}  // namespace dw
