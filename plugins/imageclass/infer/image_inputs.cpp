#include "plugins/imageclass/infer/image_inputs.h"

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
            out.problems.push_back({path, QStringLiteral("does not exist; check the path")});
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
        if (found.isEmpty()) {
            out.problems.push_back({path, QStringLiteral("holds no images (%1)").arg(ImageReader::suffixes().join(QStringLiteral(", ")))});
            continue;
        }
        // Sorted so that the output's order does not depend on the file system.
        std::sort(found.begin(), found.end());
        out.files << found;
    }
    return out;
}

}  // namespace dw::imageclass
