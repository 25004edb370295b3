#include "ui/recent_folders.h"

#include <QDir>
#include <QFileInfo>
#include <QSettings>
#include <QStandardPaths>

namespace dw {

namespace {

QString key(const QString &purpose)
{
    return QStringLiteral("recentFolders/") + purpose;
}

}  // namespace

QString RecentFolders::folderFor(const QString &purpose)
{
    const QString folder = QSettings().value(key(purpose)).toString();
    if (!folder.isEmpty())
        return folder;
    const QString documents = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    return documents.isEmpty() ? QDir::homePath() : documents;
}

void RecentFolders::remember(const QString &purpose, const QString &fileOrFolder)
{
    if (fileOrFolder.isEmpty())
        return;
    // A path that does not exist yet (a file about to be written) names its folder.
    const QFileInfo info(fileOrFolder);
    const QString folder = QDir::cleanPath(info.isDir() ? info.absoluteFilePath() : info.absolutePath());
    QSettings settings;
    settings.setValue(key(purpose), folder);
    QStringList list = settings.value(QStringLiteral("recentFolders/list")).toStringList();
    list.removeAll(folder);
    list.prepend(folder);
    while (list.size() > kMaximum)
        list.removeLast();
    settings.setValue(QStringLiteral("recentFolders/list"), list);
}

QStringList RecentFolders::recent()
{
    return QSettings().value(QStringLiteral("recentFolders/list")).toStringList();
}

void RecentFolders::clear()
{
    QSettings().remove(QStringLiteral("recentFolders"));
}

}  // namespace dw
