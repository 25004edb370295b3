#pragma once
// The models a task plugin has loaded, kept for the next request: one per (absolute module
// folder, device). A module trained again in the same folder (module.json names other
// weights: its sha256 differs from the loaded module's) is loaded again rather than answered
// from memory. Thread-safe; a load happens under the lock, so one module is never loaded
// twice at once. No LibTorch here.
//
// T is the plugin's loaded model: `T::module().manifest` is the ModuleManifest it was loaded
// from, and by default `T::load(absoluteDir, device)` loads it.
#include "core/catalog/manifest_io.h"
#include "core/util/result.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QString>

#include <map>
#include <memory>
#include <mutex>
#include <utility>

namespace dw {

template <class T>
class LoadedModelCache {
public:
    // The model in moduleDirectory on device: the kept one while its weights are still those
    // module.json names, else load(absoluteDir, device) (kept when it succeeds).
    template <class Loader>
    Result<std::shared_ptr<T>> get(const QString &moduleDirectory, const QString &device, Loader &&load)
    {
        const QString directory = QDir(moduleDirectory).absolutePath();
        std::lock_guard lock(m_mutex);
        const auto key = std::make_pair(directory, device);
        const QString stamp = manifestStamp(directory);
        if (auto it = m_models.find(key); it != m_models.end()) {
            // A module trained again in the same folder, or deleted and imported again under its
            // id (other labels, other metrics), must not be answered from memory.
            if (it->second.stamp == stamp &&
                it->second.model->module().manifest.weights.sha256 == readManifest(directory).manifest.weights.sha256)
                return it->second.model;
            m_models.erase(it);
        }
        Result<std::shared_ptr<T>> model = load(directory, device);
        if (model)
            m_models[key] = Kept{model.value(), stamp};
        return model;
    }

    Result<std::shared_ptr<T>> get(const QString &moduleDirectory, const QString &device)
    {
        return get(moduleDirectory, device, [](const QString &dir, const QString &dev) { return T::load(dir, dev); });
    }

    // TaskPlugin::warm: the model loaded and kept, or why it cannot be.
    Result<void> warm(const QString &moduleDirectory, const QString &device)
    {
        Result<std::shared_ptr<T>> model = get(moduleDirectory, device);
        if (!model)
            return model.error();
        return success();
    }

private:
    struct Kept {
        std::shared_ptr<T> model;
        QString stamp;  // module.json's time and size when the model was loaded
    };
    static QString manifestStamp(const QString &directory)
    {
        const QFileInfo manifest(QDir(directory).filePath(manifestFileName()));
        return QString::number(manifest.lastModified().toMSecsSinceEpoch()) + QLatin1Char(':') +
               QString::number(manifest.size());
    }

    std::mutex m_mutex;
    std::map<std::pair<QString, QString>, Kept> m_models;
};

}  // namespace dw
