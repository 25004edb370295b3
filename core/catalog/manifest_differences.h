#pragma once
// What differs between the settings of two to four modules: their manifests'
// hyper-parameters and training_data compared key by key (nested objects by their dotted
// paths, arrays as a whole). Only the keys whose values are not the same in every module are
// listed; a key missing from one module differs from any value.
#include "core/catalog/module_manifest.h"

#include <QJsonValue>
#include <QList>
#include <QString>

namespace dw {

struct SettingDifference {
    enum class Section { HyperParameters, TrainingData };
    Section section = Section::HyperParameters;
    QString key;               // "lr", "augmentation.flip"
    QList<QJsonValue> values;  // one per manifest, in order; undefined where the key is absent

    QString sectionName() const;  // "hyper-parameters" or "training_data", as in module.json
};

QList<SettingDifference> settingDifferences(const QList<ModuleManifest> &manifests);
// Flattens nested objects to dotted keys ({"a": {"b": 1}} -> {"a.b": 1}); arrays stay whole.
QJsonObject flattenJson(const QJsonObject &object);

}  // namespace dw
