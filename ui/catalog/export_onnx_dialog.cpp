#include "ui/catalog/export_onnx_dialog.h"

#include "core/catalog/catalog_entry.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace dw {

namespace {

const QString kClassification = QStringLiteral("image-classification");
const QString kSuperResolution = QStringLiteral("super-resolution");

QString onnxFilter()
{
    return QObject::tr("ONNX models (*.onnx)");
}

}  // namespace

ExportOnnxDialog::ExportOnnxDialog(const CatalogEntry &entry, const QString &suggestedFile, QWidget *parent)
    : QDialog(parent)
{
    setObjectName(QStringLiteral("exportOnnxDialog"));
    setWindowTitle(tr("Export as ONNX"));
    const QString task = entry.manifest.task;
    const QString name = entry.manifest.title.isEmpty() ? entry.id() : entry.manifest.title;

    auto *layout = new QVBoxLayout(this);
    auto *intro = new QLabel(tr("Write <b>%1</b> as an ONNX file that QGIS Deepness, OpenCV or ONNX Runtime can "
                                "run. Its labels, input size and normalisation travel in the file's metadata.")
                                 .arg(name.toHtmlEscaped()),
                             this);
    intro->setWordWrap(true);
    layout->addWidget(intro);

    auto *form = new QFormLayout;
    auto *fileRow = new QHBoxLayout;
    m_file = new QLineEdit(QDir::toNativeSeparators(suggestedFile), this);
    m_file->setObjectName(QStringLiteral("onnxFile"));
    m_file->setClearButtonEnabled(true);
    m_file->setMinimumWidth(fontMetrics().averageCharWidth() * 64);  // a whole path, mostly
    auto *browse = new QPushButton(tr("&Browse…"), this);
    browse->setToolTip(tr("Choose the file in a save dialog"));
    fileRow->addWidget(m_file, 1);
    fileRow->addWidget(browse);
    auto *fileLabel = new QLabel(tr("&File:"), this);
    fileLabel->setBuddy(m_file);
    form->addRow(fileLabel, fileRow);
    layout->addLayout(form);

    m_fold = new QCheckBox(tr("F&old the normalisation into the graph"), this);
    m_fold->setObjectName(QStringLiteral("foldNormalization"));
    const QString explanation = foldExplanation(task);
    m_fold->setEnabled(!explanation.isEmpty());
    m_fold->setChecked(foldsByDefault(task));
    layout->addWidget(m_fold);
    auto *hint =
        new QLabel(explanation.isEmpty() ? tr("A forecaster's scaling depends on the series: it travels in the file's "
                                              "metadata and is never folded into the graph.")
                                         : explanation,
                   this);
    hint->setObjectName(QStringLiteral("foldExplanation"));
    hint->setWordWrap(true);
    // Lined up with the check box's text, in the smaller print of an explanation.
    hint->setContentsMargins(m_fold->sizeHint().height(), 0, 0, 0);
    QFont small = hint->font();
    small.setPointSizeF(small.pointSizeF() * 0.9);
    hint->setFont(small);
    hint->setForegroundRole(QPalette::PlaceholderText);
    layout->addWidget(hint);
    layout->addStretch(1);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    m_export = buttons->addButton(tr("&Export"), QDialogButtonBox::AcceptRole);
    m_export->setDefault(true);
    layout->addWidget(buttons);

    connect(browse, &QPushButton::clicked, this, &ExportOnnxDialog::browse);
    connect(m_file, &QLineEdit::textChanged, this, &ExportOnnxDialog::updateExportButton);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    updateExportButton();
}

QString ExportOnnxDialog::file() const
{
    const QString typed = QDir::fromNativeSeparators(m_file->text().trimmed());
    if (typed.isEmpty())
        return {};
    QString path = QFileInfo(typed).absoluteFilePath();
    if (QFileInfo(path).suffix().isEmpty())
        path += QStringLiteral(".onnx");
    return path;
}

bool ExportOnnxDialog::foldNormalization() const
{
    return m_fold->isEnabled() && m_fold->isChecked();
}

bool ExportOnnxDialog::foldsByDefault(const QString &task)
{
    return task == kSuperResolution;
}

QString ExportOnnxDialog::foldExplanation(const QString &task)
{
    if (task == kClassification)
        return tr("The file then takes pixels in [0, 1] and normalises them itself; without it, it takes normalised "
                  "pixels (QGIS Deepness reads the mean and standard deviation from the metadata either way).");
    if (task == kSuperResolution)
        return tr("The file then takes and gives values on the raster's own scale; without it, normalised values "
                  "(the offsets and scales are in the metadata).");
    return {};
}

void ExportOnnxDialog::browse()
{
    QString chosen = QFileDialog::getSaveFileName(this, tr("Export as ONNX"),
                                                  QDir::fromNativeSeparators(m_file->text().trimmed()), onnxFilter());
    if (chosen.isEmpty())
        return;
    if (QFileInfo(chosen).suffix().isEmpty())
        chosen += QStringLiteral(".onnx");
    m_file->setText(QDir::toNativeSeparators(chosen));
}

void ExportOnnxDialog::updateExportButton()
{
    m_export->setEnabled(!m_file->text().trimmed().isEmpty());
}

}  // namespace dw
