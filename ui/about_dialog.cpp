#include "ui/about_dialog.h"

#include "core/ml/device_service.h"
#include "ui/icons.h"

#include <QApplication>
#include <QClipboard>
#include <QDialogButtonBox>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace dw {

namespace {

QList<QPair<QString, QString>> versionRows()
{
    const LibraryVersions v = libraryVersions();
    const QString workbench = v.workbench.isEmpty() ? QCoreApplication::applicationVersion() : v.workbench;
    return {
        {QObject::tr("DEEP Workbench"), workbench},
        {QObject::tr("Qt"),
         QStringLiteral("%1 (built with %2)").arg(QString::fromLatin1(qVersion()), QStringLiteral(QT_VERSION_STR))},
        {QObject::tr("LibTorch"), v.libtorch + (v.cuda ? QObject::tr(" with CUDA") : QObject::tr(" (CPU)"))},
        {QObject::tr("OpenCV"), v.opencv},
        {QObject::tr("GDAL"), v.gdal},
        {QObject::tr("libarchive"), v.libarchive},
    };
}

}  // namespace

QString AboutDialog::versionsText()
{
    QStringList lines;
    for (const auto &[name, version] : versionRows())
        lines << name + QLatin1Char(' ') + version;
    return lines.join(QLatin1Char('\n'));
}

AboutDialog::AboutDialog(QWidget *parent) : QDialog(parent)
{
    setWindowTitle(tr("About DEEP Workbench"));
    auto *logo = new QLabel(this);
    logo->setPixmap(dw::icon(QStringLiteral("deep-workbench")).pixmap(72, 72));
    logo->setAlignment(Qt::AlignTop);

    QString html = QStringLiteral("<h2>DEEP Workbench</h2><p>%1</p><p>%2</p><table cellpadding=\"2\">")
                       .arg(tr("Train, re-train, use and share deep-learning models on your own workstation, "
                               "without writing code.")
                                .toHtmlEscaped(),
                            tr("The desktop form of the DEEP-Hybrid-DataCloud platform: its catalog of modules, "
                               "its DEEPaaS model API and its use cases.")
                                .toHtmlEscaped());
    for (const auto &[name, version] : versionRows())
        html += QStringLiteral("<tr><td style=\"color:#546e7a; padding-right:12px;\">%1</td><td><b>%2</b></td></tr>")
                    .arg(name.toHtmlEscaped(), version.toHtmlEscaped());
    html += QStringLiteral("</table>");
    auto *text = new QLabel(html, this);
    text->setObjectName(QStringLiteral("aboutText"));
    text->setWordWrap(true);
    text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    text->setMinimumWidth(380);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    QPushButton *copy = buttons->addButton(tr("Copy Versions"), QDialogButtonBox::ActionRole);
    connect(copy, &QPushButton::clicked, this, [] { QGuiApplication::clipboard()->setText(versionsText()); });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *row = new QHBoxLayout;
    row->setSpacing(16);
    row->addWidget(logo);
    row->addWidget(text, 1);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(row);
    layout->addWidget(buttons);
}

}  // namespace dw
