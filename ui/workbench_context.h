#pragma once
// The services every workspace shares: jobs, the catalog, messages, and the module the
// user is working with. Workspaces talk to each other only through here (a Classify
// workspace follows currentModule; a training page asks to show its new module).
#include "ui/workbench_options.h"

#include <QObject>
#include <QString>

namespace dw {

class CatalogService;
class JobManager;
class MessagePresenter;
class PrecisionSetting;

class WorkbenchContext : public QObject {
    Q_OBJECT
public:
    explicit WorkbenchContext(const WorkbenchOptions &options, QObject *parent = nullptr);
    ~WorkbenchContext() override;

    const WorkbenchOptions &options() const { return m_options; }
    JobManager &jobs() const { return *m_jobs; }
    CatalogService &catalog() const { return *m_catalog; }
    MessagePresenter &messages() const { return *m_messages; }
    // Settings ▸ Precision on the CPU: the `precision` of every job started here.
    PrecisionSetting &precision() const { return *m_precision; }

    // The module selected in the catalog (its id), empty when none.
    const QString &currentModule() const { return m_currentModule; }
    void setCurrentModule(const QString &id);

    // The device jobs that train or predict should use: "cpu" until the device is detected
    // (then "cuda:0" on a GPU machine), and the queue for it.
    const QString &device() const { return m_device; }
    void setDevice(const QString &device) { m_device = device.isEmpty() ? QStringLiteral("cpu") : device; }
    bool usesGpu() const { return m_device.startsWith(QLatin1String("cuda")); }

    // The raster open in the Raster workspace (a file or GDAL subdataset), empty when none: a
    // super-resolution training starts from it.
    const QString &currentRaster() const { return m_currentRaster; }
    void setCurrentRaster(const QString &path) { m_currentRaster = path; }

    // Asks the main window to bring a workspace forward ("catalog", "classify", ...).
    void requestWorkspace(const QString &id) { Q_EMIT workspaceRequested(id); }
    // Asks the catalog to select and show a module (after training, import, ...).
    void showModule(const QString &id);
    // A short note for the status bar ("Exported plant-classifier to ~/x.dwm").
    void showStatus(const QString &text) { Q_EMIT statusMessage(text); }

Q_SIGNALS:
    void currentModuleChanged(const QString &id);
    void workspaceRequested(const QString &id);
    void moduleRequested(const QString &id);
    void statusMessage(const QString &text);

private:
    WorkbenchOptions m_options;
    MessagePresenter *m_messages = nullptr;
    JobManager *m_jobs = nullptr;
    CatalogService *m_catalog = nullptr;
    PrecisionSetting *m_precision = nullptr;
    QString m_currentModule;
    QString m_currentRaster;
    QString m_device = QStringLiteral("cpu");
};

}  // namespace dw
