#pragma once
// The Dataset page of training: choose the folder (or split files / CSV), see its images
// per class as a bar chart, a few samples per class and the problems to fix first. The scan
// is a job; the chosen path goes to the form's "data" argument.
#include "ui/training/dataset_summary.h"

#include <QWidget>

class QCustomPlot;
class QLabel;
class QLineEdit;
class QListWidget;

namespace dw {

class JobManager;

class DatasetPage : public QWidget {
    Q_OBJECT
public:
    DatasetPage(JobManager &jobs, QWidget *parent = nullptr);

    QString path() const;
    // Sets the path and scans it (a job); summaryReady follows.
    void setPath(const QString &path);
    const DatasetSummary &summary() const { return m_summary; }
    QCustomPlot *chart() const { return m_chart; }
    QListWidget *samples() const { return m_samples; }
    QLabel *problems() const { return m_problems; }
    QLabel *totals() const { return m_totals; }

Q_SIGNALS:
    void pathChanged(const QString &path);
    void summaryReady();

private:
    void scan();
    void show(const DatasetSummary &summary);

    JobManager &m_jobs;
    QLineEdit *m_path = nullptr;
    QCustomPlot *m_chart = nullptr;
    QListWidget *m_samples = nullptr;
    QLabel *m_problems = nullptr;
    QLabel *m_totals = nullptr;
    DatasetSummary m_summary;
    QString m_scanJob;
};

}  // namespace dw
