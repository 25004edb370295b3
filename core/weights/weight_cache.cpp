#include "core/weights/weight_cache.h"

#include "core/util/file_commit.h"

#include "core/jobs/job_context.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QMutex>
#include <QMutexLocker>
#include <QSaveFile>
#include <QStandardPaths>
#include <QUrl>
#include <QUuid>

namespace dw::weights {

namespace {

constexpr qint64 kChunk = 1 << 20;
constexpr qint64 kProgressEvery = 8 * kChunk;

// One lock for every read-modify-write of an index in this process (two downloads may
// finish at once); other processes replace the file atomically, the last one wins.
QMutex &indexMutex()
{
    static QMutex mutex;
    return mutex;
}

QJsonObject readIndex(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(file.readAll()).object().value(QStringLiteral("files")).toObject();
}

Result<void> writeIndex(const QString &path, const QJsonObject &files)
{
    const QJsonObject root{{QStringLiteral("version"), 1}, {QStringLiteral("files"), files}};
    return writeFileAtomically(path, QJsonDocument(root).toJson(QJsonDocument::Indented),
                               QStringLiteral("the weights index"));
}

QString megabytes(qint64 bytes)
{
    return QString::number(double(bytes) / (1024.0 * 1024.0), 'f', 1);
}

// Reads path in chunks into a SHA-256 (and into copy, when given).
Result<QString> hashFile(const QString &path, QIODevice *copy, const JobContext *context, const QString &message)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return failure(QStringLiteral("cannot read %1: %2").arg(path, file.errorString()));
    QCryptographicHash hash(QCryptographicHash::Sha256);
    const qint64 total = file.size();
    qint64 done = 0;
    qint64 lastReport = -kProgressEvery;
    QByteArray buffer(kChunk, Qt::Uninitialized);
    for (;;) {
        if (context && context->isCancelled())
            return failure(QStringLiteral("cancelled while reading %1").arg(path));
        const qint64 n = file.read(buffer.data(), buffer.size());
        if (n < 0)
            return failure(QStringLiteral("cannot read %1: %2").arg(path, file.errorString()));
        if (n == 0)
            break;
        hash.addData(QByteArrayView(buffer.constData(), n));
        if (copy && copy->write(buffer.constData(), n) != n)
            return failure(
                QStringLiteral("cannot write the copy of %1: %2 (is the disk full?)").arg(path, copy->errorString()));
        done += n;
        if (context && done - lastReport >= kProgressEvery) {
            lastReport = done;
            context->setProgress(done, total,
                                 QStringLiteral("%1: %2 of %3 MB").arg(message, megabytes(done), megabytes(total)));
        }
    }
    return QString::fromLatin1(hash.result().toHex());
}

}  // namespace

QJsonObject CachedWeights::toJson() const
{
    return QJsonObject{{QStringLiteral("file"), weights.fileName},
                       {QStringLiteral("architecture"), weights.architecture},
                       {QStringLiteral("variant"), weights.variant},
                       {QStringLiteral("path"), path},
                       {QStringLiteral("sha256"), sha256},
                       {QStringLiteral("source"), source},
                       {QStringLiteral("date"), date.toString(Qt::ISODate)},
                       {QStringLiteral("size_bytes"), size},
                       {QStringLiteral("torch_hub"), torchHub}};
}

WeightCache::WeightCache() : WeightCache(registry())
{}

WeightCache::WeightCache(std::vector<PretrainedWeights> known, QString folder)
    : m_known(std::move(known)), m_folder(folder.isEmpty() ? directory() : QDir::cleanPath(QDir(folder).absolutePath()))
{}

QString WeightCache::directory()
{
    const QString fromEnvironment = qEnvironmentVariable("DEEPWB_WEIGHTS_DIR");
    if (!fromEnvironment.isEmpty())
        return QDir::cleanPath(QDir(fromEnvironment).absolutePath());
    QString cache = QStandardPaths::writableLocation(QStandardPaths::GenericCacheLocation);
    if (cache.isEmpty())
        cache = QDir::home().filePath(QStringLiteral(".cache"));
    return QDir::cleanPath(cache + QStringLiteral("/deep-workbench/weights"));
}

