// File names that are not valid UTF-8 (Latin-1 names from old archives or Windows shares):
// Qt leaves them out when it lists a folder and cannot open them by a decoded name, so
// without a look at the raw bytes they would vanish without a word.
#pragma once

#include <QString>

namespace dw {

struct UndecodableNames {
    int count = 0;
    QString example;  // the first one, its odd bytes as \xNN
};

// Files in folder (and below it when recursive) whose names are not valid UTF-8.
UndecodableNames undecodableNames(const QString &folder, bool recursive);

// What to do about them: "rename them to UTF-8, e.g. convmv -f latin1 -t utf-8 -r --notest FOLDER".
QString undecodableAdvice(const QString &folder);

// A path that came through a lossy decoding (U+FFFD in it): the file cannot be opened by it.
inline bool lostInDecoding(const QString &path)
{
    return path.contains(QChar::ReplacementCharacter);
}

}  // namespace dw
