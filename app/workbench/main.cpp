// deep-workbench: the desktop application. Only assembles: the application object, the
// command line, the compute threads and the main window.
#include "core/jobs/job_manager.h"
#include "core/ml/device_service.h"
#include "core/util/heap_tuning.h"
#include "ui/main_window.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QTimer>
#include <QUrl>

int main(int argc, char **argv)
{
    dw::keepFreedMemoryForReuse();
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
    // The desktop entry's Exec=deep-workbench %F: a double-clicked module archive (.dwm) is
    // imported, as if it had been dropped on the window.
    parser.addPositionalArgument(QStringLiteral("files"),
                                 QStringLiteral("Module archives (.dwm) to import, or other files to open."),
                                 QStringLiteral("[files...]"));
    parser.process(app);

    dw::DeviceService::configureThreads();

    dw::WorkbenchOptions options;
    // Empty: the catalog decides (DEEPWB_CATALOG, else AppDataLocation/modules).
    if (parser.isSet(catalogOption))
        options.catalogDirectory = QDir(parser.value(catalogOption)).absolutePath();
    options.runsDirectory = dw::JobManager::defaultRunsDirectory();

    dw::MainWindow window(options);
    window.show();
    QList<QUrl> files;
    for (const QString &file : parser.positionalArguments())
        files << QUrl::fromUserInput(file, QDir::currentPath(), QUrl::AssumeLocalFile);
    if (!files.isEmpty())
        QTimer::singleShot(0, &window, [&window, files] { window.openDroppedUrls(files); });
    return app.exec();
}