QStringList WeightCache::torchHubDirectories()
{
    // torch.hub.get_dir(): $TORCH_HOME/hub, else $XDG_CACHE_HOME/torch/hub, else ~/.cache/torch/hub.
    QStringList roots;
    if (const QString torchHome = qEnvironmentVariable("TORCH_HOME"); !torchHome.isEmpty())
        roots << torchHome;
    if (const QString xdg = qEnvironmentVariable("XDG_CACHE_HOME"); !xdg.isEmpty())
        roots << xdg + QStringLiteral("/torch");
    roots << QDir::homePath() + QStringLiteral("/.cache/torch");
    QStringList folders;
    for (const QString &root : roots) {
        const QString folder = QDir::cleanPath(QDir(root).absoluteFilePath(QStringLiteral("hub/checkpoints")));
        if (!folders.contains(folder) && QFileInfo(folder).isDir())
            folders << folder;
    }
    return folders;
}

Result<QString> WeightCache::sha256Of(const QString &path, const JobContext *context, const QString &what)
{
    return hashFile(path, nullptr, context,
                    QStringLiteral("verifying %1").arg(what.isEmpty() ? QFileInfo(path).fileName() : what));
}

QString WeightCache::digestProblem(const PretrainedWeights &weights, const QString &sha256)
{
    const QString found = sha256.toLower();
    const QString prefix = weights.hashPrefix();
    if (!found.startsWith(prefix))
        return QStringLiteral("its SHA-256 starts with %1, torchvision's file starts with %2 (SHA-256 found: %3%4)")
            .arg(found.left(prefix.size()), prefix, found,
                 weights.sha256.isEmpty() ? QString() : QStringLiteral(", expected: ") + weights.sha256.toLower());
    if (!weights.sha256.isEmpty() && found != weights.sha256.toLower())
        return QStringLiteral("its SHA-256 is %1, torchvision's file has %2").arg(found, weights.sha256.toLower());
    return {};
}

QString WeightCache::pathFor(const PretrainedWeights &weights) const
{
    return m_folder + QLatin1Char('/') + weights.fileName;
}

QString WeightCache::partPathFor(const PretrainedWeights &weights) const
{
    return pathFor(weights) + QStringLiteral(".part");
}

QString WeightCache::indexPath() const
{
    return m_folder + QStringLiteral("/index.json");
}

std::optional<CachedWeights> WeightCache::verifiedFile(const PretrainedWeights &weights, const QString &path,
                                                       bool torchHub) const
{
    const QFileInfo info(path);
    if (!info.isFile())
        return std::nullopt;
    CachedWeights file;
    file.weights = weights;
    file.path = info.absoluteFilePath();
    file.size = info.size();
    file.torchHub = torchHub;

    QJsonObject saved;
    {
        QMutexLocker lock(&indexMutex());
        saved = readIndex(indexPath()).value(weights.fileName).toObject();
    }
    const bool unchanged =
        saved.value(QStringLiteral("path")).toString() == file.path &&
        saved.value(QStringLiteral("size")).toInteger(-1) == info.size() &&
        saved.value(QStringLiteral("modified")).toInteger(-1) == info.lastModified().toMSecsSinceEpoch();
    if (unchanged && !saved.value(QStringLiteral("sha256")).toString().isEmpty()) {
        file.sha256 = saved.value(QStringLiteral("sha256")).toString();
        file.source = saved.value(QStringLiteral("source")).toString();
        file.date = QDateTime::fromString(saved.value(QStringLiteral("date")).toString(), Qt::ISODate);
        if (!digestProblem(weights, file.sha256).isEmpty())
            return std::nullopt;
        return file;
    }
    // Put there by hand, replaced since, or torchvision's copy seen for the first time: hash once.
    const Result<QString> digest = sha256Of(file.path);
    if (!digest || !digestProblem(weights, *digest).isEmpty())
        return std::nullopt;
    file.sha256 = *digest;
    file.source = torchHub ? QStringLiteral("torch hub") : QUrl::fromLocalFile(file.path).toString();
    file.date = QDateTime::currentDateTimeUtc();
    // The index is a shortcut; a file that cannot be recorded is still good to use.
    (void)record(weights, file.path, file.sha256, file.source);
    return file;
}

