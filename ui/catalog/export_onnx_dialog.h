#pragma once
// The choices of Export as ONNX…: the file to write (a save dialog behind Browse…, the
// suggested name filled in) and whether the input normalisation goes into the graph, with
// one sentence on what that means for the module's task. It only collects the choices;
// CatalogActions starts the export job when it is accepted.
#include <QDialog>
#include <QString>

class QCheckBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace dw {

struct CatalogEntry;

class ExportOnnxDialog : public QDialog {
    Q_OBJECT
public:
    ExportOnnxDialog(const CatalogEntry &entry, const QString &suggestedFile, QWidget *parent = nullptr);

    // The file as typed, absolute, with ".onnx" added when it has no suffix.
    QString file() const;
    bool foldNormalization() const;

    QLineEdit *fileEdit() const { return m_file; }
    QCheckBox *foldBox() const { return m_fold; }

    // Whether the graph takes the raw values by default for a task (super-resolution: so that
    // QGIS Deepness writes the raster's own values; classifiers: no, Deepness normalises).
    static bool foldsByDefault(const QString &task);
    // The one sentence under the check box, by task; empty where folding is not offered.
    static QString foldExplanation(const QString &task);

private:
    void browse();
    void updateExportButton();

    QLineEdit *m_file = nullptr;
    QCheckBox *m_fold = nullptr;
    QPushButton *m_export = nullptr;
};

}  // namespace dw
