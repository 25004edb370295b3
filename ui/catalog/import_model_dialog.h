#pragma once
// The dialog shown when a TorchScript model (.pt) is dropped on the workbench: which task it
// does, then the task plugin's import form (labels, input size and normalisation for a
// classifier; bands and scale for a super-resolution network) generated from its
// importArguments(), and a name. Import runs as a job through CatalogService::importModel();
// the dialog only checks the form, so it closes at once.
#include <QDialog>
#include <QString>

class QComboBox;
class QLabel;

namespace dw {

class SchemaForm;
class WorkbenchContext;

class ImportModelDialog : public QDialog {
    Q_OBJECT
public:
    ImportModelDialog(WorkbenchContext &context, QString modelFile, QWidget *parent = nullptr);

    QComboBox *taskBox() const { return m_task; }
    SchemaForm *form() const { return m_form; }
    // Checks the form and starts the import job; false (the dialog stays, the problem shown)
    // when something is missing or wrong. The id of the job goes to *jobId when given.
    bool submit(QString *jobId = nullptr);

private:
    void showTask(const QString &task);

    WorkbenchContext &m_context;
    QString m_modelFile;
    QComboBox *m_task = nullptr;
    SchemaForm *m_form = nullptr;
    QLabel *m_problem = nullptr;
};

}  // namespace dw