std::optional<CachedWeights> WeightCache::cached(const PretrainedWeights &weights) const
{
    if (weights.fileName.isEmpty())
        return std::nullopt;
    if (auto own = verifiedFile(weights, pathFor(weights), false))
        return own;
    for (const QString &folder : torchHubDirectories())
        if (auto hub = verifiedFile(weights, folder + QLatin1Char('/') + weights.fileName, true))
            return hub;
    return std::nullopt;
}

std::optional<QString> WeightCache::cachedPath(const PretrainedWeights &weights) const
{
    if (auto file = cached(weights))
        return file->path;
    return std::nullopt;
}

QString WeightCache::recordedSha256(const QString &fileName) const
{
    QMutexLocker lock(&indexMutex());
    return readIndex(indexPath()).value(fileName).toObject().value(QStringLiteral("sha256")).toString();
}

Result<void> WeightCache::record(const PretrainedWeights &weights, const QString &path, const QString &sha256,
                                 const QString &source) const
{
    const QFileInfo info(path);
    if (!QDir().mkpath(m_folder))
        return failure(QStringLiteral("cannot create the weights folder %1: check its permissions, or set "
                                      "DEEPWB_WEIGHTS_DIR to a folder you can write")
                           .arg(m_folder));
    QMutexLocker lock(&indexMutex());
    QJsonObject files = readIndex(indexPath());
    files.insert(weights.fileName,
                 QJsonObject{{QStringLiteral("sha256"), sha256.toLower()},
                             {QStringLiteral("source"), source},
                             {QStringLiteral("date"), QDateTime::currentDateTimeUtc().toString(Qt::ISODate)},
                             {QStringLiteral("size"), info.size()},
                             {QStringLiteral("path"), info.absoluteFilePath()},
                             {QStringLiteral("modified"), info.lastModified().toMSecsSinceEpoch()}});
    return writeIndex(indexPath(), files);
}

Result<QString> WeightCache::importFile(const QString &path, const JobContext *context)
{
    const QFileInfo source(path);
    if (!source.isFile())
        return failure(QStringLiteral("cannot import %1: there is no such file").arg(path));
    const PretrainedWeights *byName = nullptr;
    for (const PretrainedWeights &w : m_known)
        if (w.fileName == source.fileName())
            byName = &w;
    if (!QDir().mkpath(m_folder))
        return failure(QStringLiteral("cannot create the weights folder %1: check its permissions, or set "
                                      "DEEPWB_WEIGHTS_DIR to a folder you can write")
                           .arg(m_folder));

    // The file already in its place (dropped there by hand): check and record it, no copy.
    if (byName && source.absoluteFilePath() == QFileInfo(pathFor(*byName)).absoluteFilePath()) {
        const Result<QString> digest = sha256Of(path, context);
        if (!digest)
            return digest.error();
        if (const QString problem = digestProblem(*byName, *digest); !problem.isEmpty())
            return failure(QStringLiteral("%1 is damaged or is not %2: %3; download it again")
                               .arg(path, byName->fileName, problem));
        if (Result<void> noted =
                record(*byName, path, *digest, QUrl::fromLocalFile(source.absoluteFilePath()).toString());
            !noted)
            return noted.error();
        return source.absoluteFilePath();
    }

    // Copy and hash in one pass, into a temporary name that no download uses.
    const QString temporary =
        m_folder + QStringLiteral("/.import-%1.part").arg(QUuid::createUuid().toString(QUuid::Id128));
    Result<QString> digest = QString();
    {
        QFile copy(temporary);
        if (!copy.open(QIODevice::WriteOnly))
            return failure(
                QStringLiteral("cannot write into the weights folder %1: %2").arg(m_folder, copy.errorString()));
        digest = hashFile(path, &copy, context, QStringLiteral("importing %1").arg(source.fileName()));
        if (digest && !copy.flush())
            digest = failure(QStringLiteral("cannot write into the weights folder %1: %2")
                                 .arg(m_folder, writeProblemText(copy.errorString())));
    }
    auto discard = [&](Error error) -> Result<QString> {
        QFile::remove(temporary);
        return error;
    };
    if (!digest)
        return discard(digest.error());

    const PretrainedWeights *entry = byName;
    if (entry) {
        if (const QString problem = digestProblem(*entry, *digest); !problem.isEmpty())
            return discard(failure(QStringLiteral("%1 is damaged or is not %2: %3; download it again (%4)")
                                       .arg(path, entry->fileName, problem, entry->officialUrl)));
    } else {
        // A renamed file: known by its full digest, else by torchvision's hash prefix.
        for (const PretrainedWeights &w : m_known)
            if (!w.sha256.isEmpty() && w.sha256.compare(*digest, Qt::CaseInsensitive) == 0)
                entry = &w;
        for (const PretrainedWeights &w : m_known)
            if (!entry && w.sha256.isEmpty() && !w.hashPrefix().isEmpty() && digest->startsWith(w.hashPrefix()))
                entry = &w;
        if (!entry) {
            QStringList expected;
            for (const PretrainedWeights &w : m_known)
                expected << w.fileName;
            return discard(failure(QStringLiteral("%1 is not one of the pretrained weight files the workbench knows "
                                                  "(its SHA-256 is %2); expected one of: %3")
                                       .arg(path, *digest, expected.join(QStringLiteral(", ")))));
        }
    }

    const QString target = pathFor(*entry);
    if (QFileInfo::exists(target) && !QFile::remove(target))
        return discard(failure(QStringLiteral("cannot replace %1: check the folder's permissions").arg(target)));
    if (!QFile::rename(temporary, target))
        return discard(
            failure(QStringLiteral("cannot move the imported file to %1: check the folder's permissions").arg(target)));
    QFile::remove(partPathFor(*entry));  // a download of the same file is no longer needed
    if (Result<void> noted = record(*entry, target, *digest, QUrl::fromLocalFile(source.absoluteFilePath()).toString());
        !noted)
        return noted.error();
    return target;
}

