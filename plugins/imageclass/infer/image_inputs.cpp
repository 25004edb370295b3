#include "plugins/imageclass/infer/image_inputs.h"

#include "core/io/file_names.h"
#include "core/io/image_reader.h"

#include <QDir>
#include <QDirIterator>
#include <QFileInfo>

#include <algorithm>

namespace dw::imageclass {

ImageInputs collectImageFiles(const QStringList &paths)
{
    ImageInputs out;
    for (const QString &path : paths) {
        const QFileInfo info(path);
        if (!info.exists()) {
            out.problems.push_back(
                {path, lostInDecoding(path)
                           ? QStringLiteral(
                                 "cannot be opened: its name is not valid UTF-8 (the characters "
                                 "shown as \uFFFD); rename it to UTF-8, e.g. convmv -f latin1 -t utf-8 --notest FILE")
                           : QStringLiteral("does not exist; check the path")});
            continue;
        }
        if (!info.isDir()) {
            // A file named explicitly is tried whatever its suffix: the reader says why if it fails.
            out.files << info.absoluteFilePath();
            continue;
        }
        QStringList found;
        QDirIterator it(info.absoluteFilePath(), QDir::Files | QDir::Readable, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString file = it.next();
            if (ImageReader::isImageFileName(QFileInfo(file).fileName()))
                found << file;
        }
        if (const UndecodableNames odd = undecodableNames(info.absoluteFilePath(), true); odd.count > 0)
            out.problems.push_back({path, QStringLiteral("%1 file(s) such as '%2' were left out: %3")
                                              .arg(odd.count)
                                              .arg(odd.example, undecodableAdvice(info.absoluteFilePath()))});
        if (found.isEmpty()) {
            out.problems.push_back(
                {path, QStringLiteral("holds no images (%1)").arg(ImageReader::suffixes().join(QStringLiteral(", ")))});
            continue;
        }
        // Sorted so that the output's order does not depend on the file system.
        std::sort(found.begin(), found.end());
        out.files << found;
    }
    return out;
}

}  // namespace dw::imageclass
