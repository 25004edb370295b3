#include "ui/raster/default_output.h"

#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>
#include <QStringList>

namespace dw {
namespace {

QString unquoted(QString text)
{
    text = text.trimmed();
    if (text.size() >= 2 && text.startsWith(QLatin1Char('"')) && text.endsWith(QLatin1Char('"')))
        text = text.mid(1, text.size() - 2);
    return text;
}

// Letters, digits, '-', '_' and '.' kept; anything else (':', '/', spaces) becomes '_'.
QString fileNamePart(const QString &text)
{
    QString out;
    for (const QChar c : text)
        out += c.isLetterOrNumber() || c == QLatin1Char('-') || c == QLatin1Char('_') || c == QLatin1Char('.')
                   ? c
                   : QLatin1Char('_');
    return out;
}

}  // namespace

QString chooseDefaultOutput(const QString &input, const QString &fallbackFolder,
                            const std::function<bool(const QString &folder)> &writable,
                            const std::function<bool(const QString &path)> &exists)
{
    // The file the input is or lies in: the whole name, or for a subdataset the ':'-separated
    // parts that name an existing file (a Windows drive letter holds a ':' too).
    QString file;
    QStringList rest;
    const QStringList parts = input.split(QLatin1Char(':'));
    for (qsizetype first = 0; first < parts.size() && file.isEmpty(); ++first)
        for (qsizetype last = parts.size() - 1; last >= first; --last) {
            const QString candidate = unquoted(parts.mid(first, last - first + 1).join(QLatin1Char(':')));
            if (!candidate.isEmpty() && exists(candidate)) {
                file = candidate;
                rest = parts.mid(last + 1);
                break;
            }
        }
    QString stem = QStringLiteral("superresolved");
    QString folder = fallbackFolder;
    if (!file.isEmpty()) {
        const QFileInfo info(file);
        stem = info.completeBaseName();
        for (const QString &part : std::as_const(rest))
            if (!part.trimmed().isEmpty())
                stem += QLatin1Char('_') + fileNamePart(unquoted(part));
        if (writable(info.absolutePath()))
            folder = info.absolutePath();
    }
    const QDir dir(folder);
    QString path = QDir::cleanPath(dir.filePath(stem + QStringLiteral("_sr.tif")));
    for (int n = 2; exists(path); ++n)
        path = QDir::cleanPath(dir.filePath(QStringLiteral("%1_sr_%2.tif").arg(stem).arg(n)));
    return path;
}

QString userOutputFolder()
{
    for (const auto location : {QStandardPaths::DocumentsLocation, QStandardPaths::PicturesLocation}) {
        const QString folder = QStandardPaths::writableLocation(location);
        if (!folder.isEmpty() && QFileInfo(folder).isDir())
            return folder;
    }
    return QDir::homePath();
}

}  // namespace dw