Result<void> WeightCache::remove(const QString &key)
{
    std::vector<const PretrainedWeights *> targets;
    const QString trimmed = key.trimmed();
    if (!trimmed.contains(QLatin1Char(':')) && !trimmed.endsWith(QLatin1String(".pth")))
        for (const PretrainedWeights &w : m_known)
            if (w.architecture == trimmed.toLower() || w.torchvisionName == trimmed.toLower())
                targets.push_back(&w);
    if (targets.empty())
        if (const PretrainedWeights *w = findIn(m_known, trimmed))
            targets.push_back(w);
    if (targets.empty())
        return failure(QStringLiteral("unknown weights '%1': give ARCH, ARCH:VARIANT or a file name "
                                      "(see 'deepwb weights list')")
                           .arg(key));

    int removed = 0;
    QStringList leftInTorchHub;
    for (const PretrainedWeights *w : targets) {
        for (const QString &file : {pathFor(*w), partPathFor(*w)}) {
            if (!QFileInfo::exists(file))
                continue;
            if (!QFile::remove(file))
                return failure(QStringLiteral("cannot delete %1: check the folder's permissions").arg(file));
            ++removed;
        }
        {
            QMutexLocker lock(&indexMutex());
            QJsonObject files = readIndex(indexPath());
            if (files.contains(w->fileName)) {
                files.remove(w->fileName);
                if (Result<void> written = writeIndex(indexPath(), files); !written)
                    return written;
            }
        }
        for (const QString &folder : torchHubDirectories())
            if (QFileInfo::exists(folder + QLatin1Char('/') + w->fileName))
                leftInTorchHub << folder + QLatin1Char('/') + w->fileName;
    }
    if (removed > 0)
        return success();
    if (!leftInTorchHub.isEmpty())
        return failure(QStringLiteral("%1 is not in the workbench's weights folder; torchvision's own copy %2 is only "
                                      "read, never deleted: delete it there if you want it gone")
                           .arg(key, leftInTorchHub.join(QStringLiteral(", "))));
    return failure(QStringLiteral("%1 is not in the weights folder %2 (see 'deepwb weights list')").arg(key, m_folder));
}

std::vector<CachedWeights> WeightCache::cachedEntries() const
{
    std::vector<CachedWeights> list;
    for (const PretrainedWeights &w : m_known)
        if (auto file = cached(w))
            list.push_back(std::move(*file));
    return list;
}

}  // namespace dw::weights
