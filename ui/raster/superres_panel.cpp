#include "ui/raster/superres_panel.h"

#include "core/catalog/catalog_entry.h"
#include "core/catalog/catalog_model.h"
#include "ui/catalog/catalog_service.h"
#include "ui/raster/default_output.h"
#include "ui/raster/raster_units.h"
#include "ui/raster/region_text.h"
#include "ui/workbench_context.h"

#include <QAction>
#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalBlocker>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace dw {

SuperResPanel::SuperResPanel(WorkbenchContext &context, QWidget *parent) : QWidget(parent), m_context(context)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *form = new QFormLayout;
    m_modules = new QComboBox(this);
    m_modules->setObjectName(QStringLiteral("superResModule"));
    m_modules->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_modules->setMinimumContentsLength(16);
    connect(m_modules, &QComboBox::currentIndexChanged, this, &SuperResPanel::updateRun);
    form->addRow(tr("Module"), m_modules);

    auto *outputRow = new QHBoxLayout;
    m_output = new QLineEdit(this);
    m_output->setObjectName(QStringLiteral("superResOutput"));
    m_output->setPlaceholderText(tr("<name>_sr.tif next to the input or in Documents"));
    connect(m_output, &QLineEdit::textChanged, this, &SuperResPanel::updateRun);
    auto *browse = new QPushButton(tr("…"), this);
    browse->setToolTip(tr("Choose the raster to write"));
    browse->setMaximumWidth(32);
    connect(browse, &QPushButton::clicked, this, [this] {
        auto *dialog = new QFileDialog(this, tr("Write the Super-Resolved Raster"), output());
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->setAcceptMode(QFileDialog::AcceptSave);
        dialog->setDefaultSuffix(QStringLiteral("tif"));
        dialog->setNameFilter(tr("GeoTIFF (*.tif *.tiff)"));
        connect(dialog, &QFileDialog::fileSelected, this, &SuperResPanel::setOutput);
        dialog->open();
    });
    outputRow->addWidget(m_output, 1);
    outputRow->addWidget(browse);
    form->addRow(tr("Output"), outputRow);

    m_guideRow = new QWidget(this);
    auto *guideRow = new QHBoxLayout(m_guideRow);
    guideRow->setContentsMargins(0, 0, 0, 0);
    m_guide = new QLineEdit(m_guideRow);
    m_guide->setObjectName(QStringLiteral("superResGuide"));
    m_guide->setPlaceholderText(tr("finer raster of the same area"));
    connect(m_guide, &QLineEdit::textChanged, this, &SuperResPanel::updateRun);
    auto *browseGuide = new QPushButton(tr("…"), m_guideRow);
    browseGuide->setToolTip(tr("Choose the guide raster"));
    browseGuide->setMaximumWidth(32);
    connect(browseGuide, &QPushButton::clicked, this, [this] {
        auto *dialog = new QFileDialog(this, tr("Choose the Guide Raster"), QFileInfo(m_input).absolutePath());
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->setFileMode(QFileDialog::ExistingFile);
        dialog->setNameFilter(tr("Rasters (*.tif *.tiff *.jp2 *.vrt *.img *.nc *.hdf *.h5);;All files (*)"));
        connect(dialog, &QFileDialog::fileSelected, this, &SuperResPanel::setGuide);
        dialog->open();
    });
    guideRow->addWidget(m_guide, 1);
    guideRow->addWidget(browseGuide);
    m_guideLabel = new QLabel(tr("Guide"), this);
    form->addRow(m_guideLabel, m_guideRow);

    auto *regionRow = new QHBoxLayout;
    m_region = new QLineEdit(this);
    m_region->setObjectName(QStringLiteral("superResRegion"));
    m_region->setPlaceholderText(tr("whole raster (or x,y,width,height)"));
    m_region->setToolTip(tr("Only this region, in pixels of the input: x,y,width,height (drawn on the view)"));
    connect(m_region, &QLineEdit::textChanged, this, &SuperResPanel::checkRegion);
    auto *fromView = new QPushButton(tr("From View"), this);
    fromView->setToolTip(tr("The part of the raster the view shows now"));
    connect(fromView, &QPushButton::clicked, this, &SuperResPanel::regionFromViewRequested);
    regionRow->addWidget(m_region, 1);
    regionRow->addWidget(fromView);
    form->addRow(tr("Region"), regionRow);
    m_regionNote = new QLabel(this);
    m_regionNote->setObjectName(QStringLiteral("superResRegionNote"));
    m_regionNote->setWordWrap(true);
    m_regionNote->hide();
    form->addRow(QString(), m_regionNote);
    layout->addLayout(form);

    auto *buttons = new QHBoxLayout;
    m_run = new QPushButton(tr("Super-Resolve"), this);
    m_run->setObjectName(QStringLiteral("superResRun"));
    connect(m_run, &QPushButton::clicked, this, &SuperResPanel::runRequested);
    m_runAction = new QAction(tr("Super-Resolve"), this);
    m_runAction->setObjectName(QStringLiteral("superResRunAction"));
    m_runAction->setToolTip(tr("Super-resolve the raster (or the region) with the chosen module"));
    m_runAction->setEnabled(false);
    connect(m_runAction, &QAction::triggered, this, &SuperResPanel::runRequested);
    m_cancel = new QPushButton(tr("Cancel"), this);
    m_cancel->setObjectName(QStringLiteral("superResCancel"));
    m_cancel->hide();
    connect(m_cancel, &QPushButton::clicked, this, &SuperResPanel::cancelRequested);
    buttons->addWidget(m_run);
    buttons->addWidget(m_cancel);
    buttons->addStretch(1);
    layout->addLayout(buttons);
    m_progress = new QProgressBar(this);
    m_progress->setObjectName(QStringLiteral("superResProgress"));
    m_progress->setRange(0, 1000);
    m_progress->hide();
    layout->addWidget(m_progress);
    m_hint = new QLabel(this);
    m_hint->setWordWrap(true);
    layout->addWidget(m_hint);

    connect(&m_finder, &QFutureWatcher<QList<GuideCandidate>>::finished, this, [this] {
        if (m_searchedInput != m_input)
            return;  // another raster was opened meanwhile
        m_candidates = m_finder.result();
        proposeGuide();
        Q_EMIT guideCandidatesFound();
    });
    connect(&context.catalog(), &CatalogService::scanFinished, this, [this] { refreshModules(); });
    connect(&context, &WorkbenchContext::currentModuleChanged, this, [this](const QString &id) { selectModule(id); });
    refreshModules();
}

