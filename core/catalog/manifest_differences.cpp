#include "core/catalog/manifest_differences.h"

#include <QSet>

#include <algorithm>

namespace dw {

namespace {

void flattenInto(const QJsonObject &object, const QString &prefix, QJsonObject &out)
{
    for (auto it = object.begin(); it != object.end(); ++it) {
        const QString key = prefix.isEmpty() ? it.key() : prefix + QLatin1Char('.') + it.key();
        if (it.value().isObject() && !it.value().toObject().isEmpty())
            flattenInto(it.value().toObject(), key, out);
        else
            out.insert(key, it.value());
    }
}

// 1 and 1.0 are the same number in JSON; QJsonValue already compares them equal.
bool allEqual(const QList<QJsonValue> &values)
{
    return std::all_of(values.cbegin(), values.cend(), [&](const QJsonValue &v) { return v == values.first(); });
}

void compareSection(const QList<QJsonObject> &objects, SettingDifference::Section section,
                    QList<SettingDifference> &out)
{
    QStringList keys;
    for (const QJsonObject &object : objects)
        keys << object.keys();
    keys.removeDuplicates();
    std::sort(keys.begin(), keys.end());
    for (const QString &key : std::as_const(keys)) {
        SettingDifference difference{section, key, {}};
        for (const QJsonObject &object : objects)
            difference.values << (object.contains(key) ? object.value(key) : QJsonValue(QJsonValue::Undefined));
        if (!allEqual(difference.values))
            out << difference;
    }
}

}  // namespace

QString SettingDifference::sectionName() const
{
    return section == Section::HyperParameters ? QStringLiteral("hyper-parameters") : QStringLiteral("training_data");
}

QJsonObject flattenJson(const QJsonObject &object)
{
    QJsonObject flat;
    flattenInto(object, {}, flat);
    return flat;
}

QList<SettingDifference> settingDifferences(const QList<ModuleManifest> &manifests)
{
    QList<QJsonObject> hyper, data;
    for (const ModuleManifest &manifest : manifests) {
        hyper << flattenJson(manifest.hyperParameters);
        data << flattenJson(manifest.trainingData);
    }
    QList<SettingDifference> differences;
    if (manifests.size() < 2)
        return differences;
    compareSection(hyper, SettingDifference::Section::HyperParameters, differences);
    compareSection(data, SettingDifference::Section::TrainingData, differences);
    return differences;
}

}  // namespace dw
