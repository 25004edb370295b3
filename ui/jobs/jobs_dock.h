#pragma once
// The Jobs dock: every job of the session with its progress, ETA and Cancel button, and
// the details (error, log) of the selected one. A job that fails is selected and its
// error shown at once; until the user picks a job, the details follow the newest one.
#include <QDockWidget>

class QLabel;
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
    QLabel *emptyHint() const { return m_empty; }

private:
    void showDetails();
    void updateTitle();
    void followNewest(int row);

    JobListModel *m_model = nullptr;
    QListView *m_view = nullptr;
    QPlainTextEdit *m_details = nullptr;
    QToolButton *m_clear = nullptr;
    QLabel *m_empty = nullptr;
    bool m_userPicked = false;  // the user clicked a job: the details stay on it
};

}  // namespace dw
