#include "ui/start/start_tours.h"

#include "core/catalog/demo_modules.h"
#include "ui/catalog/catalog_service.h"
#include "ui/imageclass/classify_workspace.h"
#include "ui/main_window.h"
#include "ui/message_presenter.h"
#include "ui/raster/raster_workspace.h"
#include "ui/raster/superres_panel.h"
#include "ui/timeseries/forecast_page.h"
#include "ui/timeseries/timeseries_workspace.h"
#include "ui/training/dataset_page.h"
#include "ui/training/schema_form.h"
#include "ui/training/training_workspace.h"
#include "ui/workbench_context.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>
#include <QTabWidget>

#include <memory>

namespace dw {

namespace {
const QString kFashion = QStringLiteral("fashion-mnist");
const QString kSunspots = QStringLiteral("sunspot_month.csv");
const QString kLandsat = QStringLiteral("landsat7-held-out-rows.tif");

QString tourTitle(StartTour tour)
{
    switch (tour) {
    case StartTour::Classify:
        return StartTours::tr("Classify these images");
    case StartTour::Forecast:
        return StartTours::tr("Forecast sunspots");
    case StartTour::SuperResolve:
        return StartTours::tr("Super-resolve a Landsat scene");
    case StartTour::TrainYourOwn:
        return StartTours::tr("Train your own");
    }
    return {};
}
}  // namespace

StartTours::StartTours(MainWindow &window) : QObject(&window), m_window(window)
{}

QString StartTours::sample(const QString &name)
{
    const QString folder = demoSamplesDirectory();
    if (folder.isEmpty())
        return {};
    const QString path = QDir(folder).filePath(name);
    return QFileInfo::exists(path) ? path : QString();
}

QString StartTours::resultFolder()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation) + QStringLiteral("/tours");
}

bool StartTours::run(StartTour tour)
{
    switch (tour) {
    case StartTour::Classify:
        return classify();
    case StartTour::Forecast:
        return forecast();
    case StartTour::SuperResolve:
        return superResolve();
    case StartTour::TrainYourOwn:
        return trainYourOwn();
    }
    return false;
}

bool StartTours::fail(StartTour tour, const QString &message)
{
    m_window.context().messages().warning(tourTitle(tour), message);
    Q_EMIT tourFailed(tour, message);
    return false;
}

template <typename Sender, typename Done, typename Failed>
void StartTours::waitFor(StartTour tour, Sender *sender, Done done, Failed failed, std::function<void()> next)
{
    auto connections = std::make_shared<std::pair<QMetaObject::Connection, QMetaObject::Connection>>();
    auto forget = [connections] {
        QObject::disconnect(connections->first);
        QObject::disconnect(connections->second);
    };
    connections->first = connect(sender, done, this, [this, tour, forget, next] {
        forget();
        if (next)
            next();
        else
            Q_EMIT tourShown(tour);
    });
    connections->second = connect(sender, failed, this, [this, tour, forget](const QString &message) {
        forget();
        Q_EMIT tourFailed(tour, message);  // the workspace has shown the message
    });
}

bool StartTours::classify()
{
    const StartTour tour = StartTour::Classify;
    const QString pictures = sample(kFashion);
    auto *workspace = qobject_cast<ClassifyWorkspace *>(m_window.workspace(QStringLiteral("classify")));
    if (pictures.isEmpty() || !workspace || !m_window.context().catalog().find(classifierId()))
        return fail(tour, tr("The demo classifier or its sample pictures are not installed with this copy of the "
                             "workbench."));
    m_window.context().setCurrentModule(classifierId());
    m_window.setCurrentWorkspace(workspace->id());
    waitFor(tour, workspace, &ClassifyWorkspace::predictionsReady, &ClassifyWorkspace::failed);
    if (workspace->classify({pictures}).isEmpty())
        return fail(tour, tr("The demo classifier could not start (see the message before)."));
    return true;
}

