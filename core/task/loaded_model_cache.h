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

#include <QDir>
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
        if (auto it = m_models.find(key); it != m_models.end()) {
            // A module trained again in the same folder must not be answered from memory.
            if (it->second->module().manifest.weights.sha256 == readManifest(directory).manifest.weights.sha256)
                return it->second;
            m_models.erase(it);
        }
        Result<std::shared_ptr<T>> model = load(directory, device);
        if (model)
            m_models[key] = model.value();
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
    std::mutex m_mutex;
    std::map<std::pair<QString, QString>, std::shared_ptr<T>> m_models;
};

}  // namespace dw