QString SuperResPanel::defaultOutput(const QString &input)
{
    // Next to the input, unless the user may not write there (a read-only or shared data set).
    return chooseDefaultOutput(
        input, userOutputFolder(), [](const QString &folder) { return QFileInfo(folder).isWritable(); },
        [](const QString &path) { return QFileInfo::exists(path); });
}

void SuperResPanel::setInput(const QString &path, const QStringList &siblings, QSize rasterSize)
{
    m_input = path;
    m_rasterSize = rasterSize;
    m_candidates.clear();
    if (!siblings.isEmpty()) {
        m_searchedInput = path;
        m_finder.setFuture(QtConcurrent::run(findGuideCandidates, path, siblings));
    }
    m_output->setText(path.isEmpty() ? QString() : defaultOutput(path));
    m_region->clear();
    checkRegion();     // a text that was already empty says nothing
    m_guide->clear();  // a guide belongs to one raster
    updateRun();
}

void SuperResPanel::refreshModules()
{
    const QString keep = module();
    QSignalBlocker blocker(m_modules);
    m_modules->clear();
    for (const CatalogEntry &entry : m_context.catalog().model()->entries()) {
        if (entry.manifest.task != task() || entry.manifest.isTemplate() || !entry.isValid())
            continue;
        m_modules->addItem(QStringLiteral("%1 (%2)").arg(entry.manifest.title, entry.id()), entry.id());
        m_modules->setItemData(m_modules->count() - 1, entry.manifest.summary, Qt::ToolTipRole);
    }
    const int row = m_modules->findData(keep.isEmpty() ? m_context.currentModule() : keep);
    m_modules->setCurrentIndex(row >= 0 ? row : (m_modules->count() > 0 ? 0 : -1));
    blocker.unblock();
    updateRun();
}

bool SuperResPanel::selectModule(const QString &id)
{
    const int row = m_modules->findData(id);
    if (row >= 0)
        m_modules->setCurrentIndex(row);
    return row >= 0;
}

QString SuperResPanel::module() const
{
    return m_modules->currentData().toString();
}

bool SuperResPanel::moduleIsGuided() const
{
    const CatalogEntry *entry = m_context.catalog().find(module());
    return entry && entry->manifest.inputs.contains(QStringLiteral("guide"));
}

