#pragma once
// The left side of the Raster workspace, bottom part: super-resolution of the open raster
// with a trained module of the catalog (task "super-resolution"): the module, the output
// file (default "<name>_sr.tif" next to the input when its folder is writable, else in the
// user's Documents, never an existing file: see default_output.h), for a guided module its guide raster (a
// finer raster of the same area; the row shows only then, filled in from the raster's sibling
// subdatasets when one fits, e.g. a Sentinel-2 product's 10 m group for its 20 m group), an
// optional region (typed x,y,w,h or taken from the view; checked as it is typed, what is wrong
// said under it, and announced by regionChanged so that the view draws it before anything
// runs), Run, and the running job's progress with Cancel.
#include "ui/raster/guide_candidates.h"

#include <QFutureWatcher>
#include <QRect>
#include <QSize>
#include <QStringList>
#include <QWidget>

class QAction;
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

    // Proposes the output; empty: nothing open. siblings: the other subdatasets of the container
    // the raster was chosen from, searched (off the GUI thread) for a guide. rasterSize: the
    // input's, which a typed region must fit in.
    void setInput(const QString &path, const QStringList &siblings = {}, QSize rasterSize = {});
    QString module() const;  // the selected module's id, empty when none
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
    QRect regionRect() const;             // the typed region; empty for the whole raster or a wrong text
    QString regionError() const;          // why the typed text is no region of the input; empty when fine
    void refreshModules();

    // Shows a running job (progress 0..1, message) or, with running false, hides it.
    void showProgress(bool running, double progress = 0.0, const QString &message = {});

    QComboBox *moduleBox() const { return m_modules; }
    QPushButton *runButton() const { return m_run; }
    // The same command for a toolbar, enabled with the button (the panel may be scrolled).
    QAction *runAction() const { return m_runAction; }
    QPushButton *cancelButton() const { return m_cancel; }
    QLineEdit *regionEdit() const { return m_region; }
    QLabel *regionNote() const { return m_regionNote; }

    // The siblings that could guide the open raster, once searched.
    const QList<GuideCandidate> &guideCandidates() const { return m_candidates; }

Q_SIGNALS:
    void runRequested();
    void guideCandidatesFound();
    void cancelRequested();
    void regionFromViewRequested();
    void regionChanged(const QRect &region);  // as typed; empty: the whole raster or a wrong text

private:
    void updateRun();
    void proposeGuide();
    void checkRegion();

    WorkbenchContext &m_context;
    QString m_input;
    QSize m_rasterSize;
    QRect m_regionRect;
    QString m_regionError;
    QList<GuideCandidate> m_candidates;
    QFutureWatcher<QList<GuideCandidate>> m_finder;
    QString m_searchedInput;  // the input m_finder searches for
    bool m_running = false;
    QComboBox *m_modules = nullptr;
    QLineEdit *m_output = nullptr;
    QWidget *m_guideRow = nullptr;
    QLabel *m_guideLabel = nullptr;
    QLineEdit *m_guide = nullptr;
    QLineEdit *m_region = nullptr;
    QLabel *m_regionNote = nullptr;
    QPushButton *m_run = nullptr;
    QAction *m_runAction = nullptr;
    QPushButton *m_cancel = nullptr;
    QProgressBar *m_progress = nullptr;
    QLabel *m_hint = nullptr;
};

}  // namespace dw
