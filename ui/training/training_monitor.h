#pragma once
// Follows one training job: a progress bar, epoch/batch/ETA, live loss, accuracy and
// learning-rate curves (from the job's typed training progress), the
// log, and Cancel / Resume buttons (Resume is offered once a run stops with a checkpoint).
#include <QString>
#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;

namespace dw {

class JobManager;
class TrainingCurves;

class TrainingMonitor : public QWidget {
    Q_OBJECT
public:
    explicit TrainingMonitor(JobManager &jobs, QWidget *parent = nullptr);

    void watch(const QString &jobId);  // a new run: curves kept when it resumes the last one
    const QString &jobId() const { return m_jobId; }
    void setResumable(bool resumable);
    void clearCurves();
    // A new module form: a finished run is forgotten (its curves, log and status); a run that
    // is still going stays in view.
    void forgetFinishedRun();
    // The run wrote this module: "Open in Catalog" opens it (the window stays here, so that
    // the run's last lines can be read).
    void setFinishedModule(const QString &moduleId);

    TrainingCurves *curves() const { return m_curves; }
    QProgressBar *progressBar() const { return m_progress; }
    QLabel *statusLabel() const { return m_status; }
    QPushButton *cancelButton() const { return m_cancel; }
    QPushButton *resumeButton() const { return m_resume; }
    QPushButton *openModuleButton() const { return m_openModule; }

Q_SIGNALS:
    void resumeRequested();
    void openModuleRequested(const QString &moduleId);

private:
    void update(const QString &jobId);

    JobManager &m_jobs;
    QString m_jobId;
    QProgressBar *m_progress = nullptr;
    QLabel *m_status = nullptr;
    TrainingCurves *m_curves = nullptr;
    QPlainTextEdit *m_log = nullptr;
    QPushButton *m_cancel = nullptr;
    QPushButton *m_resume = nullptr;
    QPushButton *m_openModule = nullptr;
    QString m_finishedModule;
    int m_logLines = 0;           // of the job's log already shown
    qsizetype m_epochsShown = 0;  // of the job's epoch reports already plotted
    QString m_lastLine;
};

}  // namespace dw
