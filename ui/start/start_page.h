#pragma once
// The start page: what a first launch offers (and Help ▸ Start Page any time) - three
// one-click tours of the demo modules and a way to train one's own. It only asks; the tours
// themselves are StartTours. Shown at start until the user unticks "Show at start".
#include <QDialog>

class QCheckBox;
class QCommandLinkButton;
class QLabel;

namespace dw {

enum class StartTour { Classify, Forecast, SuperResolve, TrainYourOwn };

class StartPage : public QDialog {
    Q_OBJECT
public:
    // demosFound: the demo modules and samples are installed (else the tours say what is missing).
    StartPage(bool demosFound, QWidget *parent = nullptr);

    // Whether a launch shows the page: true until "Show at start" was unticked (QSettings).
    static bool showAtStart();
    static void setShowAtStart(bool show);

    QCommandLinkButton *button(StartTour tour) const;
    QCheckBox *showAtStartBox() const { return m_showAtStart; }

Q_SIGNALS:
    void tourRequested(dw::StartTour tour);

private:
    QCommandLinkButton *addTour(StartTour tour, const QString &title, const QString &text);

    QList<QCommandLinkButton *> m_buttons;  // in the order of StartTour
    QCheckBox *m_showAtStart = nullptr;
    bool m_demosFound = false;
};

}  // namespace dw
