// Which hyper-parameters and training data differ between modules: key by key, nested keys
// by their dotted path, missing keys counted as different, equal numbers equal.
#include "core/catalog/manifest_differences.h"

#include <QtTest>

using namespace dw;

namespace {

ModuleManifest manifest(const QJsonObject &hyper, const QJsonObject &data = {})
{
    ModuleManifest m;
    m.hyperParameters = hyper;
    m.trainingData = data;
    return m;
}

QStringList keysOf(const QList<SettingDifference> &differences)
{
    QStringList keys;
    for (const SettingDifference &d : differences)
        keys << d.sectionName() + QLatin1Char('.') + d.key;
    return keys;
}

}  // namespace

class TestManifestDifferences : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void onlyDifferingKeys();
    void missingKeyDiffers();
    void nestedKeysByPath();
    void sameSettingsNoRows();
    void fewerThanTwoNoRows();
};

void TestManifestDifferences::onlyDifferingKeys()
{
    const QList<SettingDifference> d = settingDifferences(
        {manifest({{"lr", 0.01}, {"epochs", 10}, {"model", "resnet18"}}, {{"images", 100}, {"source", "a"}}),
         manifest({{"lr", 0.001}, {"epochs", 10.0}, {"model", "resnet18"}}, {{"images", 100}, {"source", "b"}})});
    QCOMPARE(keysOf(d), (QStringList{"hyper-parameters.lr", "training_data.source"}));
    QCOMPARE(d.at(0).values.size(), 2);
    QCOMPARE(d.at(0).values.at(0).toDouble(), 0.01);
    QCOMPARE(d.at(1).values.at(1).toString(), QStringLiteral("b"));
    QCOMPARE(d.at(1).section, SettingDifference::Section::TrainingData);
}

void TestManifestDifferences::missingKeyDiffers()
{
    const QList<SettingDifference> d =
        settingDifferences({manifest({{"lr", 0.1}}), manifest({{"lr", 0.1}, {"seed", 7}}), manifest({{"lr", 0.1}})});
    QCOMPARE(keysOf(d), QStringList{"hyper-parameters.seed"});
    QVERIFY(d.first().values.at(0).isUndefined());
    QCOMPARE(d.first().values.at(1).toInt(), 7);
    QVERIFY(d.first().values.at(2).isUndefined());
}

void TestManifestDifferences::nestedKeysByPath()
{
    const QJsonObject a{{"augmentation", QJsonObject{{"flip", true}, {"rotate", 10}}}, {"sizes", QJsonArray{1, 2}}};
    const QJsonObject b{{"augmentation", QJsonObject{{"flip", true}, {"rotate", 20}}}, {"sizes", QJsonArray{1, 3}}};
    QCOMPARE(keysOf(settingDifferences({manifest(a), manifest(b)})),
             (QStringList{"hyper-parameters.augmentation.rotate", "hyper-parameters.sizes"}));
    QCOMPARE(flattenJson(a).keys(), (QStringList{"augmentation.flip", "augmentation.rotate", "sizes"}));
}

void TestManifestDifferences::sameSettingsNoRows()
{
    const QJsonObject hyper{{"lr", 0.1}, {"nested", QJsonObject{{"x", 1}}}};
    QVERIFY(settingDifferences({manifest(hyper, {{"n", 1}}), manifest(hyper, {{"n", 1}})}).isEmpty());
}

void TestManifestDifferences::fewerThanTwoNoRows()
{
    QVERIFY(settingDifferences({manifest({{"lr", 0.1}})}).isEmpty());
    QVERIFY(settingDifferences({}).isEmpty());
}

QTEST_GUILESS_MAIN(TestManifestDifferences)
#include "test_manifest_differences.moc"
