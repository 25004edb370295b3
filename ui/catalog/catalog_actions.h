#pragma once
// The actions that change the catalog — import, export (an archive, or ONNX for other
// programs), delete, refresh, reveal — shared by the File menu, the catalog's toolbar and its
// context menu. They act on the context's current module and report through the context's
// message presenter.
#include <QObject>
#include <QStringList>

class QAction;
class QWidget;

namespace dw {

class WorkbenchContext;

class CatalogActions : public QObject {
    Q_OBJECT
public:
    // dialogParent: the widget file dialogs belong to.
    CatalogActions(WorkbenchContext &context, QWidget *dialogParent);

    QAction *importAction() const { return m_import; }
    QAction *exportAction() const { return m_export; }
    QAction *exportOnnxAction() const { return m_exportOnnx; }
    QAction *deleteAction() const { return m_delete; }
    QAction *refreshAction() const { return m_refresh; }
    QAction *revealAction() const { return m_reveal; }
    QAction *importModelAction() const { return m_importModel; }
    QAction *importWeightsAction() const { return m_importWeights; }
    QAction *weightsAction() const { return m_weights; }

    // Without dialogs (drops, tests): each file is imported as its own job.
    void importArchives(const QStringList &files);
    // PyTorch files (.pt, .pth), looked into off the GUI thread: a TorchScript model opens the
    // import dialog, weights go to the weights cache, anything else gets a message.
    void importTorchFiles(const QStringList &files);
    void exportModule(const QString &id, const QString &archiveFile);
    // Without the dialog (tests): the trained module as an ONNX file, written by a job.
    void exportOnnx(const QString &id, const QString &onnxFile, bool foldNormalization);
    void deleteModule(const QString &id);  // asks for confirmation first

private:
    void chooseImport();
    void chooseTorchFiles(bool models);
    void openTorchFile(const QString &file, int kind);
    void chooseExport();
    void chooseExportOnnx();
    void reveal();
    void updateEnabled();

    WorkbenchContext &m_context;
    QWidget *m_dialogParent;
    QAction *m_import;
    QAction *m_export;
    QAction *m_exportOnnx;
    QAction *m_delete;
    QAction *m_refresh;
    QAction *m_reveal;
    QAction *m_importModel;
    QAction *m_importWeights;
    QAction *m_weights;
};

}  // namespace dw
