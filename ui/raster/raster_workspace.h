#pragma once
// Raster: a satellite image (or any raster GDAL opens) as an RGB composite with a percentile
// stretch, zoom and pan, and super-resolution by a trained module of the catalog as a job,
// the result beside the input with synchronised zoom and pan (or one view with a swipe
// divider), and Save As. Opening, stretching and rendering run off the GUI thread;
// super-resolution goes through the task plugin's interface, as the CLI does.
#include "ui/raster/raster_loader.h"
#include "ui/raster/raster_view_link.h"
#include "ui/workspace.h"

#include <QFutureWatcher>
#include <QPointer>
#include <QRect>

class QAction;
class QLabel;
class QSplitter;
class QToolBar;

namespace dw {

class RasterDisplayPanel;
class RasterView;
class SuperResPanel;
class SuperResRunner;

class RasterWorkspace : public Workspace {
    Q_OBJECT
public:
    explicit RasterWorkspace(WorkbenchContext &context, QWidget *parent = nullptr);
    ~RasterWorkspace() override;

    QString id() const override { return QStringLiteral("raster"); }
    QString title() const override { return tr("Raster"); }
    QIcon icon() const override;
    QString description() const override { return tr("View satellite rasters and super-resolve them"); }
    QList<QToolBar *> toolBars() const override;
    QList<QAction *> fileActions() const override;
    bool handleDrop(const QList<QUrl> &urls) override;
    QString dropHint() const override;
    void saveState(QSettings &settings) const override;  // the stretch percentiles
    void restoreState(QSettings &settings) override;
    static bool isRasterFile(const QString &path);

    // Opens a file or subdataset in the before view (rasterOpened or failed follow).
    void openRaster(const QString &path);
    // Shows a raster beside the open one (the after view), linked to it; region: the part of
    // the open raster it covers (empty: all, or what the geotransforms say).
    void showResult(const QString &path, const QRect &region = {});
    // Super-resolves the open raster with the module chosen in the panel; the job id, or
    // empty after a message saying why not (or while asking whether to replace the output).
    QString superResolve();
    // Copies the result to path (a temporary file renamed when complete); the job id.
    QString saveResultAs(const QString &path);
    void setSwipe(bool on);

    RasterView *beforeView() const { return m_before; }
    RasterView *afterView() const { return m_after; }
    RasterDisplayPanel *displayPanel() const { return m_display; }
    SuperResPanel *superResPanel() const { return m_superRes; }
    RasterViewLink *link() const { return m_link; }
    const RasterInfo &info() const { return m_info; }
    const QString &resultPath() const { return m_resultPath; }
    QLabel *statusLabel() const { return m_status; }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

Q_SIGNALS:
    void rasterOpened(const QString &path);
    void resultShown(const QString &path);
    void compositeApplied();
    void failed(const QString &message);

private:
    void chooseRaster();
    void chooseSubdataset(const LoadedRaster &container);
    void loaded();
    void resultLoaded();
    void applyComposite();
    void compositeComputed();
    void chooseSaveAs();
    void updateActions();
    void fail(const QString &title, const QString &message);

    QToolBar *m_toolBar = nullptr;
    QAction *m_open = nullptr;
    QAction *m_swipe = nullptr;
    QAction *m_saveAs = nullptr;
    QList<QAction *> m_needsRaster;
    QSplitter *m_views = nullptr;
    RasterView *m_before = nullptr;
    RasterView *m_after = nullptr;
    QPointer<RasterViewLink> m_link;
    RasterDisplayPanel *m_display = nullptr;
    SuperResPanel *m_superRes = nullptr;
    SuperResRunner *m_runner = nullptr;
    QLabel *m_status = nullptr;
    QLabel *m_zoom = nullptr;

    RasterInfo m_info;     // of the open raster
    CrsUnits m_crs;        // its map coordinates' name and unit
    QString m_resultPath;  // the after view's raster
    QRect m_resultRegion;
    QString m_pendingOpen;   // asked for while another raster was being opened
    QStringList m_siblings;  // the subdatasets of the container last chosen from
    QFutureWatcher<LoadedRaster> m_loader;
    QFutureWatcher<LoadedRaster> m_resultLoader;
    struct Stretched {
        CompositeSpec composite;
        QString error;
        int request = 0;
    };
    QFutureWatcher<Stretched> m_stretcher;
    int m_compositeRequest = 0;
};

}  // namespace dw
