#pragma once
// The start page's tours (ui/start/start_page.h): each opens the real workspace with a demo
// module and a sample (core/catalog/demo_modules.h) and runs it, as a user would by hand;
// tourShown when the workspace shows the result. "Train your own" fills the Train form on the
// sample pictures and leaves Start to the user.
#include "ui/start/start_page.h"

#include <QObject>
#include <QString>

#include <functional>

namespace dw {

class MainWindow;

class StartTours : public QObject {
    Q_OBJECT
public:
    explicit StartTours(MainWindow &window);

    static QString classifierId() { return QStringLiteral("fashion-mnist-demo"); }
    static QString forecasterId() { return QStringLiteral("sunspots-demo"); }
    static QString superResolutionId() { return QStringLiteral("landsat-x2-demo"); }
    // A file or folder among the samples; empty when the samples are not installed.
    static QString sample(const QString &name);
    // Where the super-resolution tour writes its result (the samples may be read-only).
    static QString resultFolder();

    // Starts a tour; false (after tourFailed with the reason, also shown to the user) when it
    // cannot start.
    bool run(dw::StartTour tour);

Q_SIGNALS:
    void tourShown(dw::StartTour tour);  // the workspace shows the tour's result
    void tourFailed(dw::StartTour tour, const QString &message);

private:
    bool classify();
    bool forecast();
    bool superResolve();
    bool trainYourOwn();
    bool fail(StartTour tour, const QString &message);
    // Waits for the first of a success and a failure signal, then forgets both.
    template <typename Sender, typename Done, typename Failed>
    void waitFor(StartTour tour, Sender *sender, Done done, Failed failed, std::function<void()> next = {});

    MainWindow &m_window;
};

}  // namespace dw
