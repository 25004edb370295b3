#pragma once
// Run on a cluster…: the Train form's training as a Slurm batch job. The user says how many
// nodes and GPUs, the partition and time limit, where deepwb, the catalog and the data are on
// the cluster, and the folder to write to; Write Files makes the batch script (and the archive
// of the module a re-training starts from) in a job — archives can be gigabytes — and shows
// the script and the sbatch line. The script is core's (core/jobs/cluster_job_files.h), the
// same as `deepwb cluster-script` writes.
#include "core/jobs/slurm_script.h"

#include <QDialog>
#include <QList>
#include <QString>
#include <QStringList>

class QFormLayout;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;

namespace dw {

class JobManager;

class ClusterScriptDialog : public QDialog {
    Q_OBJECT
public:
    // command: `train TASK ...` or `retrain PARENT ...` as for deepwb; pathFlags: the names of
    // its flags whose values are paths here (each gets a field for its path on the cluster);
    // catalogDirectory: the local catalog, where a PARENT or --init module is found.
    ClusterScriptDialog(JobManager &jobs, QString catalogDirectory, QStringList command, const QStringList &pathFlags,
                        QWidget *parent = nullptr);

    // The job as the fields say, with the paths on the cluster put into the command.
    SlurmJob job() const;
    QStringList command() const;
    QString outputFolder() const;
    void setOutputFolder(const QString &folder);

    // Checks the fields and starts the job that writes the files; its id, or empty after the
    // problem is shown in the dialog.
    QString writeFiles();
    // The job writing the files, empty when none runs.
    const QString &runningJob() const { return m_job; }
    QLabel *statusLabel() const { return m_status; }
    QPlainTextEdit *preview() const { return m_preview; }

Q_SIGNALS:
    void filesWritten(const QString &script, const QString &archive);
    void writeFailed(const QString &message);

private:
    struct PathField {
        qsizetype index = -1;  // of the value in m_command
        QLineEdit *edit = nullptr;
    };
    void addPathFields(const QStringList &pathFlags, QFormLayout *form);
    void browse();
    void updatePreview();
    void showProblem(const QString &message);

    JobManager &m_jobs;
    QString m_catalogDirectory;
    QStringList m_command;
    QList<PathField> m_paths;
    QSpinBox *m_nodes = nullptr;
    QSpinBox *m_gpus = nullptr;
    QSpinBox *m_tasks = nullptr;
    QSpinBox *m_cpus = nullptr;
    QLineEdit *m_partition = nullptr;
    QLineEdit *m_time = nullptr;
    QLineEdit *m_account = nullptr;
    QLineEdit *m_deepwb = nullptr;
    QLineEdit *m_clusterCatalog = nullptr;
    QLineEdit *m_output = nullptr;
    QPlainTextEdit *m_preview = nullptr;
    QLabel *m_status = nullptr;
    QPushButton *m_write = nullptr;
    QString m_job;
};

}  // namespace dw
