#include "core/catalog/weights_digest.h"

#include "core/catalog/manifest_io.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QHash>

#include <mutex>

namespace dw {

namespace {

struct Version {
    qint64 size = 0;
    qint64 modified = 0;
    QString sha256;
};

std::mutex g_mutex;
QHash<QString, Version> g_digests;  // by absolute path

Result<QString> digestOf(const QString &path)
{
    const QFileInfo info(path);
    const qint64 size = info.size(), modified = info.lastModified().toMSecsSinceEpoch();
    {
        std::lock_guard lock(g_mutex);
        const auto found = g_digests.constFind(path);
        if (found != g_digests.constEnd() && found->size == size && found->modified == modified)
            return found->sha256;
    }
    Result<QString> digest = sha256OfFile(path);
    if (digest) {
        std::lock_guard lock(g_mutex);
        g_digests.insert(path, Version{size, modified, *digest});
    }
    return digest;
}

}  // namespace

Result<void> checkWeightsDigest(const ModuleManifest &manifest, const QString &moduleDir)
{
    if (manifest.weights.sha256.isEmpty() || manifest.weights.file.isEmpty())
        return success();
    const QString path = QFileInfo(QDir(moduleDir).filePath(manifest.weights.file)).absoluteFilePath();
    Result<QString> actual = digestOf(path);
    if (!actual)
        return Error::at(QStringLiteral("weights.file"), actual.error().message);
    if (actual->compare(manifest.weights.sha256, Qt::CaseInsensitive) != 0)
        return failure(
            QStringLiteral("the weights file %1 does not match the checksum in module.json (expected %2, found %3): "
                           "it is damaged or was replaced since the module was written. Copy the module again, "
                           "or train it again")
                .arg(path, manifest.weights.sha256.toLower(), *actual),
            QStringLiteral("weights.sha256"));
    return success();
}

}  // namespace dw
