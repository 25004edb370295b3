#pragma once
// The left side of the Raster workspace, bottom part: super-resolution of the open raster
// with a trained module of the catalog (task "super-resolution"): the module, the output
// file (default "<name>_sr.tif" next to the input), for a guided module its guide raster (a
// finer raster of the same area; the row shows only then), an optional region (typed x,y,w,h
// or taken from the view), Run, and the running job's progress with Cancel.
#include <QRect>
#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;

namespace dw {

class WorkbenchContext;

class SuperResPanel : public QWidget {
    Q_OBJECT
public:
    explicit SuperResPanel(WorkbenchContext &context, QWidget *parent = nullptr);

    static QString task() { return QStringLiteral("super-resolution"); }
    static QString defaultOutput(const QString &input);

    void setInput(const QString &path);  // proposes the output; empty: nothing open
    QString module() const;               // the selected module's id, empty when none
    bool selectModule(const QString &id);
    QString output() const;
    void setOutput(const QString &path);
    // The selected module reads a guide raster (module.json inputs.guide); what it needs, in words.
    bool moduleIsGuided() const;
    QString guideNeeds() const;
    QString guide() const;
    void setGuide(const QString &path);
    QString region() const;               // "x,y,w,h" or empty
    void setRegion(const QRect &region);  // empty: the whole raster
    void refreshModules();

    // Shows a running job (progress 0..1, message) or, with running false, hides it.
    void showProgress(bool running, double progress = 0.0, const QString &message = {});

    QComboBox *moduleBox() const { return m_modules; }
    QPushButton *runButton() const { return m_run; }
    QPushButton *cancelButton() const { return m_cancel; }

Q_SIGNALS:
    void runRequested();
    void cancelRequested();
    void regionFromViewRequested();

private:
    void updateRun();

    WorkbenchContext &m_context;
    QString m_input;
    bool m_running = false;
    QComboBox *m_modules = nullptr;
    QLineEdit *m_output = nullptr;
    QWidget *m_guideRow = nullptr;
    QLabel *m_guideLabel = nullptr;
    QLineEdit *m_guide = nullptr;
    QLineEdit *m_region = nullptr;
    QPushButton *m_run = nullptr;
    QPushButton *m_cancel = nullptr;
    QProgressBar *m_progress = nullptr;
    QLabel *m_hint = nullptr;
};

}  // namespace dw
