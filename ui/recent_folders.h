#pragma once
// The folders the user last worked in, kept in QSettings: one per purpose (so that the
// export dialog opens where the last export went) and a short most-recent-first list.
#include <QString>
#include <QStringList>

namespace dw {

class RecentFolders {
public:
    static constexpr int kMaximum = 10;

    // The last folder used for purpose ("import", "export", "images", ...), else Documents.
    static QString folderFor(const QString &purpose);
    // Remembers the folder of fileOrFolder (a file's own folder) for purpose and the list.
    static void remember(const QString &purpose, const QString &fileOrFolder);
    static QStringList recent();  // most recent first
    static void clear();
};

}  // namespace dw
