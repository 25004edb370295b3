#include "ui/documentation.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>

namespace dw {

QUrl documentationUrl()
{
    const QDir bin(QCoreApplication::applicationDirPath());
    const QStringList candidates{bin.absoluteFilePath(QStringLiteral("../" DW_DOC_INSTALL_DIR "/README.md")),
                                 QStringLiteral(DW_SOURCE_DIR "/README.md")};
    for (const QString &path : candidates)
        if (QFileInfo(path).isFile())
            return QUrl::fromLocalFile(QFileInfo(path).canonicalFilePath());
    return {};
}

}  // namespace dw
