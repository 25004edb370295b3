#pragma once
// The Jobs dock: every job of the session with its progress, ETA and Cancel button, and
// the details (error, log) of the selected one. A job that fails is selected and its
// error shown at once.
#include <QDockWidget>

class QListView;
class QPlainTextEdit;
class QToolButton;

namespace dw {

class JobDelegate;
class JobListModel;
class JobManager;

class JobsDock : public QDockWidget {
    Q_OBJECT
public:
    explicit JobsDock(JobManager *manager, QWidget *parent = nullptr);

    JobListModel *model() const { return m_model; }
    QListView *view() const { return m_view; }
    QPlainTextEdit *details() const { return m_details; }

private:
    void showDetails();
    void updateTitle();

    JobListModel *m_model = nullptr;
    QListView *m_view = nullptr;
    QPlainTextEdit *m_details = nullptr;
    QToolButton *m_clear = nullptr;
};

}  // namespace dw
