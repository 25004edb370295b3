#include "plugins/imageclass/classifier_cache.h"

#include <QDir>
#include <QFileInfo>

namespace dw::imageclass {

namespace {

QDateTime modified(const QString &path)
{
    return QFileInfo(path).lastModified();
}

}  // namespace

Result<std::shared_ptr<LoadedClassifier>> ClassifierCache::get(const QString &moduleDir, const QString &device)
{
    const QString dir = QDir(moduleDir).absolutePath();
    const QString key = dir + u'|' + device;
    const QDateTime manifestTime = modified(dir + QStringLiteral("/module.json"));
    // The weights file named by the manifest is usually weights.pt; a change of either file
    // (re-training into the same folder, a resumed run) means loading again.
    const QDateTime weightsTime = modified(dir + QStringLiteral("/weights.pt"));
    {
        std::lock_guard lock(m_mutex);
        for (auto it = m_entries.begin(); it != m_entries.end(); ++it) {
            if (it->key != key)
                continue;
            if (it->manifestTime == manifestTime && it->weightsTime == weightsTime) {
                m_entries.splice(m_entries.begin(), m_entries, it);
                return m_entries.front().classifier;
            }
            m_entries.erase(it);
            break;
        }
    }
    // Loading takes a while; done outside the lock so other modules can be served meanwhile.
    Result<std::shared_ptr<LoadedClassifier>> loaded = LoadedClassifier::load(dir, device);
    if (!loaded)
        return loaded;
    std::lock_guard lock(m_mutex);
    m_entries.push_front(Entry{key, manifestTime, weightsTime, *loaded});
    while (int(m_entries.size()) > m_capacity)
        m_entries.pop_back();
    return loaded;
}

void ClassifierCache::clear()
{
    std::lock_guard lock(m_mutex);
    m_entries.clear();
}

int ClassifierCache::size() const
{
    std::lock_guard lock(m_mutex);
    return int(m_entries.size());
}

}  // namespace dw::imageclass
