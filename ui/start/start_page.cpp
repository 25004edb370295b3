#include "ui/start/start_page.h"

#include <QCheckBox>
#include <QCommandLinkButton>
#include <QDialogButtonBox>
#include <QLabel>
#include <QSettings>
#include <QVBoxLayout>

namespace dw {

namespace {
const QString kShowKey = QStringLiteral("start/showAtStart");
}

StartPage::StartPage(bool demosFound, QWidget *parent) : QDialog(parent), m_demosFound(demosFound)
{
    setObjectName(QStringLiteral("startPage"));
    setWindowTitle(tr("Welcome to DEEP Workbench"));
    auto *layout = new QVBoxLayout(this);
    auto *heading = new QLabel(tr("<h2>Welcome to DEEP Workbench</h2>"
                                  "<p>Try a trained model in one click: each tour opens a workspace with a demo "
                                  "module and a sample, and shows the result. Nothing is downloaded.</p>"),
                               this);
    heading->setWordWrap(true);
    layout->addWidget(heading);
    addTour(StartTour::Classify, tr("Classify these images"),
            tr("Drops 80 Fashion-MNIST test pictures on the demo classifier and shows what it sees, with "
               "Grad-CAM heat maps."));
    addTour(StartTour::Forecast, tr("Forecast sunspots"),
            tr("Opens 265 years of monthly sunspot numbers and forecasts them with the demo forecaster, "
               "unusual months flagged."));
    addTour(StartTour::SuperResolve, tr("Super-resolve a Landsat scene"),
            tr("Doubles the resolution of a Landsat 7 strip with the demo module, before and after side by "
               "side."));
    addTour(StartTour::TrainYourOwn, tr("Train your own"),
            tr("Opens the Train workspace with a small sample folder of pictures (a folder per class) "
               "filled in: press Train (under its Parameters), then try your own folder."));
    for (QCommandLinkButton *button : std::as_const(m_buttons))
        layout->addWidget(button);
    if (!m_demosFound) {
        auto *missing = new QLabel(tr("<p style=\"color:#b26a00;\">The demo modules and samples are not installed "
                                      "with this copy of the workbench (share/deep-workbench/demo-modules), so "
                                      "the tours are off. Install the package, or run from the source tree.</p>"),
                                   this);
        missing->setObjectName(QStringLiteral("demosMissing"));
        missing->setWordWrap(true);
        layout->addWidget(missing);
        for (QCommandLinkButton *button : std::as_const(m_buttons))
            button->setEnabled(false);
    }
    layout->addStretch();
    auto *bottom = new QHBoxLayout;
    m_showAtStart = new QCheckBox(tr("Show this page at start (also in Help ▸ Start Page)"), this);
    m_showAtStart->setChecked(showAtStart());
    connect(m_showAtStart, &QCheckBox::toggled, this, &StartPage::setShowAtStart);
    bottom->addWidget(m_showAtStart);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    bottom->addWidget(buttons);
    layout->addLayout(bottom);
    setMinimumWidth(560);
}

QCommandLinkButton *StartPage::addTour(StartTour tour, const QString &title, const QString &text)
{
    auto *button = new QCommandLinkButton(title, text, this);
    button->setObjectName(QStringLiteral("tour%1").arg(int(tour)));
    connect(button, &QCommandLinkButton::clicked, this, [this, tour] {
        Q_EMIT tourRequested(tour);
        accept();
    });
    m_buttons.append(button);
    return button;
}

QCommandLinkButton *StartPage::button(StartTour tour) const
{
    return m_buttons.value(int(tour));
}

bool StartPage::showAtStart()
{
    return QSettings().value(kShowKey, true).toBool();
}

void StartPage::setShowAtStart(bool show)
{
    QSettings().setValue(kShowKey, show);
}

}  // namespace dw
