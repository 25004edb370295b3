// deep-workbench: the desktop application. Only assembles: the application object, the
// command line, the compute threads and the main window.
#include "core/jobs/job_manager.h"
#include "core/ml/device_service.h"
#include "ui/main_window.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("deep-workbench"));
    QApplication::setApplicationDisplayName(QStringLiteral("DEEP Workbench"));
    QApplication::setOrganizationName(QStringLiteral("deep-workbench"));
    QApplication::setApplicationVersion(QStringLiteral(DW_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("deep-workbench"));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("DEEP Workbench: train, re-train, use and share deep-learning models on your workstation."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption catalogOption(
        QStringLiteral("catalog"),
        QStringLiteral("The folder of your modules (default: $DEEPWB_CATALOG, else the application data folder)."),
        QStringLiteral("DIR"));
    parser.addOption(catalogOption);
    parser.process(app);

    dw::DeviceService::configureThreads();

    dw::WorkbenchOptions options;
    // Empty: the catalog decides (DEEPWB_CATALOG, else AppDataLocation/modules).
    if (parser.isSet(catalogOption))
        options.catalogDirectory = QDir(parser.value(catalogOption)).absolutePath();
    options.runsDirectory = dw::JobManager::defaultRunsDirectory();

    dw::MainWindow window(options);
    window.show();
    return app.exec();
}
