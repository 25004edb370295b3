#include "ui/raster/raster_workspace.h"

#include "core/io/raster_reader.h"
#include "ui/icons.h"
#include "ui/message_presenter.h"
#include "ui/raster/raster_display_panel.h"
#include "ui/raster/raster_units.h"
#include "ui/raster/raster_view.h"
#include "ui/raster/raster_view_link.h"
#include "ui/raster/superres_panel.h"
#include "ui/raster/superres_runner.h"
#include "ui/workbench_context.h"

#include <QAction>
#include <QEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QLabel>
#include <QScrollArea>
#include <QSettings>
#include <QSplitter>
#include <QTimer>
#include <QToolBar>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <utility>

namespace dw {

RasterWorkspace::RasterWorkspace(WorkbenchContext &context, QWidget *parent) : Workspace(context, parent)
{
    setObjectName(QStringLiteral("rasterWorkspace"));
    auto *layout = new QHBoxLayout(this);
    auto *split = new QSplitter(Qt::Horizontal, this);
    layout->addWidget(split);

    auto *side = new QWidget;
    auto *sideLayout = new QVBoxLayout(side);
    auto *displayBox = new QGroupBox(tr("Raster"), side);
    auto *displayLayout = new QVBoxLayout(displayBox);
    m_display = new RasterDisplayPanel(displayBox);
    displayLayout->addWidget(m_display);
    sideLayout->addWidget(displayBox);
    auto *srBox = new QGroupBox(tr("Super-resolution"), side);
    auto *srLayout = new QVBoxLayout(srBox);
    m_superRes = new SuperResPanel(context, srBox);
    srLayout->addWidget(m_superRes);
    sideLayout->addWidget(srBox);
    sideLayout->addStretch(1);
    auto *scroll = new QScrollArea(split);
    scroll->setWidget(side);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setMinimumWidth(330);
    split->addWidget(scroll);

    auto *right = new QWidget(split);
    auto *rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    m_views = new QSplitter(Qt::Horizontal, right);
    m_before = new RasterView(m_views);
    m_before->setObjectName(QStringLiteral("rasterBeforeView"));
    m_after = new RasterView(m_views);
    m_after->setObjectName(QStringLiteral("rasterAfterView"));
    m_after->setCaption(tr("After"));
    m_after->hide();
    m_views->addWidget(m_before);
    m_views->addWidget(m_after);
    rightLayout->addWidget(m_views, 1);
    m_status = new QLabel(right);
    m_status->setObjectName(QStringLiteral("rasterStatus"));
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *statusRow = new QHBoxLayout;
    statusRow->addWidget(m_status, 1);
    m_zoom = new QLabel(right);
    m_zoom->setObjectName(QStringLiteral("rasterZoom"));
    statusRow->addWidget(m_zoom);
    rightLayout->addLayout(statusRow);
    connect(m_before, &RasterView::viewChanged, this,
            [this] { m_zoom->setText(tr("Zoom %1 %").arg(qRound(m_before->scale() * 100.0))); });
    split->addWidget(right);
    split->setStretchFactor(1, 1);
    split->setSizes({340, 1000});
    m_before->installEventFilter(this);

    m_toolBar = new QToolBar(tr("Raster"), this);
    m_toolBar->setObjectName(QStringLiteral("rasterToolBar"));
    m_toolBar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_open = m_toolBar->addAction(dw::icon(QStringLiteral("import")), tr("Open Raster…"), this,
                                  &RasterWorkspace::chooseRaster);
    m_open->setToolTip(tr("Open a GeoTIFF, JPEG 2000, VRT, netCDF or HDF file (or drop it on the window)"));
    m_toolBar->addSeparator();
    QAction *fit = m_toolBar->addAction(tr("Fit"), this, [this] { m_before->fit(); });
    fit->setToolTip(tr("Show the whole raster"));
    QAction *zoomIn = m_toolBar->addAction(tr("Zoom In"), this, [this] { m_before->zoomIn(); });
    QAction *zoomOut = m_toolBar->addAction(tr("Zoom Out"), this, [this] { m_before->zoomOut(); });
    m_toolBar->addSeparator();
    m_swipe = m_toolBar->addAction(tr("Swipe"));
    m_swipe->setCheckable(true);
    m_swipe->setToolTip(tr("One view with a divider: before on the left, after on the right (drag the divider)"));
    connect(m_swipe, &QAction::toggled, this, &RasterWorkspace::setSwipe);
    m_saveAs = m_toolBar->addAction(dw::icon(QStringLiteral("export")), tr("Save Result As…"), this,
                                    &RasterWorkspace::chooseSaveAs);
    m_saveAs->setToolTip(tr("Copy the super-resolved raster to another file"));
    m_needsRaster = {fit, zoomIn, zoomOut};

    connect(m_display, &RasterDisplayPanel::compositeRequested, this, &RasterWorkspace::applyComposite);
    connect(&m_loader, &QFutureWatcher<LoadedRaster>::finished, this, &RasterWorkspace::loaded);
    connect(&m_resultLoader, &QFutureWatcher<LoadedRaster>::finished, this, &RasterWorkspace::resultLoaded);
    connect(&m_stretcher, &QFutureWatcher<Stretched>::finished, this, &RasterWorkspace::compositeComputed);
    connect(m_before, &RasterView::pixelInfo, this, [this](const QString &text) {
        m_status->setText(text.isEmpty() ? QString() : tr("Before — %1").arg(text));
    });
    connect(m_after, &RasterView::pixelInfo, this, [this](const QString &text) {
        m_status->setText(text.isEmpty() ? QString() : tr("After — %1").arg(text));
    });
    for (RasterView *view : {m_before, m_after})
        connect(view, &RasterView::renderFailed, this, [this](const QString &message) { m_status->setText(message); });
    m_runner = new SuperResRunner(context, m_superRes, this);
    connect(m_superRes, &SuperResPanel::runRequested, this, [this] { superResolve(); });
    // Also in the toolbar: on a small screen the panel's button can be scrolled out of view.
    m_toolBar->insertAction(m_saveAs, m_superRes->runAction());
    connect(m_runner, &SuperResRunner::written, this, &RasterWorkspace::showResult);
    connect(m_runner, &SuperResRunner::failed, this, &RasterWorkspace::fail);
    // The typed region is drawn as it is typed, before anything runs.
    connect(m_superRes, &SuperResPanel::regionChanged, m_before, &RasterView::setOverlayRegion);
    connect(m_superRes, &SuperResPanel::regionFromViewRequested, this, [this] {
        const QRectF visible = m_before->visibleRegion();
        m_superRes->setRegion(visible.toAlignedRect().intersected(QRect(0, 0, m_info.width, m_info.height)));
    });
    updateActions();
}

RasterWorkspace::~RasterWorkspace()
{
    if (!m_after->parent())  // taken out of the splitter by swipe mode
        delete m_after;
    for (auto *watcher : {&m_loader, &m_resultLoader}) {
        watcher->disconnect(this);
        watcher->waitForFinished();
    }
    m_stretcher.disconnect(this);
    m_stretcher.waitForFinished();
}

QIcon RasterWorkspace::icon() const
{
    return dw::icon(QStringLiteral("raster"));
}
QList<QToolBar *> RasterWorkspace::toolBars() const
{
    return {m_toolBar};
}
QList<QAction *> RasterWorkspace::fileActions() const
{
    return {m_open};
}

void RasterWorkspace::saveState(QSettings &settings) const
{
    settings.setValue(QStringLiteral("stretchLow"), m_display->lowPercent());
    settings.setValue(QStringLiteral("stretchHigh"), m_display->highPercent());
}

void RasterWorkspace::restoreState(QSettings &settings)
{
    const double low = settings.value(QStringLiteral("stretchLow"), 2.0).toDouble();
    const double high = settings.value(QStringLiteral("stretchHigh"), 98.0).toDouble();
    if (low >= 0.0 && high <= 100.0 && low < high)
        m_display->setPercentiles(low, high);
}

bool RasterWorkspace::isRasterFile(const QString &path)
{
    static const QStringList suffixes{QStringLiteral("tif"), QStringLiteral("tiff"), QStringLiteral("jp2"),
                                      QStringLiteral("j2k"), QStringLiteral("vrt"),  QStringLiteral("nc"),
                                      QStringLiteral("nc4"), QStringLiteral("hdf"),  QStringLiteral("h5"),
                                      QStringLiteral("he5"), QStringLiteral("img"),  QStringLiteral("safe")};
    return suffixes.contains(QFileInfo(path).suffix().toLower());
}

QString RasterWorkspace::dropHint() const
{
    return tr("rasters (GeoTIFF, JPEG 2000, VRT, netCDF, HDF) to view and super-resolve");
}

bool RasterWorkspace::handleDrop(const QList<QUrl> &urls)
{
    if (urls.size() != 1 || !isRasterFile(urls.first().toLocalFile()))
        return false;
    context().requestWorkspace(id());
    openRaster(urls.first().toLocalFile());
    return true;
}

void RasterWorkspace::chooseRaster()
{
    auto *dialog = new QFileDialog(this, tr("Open a Raster"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setFileMode(QFileDialog::ExistingFile);
    dialog->setNameFilter(
        tr("Rasters (*.tif *.tiff *.jp2 *.j2k *.vrt *.nc *.nc4 *.hdf *.h5 *.he5 *.img *.xml);;All files (*)"));
    connect(dialog, &QFileDialog::fileSelected, this, &RasterWorkspace::openRaster);
    dialog->open();
}

void RasterWorkspace::openRaster(const QString &path)
{
    m_status->setText(tr("Opening %1…").arg(QFileInfo(path).fileName()));
    if (m_loader.isRunning()) {
        m_pendingOpen = path;  // opened when the one in flight ends (its result is dropped)
        return;
    }
    m_loader.setFuture(
        QtConcurrent::run(loadRaster, path, QList<int>{}, m_display->lowPercent(), m_display->highPercent()));
}

void RasterWorkspace::loaded()
{
    if (!m_pendingOpen.isEmpty())
        return openRaster(std::exchange(m_pendingOpen, QString()));
    LoadedRaster raster = m_loader.result();
    if (raster.isContainer())
        return chooseSubdataset(raster);
    if (!raster.error.isEmpty())
        return fail(tr("Cannot open the raster"), raster.error);
    m_info = raster.info;
    m_crs = raster.crs;
    {
        QSignalBlocker blocker(m_display);  // the composite comes computed with the raster
        m_display->setRaster(raster);
    }
    m_swipe->setChecked(false);
    delete m_link;
    m_after->setRaster(nullptr, {});
    m_after->hide();
    m_resultPath.clear();
    m_before->setCaption(tr("Before"));
    m_before->setRaster(raster.reader, raster.composite, raster.crs);
    // A subdataset chosen from a container: its siblings may hold a guide.
    m_superRes->setInput(raster.path, m_siblings.contains(raster.path) ? m_siblings : QStringList(),
                         QSize(m_info.width, m_info.height));
    m_status->setText(rasterSummaryText(m_info, m_crs));
    updateActions();
    context().setCurrentRaster(raster.path);
    Q_EMIT rasterOpened(raster.path);
}

void RasterWorkspace::chooseSubdataset(const LoadedRaster &container)
{
    QStringList items;
    for (qsizetype i = 0; i < container.info.subdatasets.size(); ++i) {
        const QString desc = container.info.subdatasetDescriptions.value(i);
        items << (desc.isEmpty() ? container.info.subdatasets[i] : desc);
    }
    auto *dialog = new QInputDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(tr("Choose a Subdataset"));
    dialog->setLabelText(
        tr("%1 holds %n raster(s); which one?", nullptr, int(items.size())).arg(QFileInfo(container.path).fileName()));
    dialog->setComboBoxItems(items);
    dialog->setComboBoxEditable(false);
    const QStringList names = container.info.subdatasets;
    connect(dialog, &QInputDialog::textValueSelected, this, [this, items, names](const QString &text) {
        const qsizetype row = items.indexOf(text);
        if (row < 0)
            return;
        m_siblings = names;
        openRaster(names[row]);
    });
    dialog->open();
}

void RasterWorkspace::applyComposite()
{
    const QList<int> bands = m_display->bands();
    if (!m_before->reader() || bands.isEmpty())
        return;
    const int request = ++m_compositeRequest;
    if (m_stretcher.isRunning())
        return;  // compositeComputed starts the latest request
    m_stretcher.setFuture(QtConcurrent::run(
        [reader = m_before->reader(), bands, low = m_display->lowPercent(), high = m_display->highPercent(), request] {
            Stretched out;
            out.request = request;
            Result<CompositeSpec> spec = computeComposite(*reader, bands, low, high);
            if (spec)
                out.composite = std::move(spec).value();
            else
                out.error = spec.error().text();
            return out;
        }));
}

void RasterWorkspace::compositeComputed()
{
    const Stretched out = m_stretcher.result();
    if (out.request != m_compositeRequest) {
        --m_compositeRequest;  // applyComposite counts it again
        return applyComposite();
    }
    if (!out.error.isEmpty())
        return fail(tr("Cannot stretch the bands"), out.error);
    m_before->setComposite(out.composite);
    // The same bands and stretch after super-resolution, so that colours compare.
    if (m_after->reader()) {
        const int bands = m_after->reader()->info().bandCount();
        if (std::all_of(out.composite.bands.begin(), out.composite.bands.end(), [bands](int b) { return b <= bands; }))
            m_after->setComposite(out.composite);
    }
    Q_EMIT compositeApplied();
}

void RasterWorkspace::showResult(const QString &path, const QRect &region)
{
    m_resultRegion = region;
    const CompositeSpec composite = m_before->composite();
    m_resultLoader.setFuture(
        QtConcurrent::run(loadRaster, path, composite.bands, composite.lowPercent, composite.highPercent));
}

void RasterWorkspace::resultLoaded()
{
    LoadedRaster raster = m_resultLoader.result();
    if (!raster.error.isEmpty() || !raster.reader)
        return fail(tr("Cannot show the result"), raster.error.isEmpty()
                                                      ? tr("%1 is a container of several rasters").arg(raster.path)
                                                      : raster.error);
    CompositeSpec composite = raster.composite;
    const CompositeSpec &before = m_before->composite();
    if (before.bands == composite.bands)
        composite.stretches = before.stretches;  // colours compare
    delete m_link;
    if (!m_swipe->isChecked())
        m_after->show();
    m_after->setRaster(raster.reader, composite, raster.crs);
    m_after->setCaption(tr("After — %1").arg(QFileInfo(raster.path).fileName()));
    m_link =
        new RasterViewLink(m_before, m_after, RasterViewMapping::forRasters(m_info, raster.info, m_resultRegion), this);
    m_link->syncSecond();
    // A result of part of the raster: both views on that part, once the splitter has laid
    // them out.
    const RasterViewMapping mapping = m_link->mapping();
    const QRectF covered(mapping.offset, QSizeF(raster.info.width, raster.info.height) / mapping.factor);
    if (!covered.contains(QRectF(0, 0, m_info.width, m_info.height)))
        QTimer::singleShot(0, m_before, [before = m_before, covered] { before->fitRegion(covered); });
    m_resultPath = raster.path;
    m_status->setText(tr("After — %1").arg(rasterSummaryText(raster.info, raster.crs)));
    updateActions();
    Q_EMIT resultShown(raster.path);
}

QString RasterWorkspace::superResolve()
{
    return m_runner->run(m_before->reader() ? m_info.path : QString());
}

void RasterWorkspace::chooseSaveAs()
{
    auto *dialog = new QFileDialog(this, tr("Save the Super-Resolved Raster"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setAcceptMode(QFileDialog::AcceptSave);
    dialog->setDefaultSuffix(QFileInfo(m_resultPath).suffix());
    dialog->selectFile(m_resultPath);
    connect(dialog, &QFileDialog::fileSelected, this, [this](const QString &file) { saveResultAs(file); });
    dialog->open();
}

QString RasterWorkspace::saveResultAs(const QString &path)
{
    return m_runner->saveAs(m_resultPath, path);
}

void RasterWorkspace::setSwipe(bool on)
{
    if (on && !m_after->reader()) {
        QSignalBlocker blocker(m_swipe);
        m_swipe->setChecked(false);
        return;
    }
    if (m_swipe->isChecked() != on) {
        m_swipe->setChecked(on);  // toggled() comes back here
        return;
    }
    m_before->setSwipePartner(on ? m_after : nullptr);
    m_before->setSwipe(on);
    if (on) {
        // Out of the splitter (which would lay it out) and hidden, the after view renders at
        // the before view's size, on the same ground, and the before view draws its picture.
        m_after->hide();
        m_after->setParent(nullptr);
        m_after->resize(m_before->size());
    } else if (!m_after->parent()) {
        m_views->addWidget(m_after);
        m_after->setVisible(m_after->reader() != nullptr);
    }
    if (m_link)
        m_link->syncSecond();
}

bool RasterWorkspace::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_before && event->type() == QEvent::Resize && m_before->isSwipe()) {
        m_after->resize(m_before->size());
        if (m_link)
            m_link->syncSecond();
    }
    return Workspace::eventFilter(watched, event);
}

void RasterWorkspace::updateActions()
{
    for (QAction *action : std::as_const(m_needsRaster))
        action->setEnabled(m_before->reader() != nullptr);
    m_swipe->setEnabled(m_after->reader() != nullptr);
    m_saveAs->setEnabled(!m_resultPath.isEmpty());
}

void RasterWorkspace::fail(const QString &title, const QString &message)
{
    m_status->setText(message);
    context().messages().error(title, message);
    Q_EMIT failed(message);
}

}  // namespace dw
