#pragma once
// Loaded classifiers kept for the next request: by module folder and device, reloaded when
// the module's files change (a re-trained or resumed module), the least recently used one
// dropped beyond a few. Thread-safe.
#include "core/util/result.h"
#include "plugins/imageclass/infer/loaded_classifier.h"

#include <QDateTime>
#include <QString>

#include <list>
#include <memory>
#include <mutex>

namespace dw::imageclass {

class ClassifierCache {
public:
    explicit ClassifierCache(int capacity = 4) : m_capacity(capacity) {}

    Result<std::shared_ptr<LoadedClassifier>> get(const QString &moduleDir, const QString &device);
    void clear();
    int size() const;

private:
    struct Entry {
        QString key;
        QDateTime manifestTime, weightsTime;
        std::shared_ptr<LoadedClassifier> classifier;
    };
    int m_capacity;
    mutable std::mutex m_mutex;
    std::list<Entry> m_entries;  // most recently used first
};

}  // namespace dw::imageclass