QString SuperResPanel::guideNeeds() const
{
    const CatalogEntry *entry = m_context.catalog().find(module());
    if (!entry)
        return {};
    const QJsonObject guide = entry->manifest.inputs.value(QStringLiteral("guide")).toObject();
    QStringList bands;
    for (const QJsonValue &band : guide.value(QStringLiteral("bands")).toArray())
        bands << band.toString();
    return tr("a raster of the same area %1 times finer with the bands %2")
        .arg(entry->manifest.inputs.value(QStringLiteral("scale")).toInt())
        .arg(bands.join(QStringLiteral(", ")));
}

QString SuperResPanel::guide() const
{
    return m_guide->text().trimmed();
}
void SuperResPanel::setGuide(const QString &path)
{
    m_guide->setText(path);
}
QString SuperResPanel::output() const
{
    return m_output->text().trimmed();
}
void SuperResPanel::setOutput(const QString &path)
{
    m_output->setText(path);
}
QString SuperResPanel::region() const
{
    return m_region->text().trimmed();
}

void SuperResPanel::setRegion(const QRect &region)
{
    m_region->setText(
        region.isEmpty()
            ? QString()
            : QStringLiteral("%1,%2,%3,%4").arg(region.x()).arg(region.y()).arg(region.width()).arg(region.height()));
}

QRect SuperResPanel::regionRect() const
{
    return m_regionRect;
}

QString SuperResPanel::regionError() const
{
    return m_regionError;
}

void SuperResPanel::checkRegion()
{
    const ParsedRegion parsed = parseRegionText(m_region->text(), m_rasterSize);
    m_regionError = parsed.error;
    if (!parsed.ok())
        m_regionNote->setText(parsed.error);
    else if (!parsed.rect.isEmpty())
        m_regionNote->setText(tr("%1 from col %2, row %3, drawn on the view.")
                                  .arg(pixelCountText(parsed.rect.width(), parsed.rect.height()))
                                  .arg(parsed.rect.x())
                                  .arg(parsed.rect.y()));
    m_regionNote->setVisible(!parsed.ok() || !parsed.rect.isEmpty());
    m_regionNote->setStyleSheet(parsed.ok() ? QString() : QStringLiteral("color: #c62828;"));
    if (parsed.rect != m_regionRect) {
        m_regionRect = parsed.rect;
        Q_EMIT regionChanged(m_regionRect);
    }
    updateRun();
}

void SuperResPanel::showProgress(bool running, double progress, const QString &message)
{
    m_running = running;
    m_progress->setVisible(running);
    m_cancel->setVisible(running);
    if (running) {
        m_progress->setValue(int(progress * 1000.0));
        QString text = message.isEmpty() ? tr("Super-resolving…") : message;
        m_progress->setFormat(text.replace(QLatin1Char('%'), QStringLiteral("%%")));
    }
    updateRun();
}

void SuperResPanel::proposeGuide()
{
    const CatalogEntry *entry = m_context.catalog().find(module());
    if (!entry || !moduleIsGuided() || !guide().isEmpty())
        return;
    const QJsonObject inputs = entry->manifest.inputs;
    const QString name =
        chooseGuide(m_candidates, inputs.value(QStringLiteral("scale")).toInt(),
                    inputs.value(QStringLiteral("guide")).toObject().value(QStringLiteral("band_count")).toInt());
    if (!name.isEmpty())
        setGuide(name);
}

void SuperResPanel::updateRun()
{
    proposeGuide();
    const bool hasModule = !module().isEmpty();
    const bool guided = moduleIsGuided();
    m_guideLabel->setVisible(guided);
    m_guideRow->setVisible(guided);
    if (guided)
        m_guide->setToolTip(tr("This module is guided: it needs %1 (e.g. Sentinel-2's 10 m bands for its 20 m ones).")
                                .arg(guideNeeds()));
    m_run->setEnabled(!m_running && hasModule && !m_input.isEmpty() && !output().isEmpty() && m_regionError.isEmpty());
    m_runAction->setEnabled(m_run->isEnabled());
    if (m_modules->count() == 0)
        m_hint->setText(tr("No trained super-resolution module in the catalog yet: train one on this raster in "
                           "the Train workspace (Task: super-resolution, New Module), or import a .dwm archive "
                           "with File ▸ Import."));
    else if (m_input.isEmpty())
        m_hint->setText(tr("Open a raster to super-resolve it."));
    else if (guided && guide().isEmpty())
        m_hint->setText(tr("This module is guided: choose its guide, %1.").arg(guideNeeds()));
    else
        m_hint->setText(tr("The module's scale sets the output's pixel size; the output opens beside the input."));
}

}  // namespace dw
