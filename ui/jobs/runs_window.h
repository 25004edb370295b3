#pragma once
// The window of past runs (View › Run History): a RunsView on the job manager's run-record
// folder, read again whenever a job finishes while it is open.
#include <QDialog>

namespace dw {

class RunsView;
class WorkbenchContext;

class RunsWindow : public QDialog {
    Q_OBJECT
public:
    explicit RunsWindow(WorkbenchContext &context, QWidget *parent = nullptr);
    RunsView *view() const { return m_view; }

    // Shows the window of this parent, making it on first use.
    static RunsWindow *showFor(WorkbenchContext &context, QWidget *parent);

private:
    RunsView *m_view = nullptr;
};

}  // namespace dw
