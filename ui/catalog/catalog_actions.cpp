#include "ui/catalog/catalog_actions.h"

#include "core/catalog/catalog_entry.h"
#include "core/io/torch_file_kind.h"
#include "ui/catalog/catalog_service.h"
#include "ui/catalog/export_onnx_dialog.h"
#include "ui/catalog/import_model_dialog.h"
#include "ui/catalog/weights_dialog.h"
#include "ui/icons.h"
#include "ui/message_presenter.h"
#include "ui/recent_folders.h"
#include "ui/workbench_context.h"

#include <QAction>
#include <QDesktopServices>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QJsonObject>
#include <QUrl>
#include <QtConcurrent/QtConcurrentRun>

namespace dw {

CatalogActions::CatalogActions(WorkbenchContext &context, QWidget *dialogParent)
    : QObject(dialogParent), m_context(context), m_dialogParent(dialogParent)
{
    m_import = new QAction(icon(QStringLiteral("import")), tr("&Import Module Archive…"), this);
    m_import->setShortcut(QKeySequence::Open);
    m_import->setToolTip(tr("Add a module to the catalog from an archive file (.dwm); you can also drop the file on "
                            "the window"));
    m_import->setIconText(tr("Import"));
    m_export = new QAction(icon(QStringLiteral("export")), tr("&Export Module…"), this);
    m_export->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    m_export->setToolTip(tr("Save the selected module as one archive file to share it"));
    m_export->setIconText(tr("Export"));
    m_exportOnnx = new QAction(icon(QStringLiteral("export")), tr("Export as &ONNX…"), this);
    m_exportOnnx->setObjectName(QStringLiteral("exportOnnxAction"));
    m_exportOnnx->setIconText(tr("ONNX"));
    m_delete = new QAction(icon(QStringLiteral("delete")), tr("&Delete Module"), this);
    m_delete->setShortcut(QKeySequence::Delete);
    m_delete->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_delete->setToolTip(tr("Delete the selected module from your catalog (built-in modules cannot be deleted)"));
    m_delete->setIconText(tr("Delete"));
    m_refresh = new QAction(icon(QStringLiteral("refresh")), tr("&Refresh Catalog"), this);
    m_refresh->setShortcut(QKeySequence::Refresh);
    m_refresh->setToolTip(tr("Read the catalog folder again"));
    m_refresh->setIconText(tr("Refresh"));
    m_reveal = new QAction(icon(QStringLiteral("folder")), tr("Re&veal Catalog Folder"), this);
    m_reveal->setToolTip(tr("Open the folder that holds your modules in the file manager"));
    m_reveal->setIconText(tr("Folder"));

    m_importModel = new QAction(icon(QStringLiteral("import")), tr("Import &TorchScript Model…"), this);
    m_importModel->setToolTip(tr("Add a model scripted in PyTorch (torch.jit.save) to the catalog: a classifier or a "
                                 "super-resolution network; you can also drop the .pt file on the window"));
    m_importWeights = new QAction(icon(QStringLiteral("import")), tr("Import Pretrained &Weights…"), this);
    m_importWeights->setToolTip(
        tr("Add torchvision ImageNet weights (.pth) downloaded by hand to the weights cache, "
           "so that trainings can start from them offline; you can also drop the file on the window"));

    m_weights = new QAction(icon(QStringLiteral("folder")), tr("Pretrained &Weights…"), this);
    m_weights->setToolTip(
        tr("torchvision's ImageNet weights: which are in the cache, download, import, remove, and the "
           "server they come from"));

    connect(m_import, &QAction::triggered, this, &CatalogActions::chooseImport);
    connect(m_weights, &QAction::triggered, this, [this] {
        auto *dialog = new WeightsDialog(m_context, m_dialogParent);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->open();
    });
    connect(m_importModel, &QAction::triggered, this, [this] { chooseTorchFiles(true); });
    connect(m_importWeights, &QAction::triggered, this, [this] { chooseTorchFiles(false); });
    connect(m_export, &QAction::triggered, this, &CatalogActions::chooseExport);
    connect(m_exportOnnx, &QAction::triggered, this, &CatalogActions::chooseExportOnnx);
    connect(m_delete, &QAction::triggered, this, [this] { deleteModule(m_context.currentModule()); });
    connect(m_refresh, &QAction::triggered, this, [this] { m_context.catalog().rescan(); });
    connect(m_reveal, &QAction::triggered, this, &CatalogActions::reveal);

    CatalogService &catalog = m_context.catalog();
    connect(&m_context, &WorkbenchContext::currentModuleChanged, this, &CatalogActions::updateEnabled);
    connect(&catalog, &CatalogService::scanFinished, this, &CatalogActions::updateEnabled);
    connect(&catalog, &CatalogService::moduleExported, this, [this](const QString &id, const QString &file) {
        m_context.showStatus(tr("Exported %1 to %2").arg(id, QDir::toNativeSeparators(file)));
    });
    connect(&catalog, &CatalogService::moduleExportedAsOnnx, this,
            [this](const QString &id, const QString &file, const QJsonObject &summary) {
                m_context.showStatus(tr("Exported %1 to %2 (ONNX opset %3, %4 nodes)")
                                         .arg(id, QDir::toNativeSeparators(file))
                                         .arg(summary.value(QStringLiteral("opset")).toInteger())
                                         .arg(summary.value(QStringLiteral("nodes")).toInteger()));
            });
    connect(&catalog, &CatalogService::moduleImported, this, [this](const QString &id) {
        m_context.showStatus(tr("Imported %1 into the catalog").arg(id));
        m_context.showModule(id);
    });
    connect(&catalog, &CatalogService::weightsImported, this, [this](const QString &file, const QString &cached) {
        m_context.showStatus(tr("Imported %1 into the weights cache (%2): trainings that start from ImageNet use it")
                                 .arg(QFileInfo(file).fileName(), QDir::toNativeSeparators(cached)));
    });
    connect(&catalog, &CatalogService::moduleDeleted, this,
            [this](const QString &id) { m_context.showStatus(tr("Deleted %1").arg(id)); });
    connect(&catalog, &CatalogService::operationFailed, this,
            [this](const QString &title, const QString &message) { m_context.messages().error(title, message); });
    updateEnabled();
}

void CatalogActions::updateEnabled()
{
    const CatalogEntry *entry = m_context.catalog().find(m_context.currentModule());
    m_export->setEnabled(entry != nullptr);
    const bool trained = entry && entry->isValid() && !entry->manifest.isTemplate() && !entry->beingWritten;
    m_exportOnnx->setEnabled(trained);
    // A disabled toolbar button still shows its tooltip: it says why.
    QString onnxTip = tr("Write the selected trained module as an ONNX file for QGIS Deepness, OpenCV or ONNX Runtime");
    if (entry && entry->manifest.isTemplate())
        onnxTip += tr(" (a template has no trained weights: train a module from it first)");
    m_exportOnnx->setToolTip(onnxTip);
    m_delete->setEnabled(entry != nullptr && !entry->builtIn);
}

void CatalogActions::importArchives(const QStringList &files)
{
    for (const QString &file : files) {
        if (!m_context.catalog().importArchive(file).isEmpty())
            RecentFolders::remember(QStringLiteral("import"), file);
    }
}

void CatalogActions::importTorchFiles(const QStringList &files)
{
    for (const QString &file : files) {
        // Reading the zip directory is quick, but it is disk I/O: off the GUI thread.
        auto *watcher = new QFutureWatcher<int>(this);
        connect(watcher, &QFutureWatcher<int>::finished, this, [this, watcher, file] {
            openTorchFile(file, watcher->result());
            watcher->deleteLater();
        });
        watcher->setFuture(QtConcurrent::run([file] { return int(torchFileKind(file)); }));
    }
}

void CatalogActions::openTorchFile(const QString &file, int kind)
{
    const QString name = QFileInfo(file).fileName();
    switch (TorchFileKind(kind)) {
    case TorchFileKind::TorchScript: {
        auto *dialog = new ImportModelDialog(m_context, file, m_dialogParent);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->open();
        return;
    }
    case TorchFileKind::Pickle:
        m_context.catalog().importWeights(file);
        return;
    case TorchFileKind::LegacyPickle:
        m_context.messages().error(
            tr("Cannot import %1").arg(name),
            tr("%1 is in PyTorch's legacy format (PyTorch older than 1.6). Load it in PyTorch and save "
               "it again: torch.save(model.state_dict(), path) for weights, "
               "torch.jit.script(model).save(path) for a model.")
                .arg(name));
        return;
    case TorchFileKind::NotTorch:
    case TorchFileKind::Unreadable:
        m_context.messages().error(
            tr("Cannot import %1").arg(name),
            tr("%1 is not a PyTorch file the workbench can read (expected a TorchScript model saved "
               "with torch.jit.save, or weights saved with torch.save).")
                .arg(name));
        return;
    }
}

void CatalogActions::chooseTorchFiles(bool models)
{
    const QStringList files = QFileDialog::getOpenFileNames(
        m_dialogParent, models ? tr("Import TorchScript model") : tr("Import pretrained weights"),
        RecentFolders::folderFor(QStringLiteral("import")),
        models ? tr("TorchScript models (*.pt *.pth *.ptc);;All files (*)")
               : tr("PyTorch weights (*.pth *.pt);;All files (*)"));
    if (!files.isEmpty())
        RecentFolders::remember(QStringLiteral("import"), files.first());
    importTorchFiles(files);
}

void CatalogActions::exportModule(const QString &id, const QString &archiveFile)
{
    if (!m_context.catalog().exportModule(id, archiveFile).isEmpty())
        RecentFolders::remember(QStringLiteral("export"), archiveFile);
}

void CatalogActions::exportOnnx(const QString &id, const QString &onnxFile, bool foldNormalization)
{
    if (!m_context.catalog().exportOnnx(id, onnxFile, foldNormalization).isEmpty())
        RecentFolders::remember(QStringLiteral("export-onnx"), onnxFile);
}

void CatalogActions::deleteModule(const QString &id)
{
    const CatalogEntry *entry = m_context.catalog().find(id);
    if (!entry) {
        m_context.messages().information(tr("Delete module"), tr("Select a module in the catalog first."));
        return;
    }
    if (entry->builtIn) {
        m_context.messages().information(
            tr("Delete module"),
            tr("'%1' is built into the workbench and cannot be deleted.").arg(entry->manifest.title));
        return;
    }
    const QString title = entry->manifest.title.isEmpty() ? id : entry->manifest.title;
    m_context.messages().confirm(
        tr("Delete module"),
        tr("Delete '%1' and its folder %2?\n\nIts weights and history are removed from disk. Export it first if you "
           "may need it again.")
            .arg(title, QDir::toNativeSeparators(entry->path)),
        tr("Delete"), [this, id] { m_context.catalog().deleteModule(id); });
}

void CatalogActions::chooseImport()
{
    const QStringList files = QFileDialog::getOpenFileNames(m_dialogParent, tr("Import module archive"),
                                                            RecentFolders::folderFor(QStringLiteral("import")),
                                                            CatalogService::archiveFilter());
    importArchives(files);
}

void CatalogActions::chooseExport()
{
    const QString id = m_context.currentModule();
    if (!m_context.catalog().find(id)) {
        m_context.messages().information(tr("Export module"), tr("Select a module in the catalog first."));
        return;
    }
    const QString suggested =
        QDir(RecentFolders::folderFor(QStringLiteral("export"))).filePath(id + QStringLiteral(".dwm"));
    QString file =
        QFileDialog::getSaveFileName(m_dialogParent, tr("Export module"), suggested, tr("Module archives (*.dwm)"));
    if (file.isEmpty())
        return;
    if (QFileInfo(file).suffix().isEmpty())
        file += QStringLiteral(".dwm");
    exportModule(id, file);
}

void CatalogActions::chooseExportOnnx()
{
    const QString id = m_context.currentModule();
    const CatalogEntry *entry = m_context.catalog().find(id);
    if (!entry) {
        m_context.messages().information(tr("Export as ONNX"), tr("Select a trained module in the catalog first."));
        return;
    }
    if (entry->manifest.isTemplate()) {
        m_context.messages().information(
            tr("Export as ONNX"),
            tr("'%1' is a template without trained weights. Train a module from it in the Train workspace, then "
               "export that one.")
                .arg(id));
        return;
    }
    const QString suggested =
        QDir(RecentFolders::folderFor(QStringLiteral("export-onnx"))).filePath(id + QStringLiteral(".onnx"));
    auto *dialog = new ExportOnnxDialog(*entry, suggested, m_dialogParent);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this,
            [this, dialog, id] { exportOnnx(id, dialog->file(), dialog->foldNormalization()); });
    dialog->open();
}

void CatalogActions::reveal()
{
    const QString folder = m_context.catalog().userDirectory();
    QDir().mkpath(folder);
    if (!QDesktopServices::openUrl(QUrl::fromLocalFile(folder)))
        m_context.messages().warning(
            tr("Reveal catalog folder"),
            tr("No file manager could be started. Your modules are in %1.").arg(QDir::toNativeSeparators(folder)));
}

}  // namespace dw
