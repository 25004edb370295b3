#pragma once
// Pretrained weight files kept once per user and reused by every module that starts from
// them: the folder $DEEPWB_WEIGHTS_DIR, else <generic cache>/deep-workbench/weights. Files
// torchvision has already downloaded ($TORCH_HOME/hub/checkpoints, ~/.cache/torch/hub/
// checkpoints) are reused in place, read-only, once their hash prefix checks out. A small
// index (index.json in the folder) records each file's full SHA-256, where it came from,
// when and its size, so that a file is hashed once and not at every look-up.
#include "core/util/result.h"
#include "core/weights/pretrained_weights.h"

#include <QDateTime>
#include <QString>
#include <QStringList>

#include <optional>
#include <vector>

namespace dw {
class JobContext;
}

namespace dw::weights {

struct CachedWeights {
    PretrainedWeights weights;
    QString path;    // the file to load
    QString sha256;  // full digest, as recorded
    QString source;  // the URL it was downloaded from, or the file it was imported from
    QDateTime date;  // when it was recorded (UTC)
    qint64 size = 0;
    bool torchHub = false;  // torchvision's own copy, used read-only
    QJsonObject toJson() const;
};

class WeightCache {
public:
    // The registry's files in directory().
    WeightCache();
    // Other entries (a site's own files, the tests') and/or another folder (empty: directory()).
    explicit WeightCache(std::vector<PretrainedWeights> known, QString folder = {});

    // $DEEPWB_WEIGHTS_DIR, else <generic cache location>/deep-workbench/weights.
    static QString directory();
    // torchvision's download folders that exist: $TORCH_HOME/hub/checkpoints, else
    // $XDG_CACHE_HOME/torch/hub/checkpoints and ~/.cache/torch/hub/checkpoints.
    static QStringList torchHubDirectories();
    // The file's SHA-256 in lower-case hex, read in chunks. context: progress ("verifying
    // <what>") and cancellation; may be null.
    static Result<QString> sha256Of(const QString &path, const JobContext *context = nullptr, const QString &what = {});
    // Why a file with digest sha256 is not weights (empty: it is): "its SHA-256 starts with
    // A, torchvision's file starts with B (...)".
    static QString digestProblem(const PretrainedWeights &weights, const QString &sha256);

    const QString &folder() const { return m_folder; }
    const std::vector<PretrainedWeights> &known() const { return m_known; }
    QString pathFor(const PretrainedWeights &weights) const;      // <folder>/<file>
    QString partPathFor(const PretrainedWeights &weights) const;  // <folder>/<file>.part (a download under way)

    // The file to load, if one is here (or in torchvision's folder) and its digest fits: a
    // recorded digest is trusted while the file's size and date are unchanged, else the file
    // is hashed once and recorded.
    std::optional<QString> cachedPath(const PretrainedWeights &weights) const;
    // The same with what the index knows about the file.
    std::optional<CachedWeights> cached(const PretrainedWeights &weights) const;
    // The full SHA-256 recorded for a file name; empty when none.
    QString recordedSha256(const QString &fileName) const;
    // Copies a file fetched by hand into the folder (atomically: a .part then a rename) once
    // it is known to be one of the known files: by its name, else by its SHA-256. Returns the
    // cached path. context: progress and cancellation; may be null.
    Result<QString> importFile(const QString &path, const JobContext *context = nullptr);
    // Deletes the cached file (and any partial download) of ARCH:VARIANT or a file name; a
    // bare ARCH deletes all its variants. torchvision's own copies are left alone. Returns
    // failure when nothing of the key was in the folder.
    Result<void> remove(const QString &key);
    // The known files that are cached, in registry order.
    std::vector<CachedWeights> cachedEntries() const;
    // Notes a verified file in the index (what the downloader does after a download).
    Result<void> record(const PretrainedWeights &weights, const QString &path, const QString &sha256,
                        const QString &source) const;
    // Index path (<folder>/index.json).
    QString indexPath() const;

private:
    std::optional<CachedWeights> verifiedFile(const PretrainedWeights &weights, const QString &path,
                                              bool torchHub) const;

    std::vector<PretrainedWeights> m_known;
    QString m_folder;
};

}  // namespace dw::weights