bool StartTours::forecast()
{
    const StartTour tour = StartTour::Forecast;
    const QString csv = sample(kSunspots);
    auto *workspace = qobject_cast<TimeSeriesWorkspace *>(m_window.workspace(QStringLiteral("timeseries")));
    if (csv.isEmpty() || !workspace || !m_window.context().catalog().find(forecasterId()))
        return fail(tour, tr("The demo forecaster or its sample CSV is not installed with this copy of the "
                             "workbench."));
    m_window.setCurrentWorkspace(workspace->id());
    // Once the CSV is read: the demo forecaster on the Results tab, and its forecast.
    waitFor(tour, workspace, &TimeSeriesWorkspace::csvLoaded, &TimeSeriesWorkspace::csvFailed, [this, workspace] {
        ForecastPage *page = workspace->forecastPage();
        page->refreshModules(forecasterId());
        if (page->selectedModule() != forecasterId() && !page->selectModule(forecasterId())) {
            fail(StartTour::Forecast, tr("The demo forecaster cannot forecast this CSV."));
            return;
        }
        workspace->tabs()->setCurrentWidget(page);
        waitFor(StartTour::Forecast, page, &ForecastPage::forecastShown, &ForecastPage::failed);
        if (page->forecast().isEmpty())
            fail(StartTour::Forecast, tr("The forecast could not start (see the message before)."));
    });
    workspace->openCsv(csv);
    return true;
}

bool StartTours::superResolve()
{
    const StartTour tour = StartTour::SuperResolve;
    const QString raster = sample(kLandsat);
    auto *workspace = qobject_cast<RasterWorkspace *>(m_window.workspace(QStringLiteral("raster")));
    if (raster.isEmpty() || !workspace || !m_window.context().catalog().find(superResolutionId()))
        return fail(tour, tr("The demo super-resolution module or its sample raster is not installed with this copy "
                             "of the workbench."));
    if (!QDir().mkpath(resultFolder()))
        return fail(tour, tr("Cannot create the folder %1 for the result.").arg(resultFolder()));
    m_window.setCurrentWorkspace(workspace->id());
    waitFor(tour, workspace, &RasterWorkspace::rasterOpened, &RasterWorkspace::failed, [this, workspace] {
        SuperResPanel *panel = workspace->superResPanel();
        panel->refreshModules();
        if (!panel->selectModule(superResolutionId())) {
            fail(StartTour::SuperResolve, tr("The demo super-resolution module is not offered for this raster."));
            return;
        }
        // The tour's own result from an earlier run is replaced without asking.
        const QString output = QDir(resultFolder()).filePath(QStringLiteral("landsat7-held-out-rows_x2.tif"));
        QFile::remove(output);
        panel->setOutput(output);
        waitFor(StartTour::SuperResolve, workspace, &RasterWorkspace::resultShown, &RasterWorkspace::failed);
        if (workspace->superResolve().isEmpty())
            fail(StartTour::SuperResolve, tr("The super-resolution could not start (see the message before)."));
    });
    workspace->openRaster(raster);
    return true;
}

bool StartTours::trainYourOwn()
{
    const StartTour tour = StartTour::TrainYourOwn;
    const QString pictures = sample(kFashion);
    auto *workspace = qobject_cast<TrainingWorkspace *>(m_window.workspace(QStringLiteral("train")));
    if (pictures.isEmpty() || !workspace)
        return fail(tour, tr("The sample pictures are not installed with this copy of the workbench."));
    m_window.setCurrentWorkspace(workspace->id());
    if (!workspace->newModule(QStringLiteral("image-classification")))
        return fail(tour, tr("The image-classification plugin is not loaded; see Help ▸ About."));
    workspace->datasetPage()->setPath(pictures);
    SchemaForm *form = workspace->form();
    form->setValue(QStringLiteral("data"), pictures);
    form->setValue(QStringLiteral("arch"), QStringLiteral("smallcnn"));
    form->setValue(QStringLiteral("epochs"), 10);
    form->setValue(QStringLiteral("name"), QStringLiteral("My first classifier"));
    m_window.context().showStatus(tr("The form is filled in with 80 sample pictures of clothes: press Train (under "
                                     "Parameters) to train a small classifier."));
    Q_EMIT tourShown(tour);
    return true;
}

}  // namespace dw
