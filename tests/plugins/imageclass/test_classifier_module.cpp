// The folder of a trained classifier: written, read back, and each way it can be wrong.
#include "core/catalog/manifest_io.h"
#include "plugins/imageclass/module/classifier_module.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace dw;
using namespace dw::imageclass;

namespace {

ClassifierModule sampleModule(const QString &dir)
{
    ClassifierModule module;
    module.directory = dir;
    module.manifest.id = QStringLiteral("plants");
    module.manifest.title = QStringLiteral("Plant classifier");
    module.manifest.hyperParameters = QJsonObject{{QStringLiteral("epochs"), 3}};
    module.manifest.metrics = QJsonObject{{QStringLiteral("test_top1"), 0.75}};
    module.architecture = QStringLiteral("smallcnn");
    module.channels = 1;
    module.height = 28;
    module.width = 32;
    module.mean = {0.5};
    module.std = {0.25};
    module.labels = {QStringLiteral("rose"), QStringLiteral("tulip"), QStringLiteral("daisy")};
    return module;
}

bool writeBytes(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size();
}

QJsonObject readJson(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(file.readAll()).object();
}

}  // namespace

class TestClassifierModule : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void roundTrip()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        QVERIFY(writeBytes(dir.filePath(QStringLiteral("weights.pt")), QByteArray("not really weights")));
        const Result<void> written = writeClassifierModule(sampleModule(dir.path()));
        QVERIFY2(written.ok(), qPrintable(written ? QString() : written.error().text()));

        const QJsonObject json = readJson(dir.filePath(QStringLiteral("module.json")));
        QCOMPARE(json.value(QStringLiteral("task")).toString(), QStringLiteral("image-classification"));
        const QJsonObject inputs = json.value(QStringLiteral("inputs")).toObject();
        QCOMPARE(inputs.value(QStringLiteral("channels")).toInt(), 1);
        QCOMPARE(inputs.value(QStringLiteral("size")).toArray(), (QJsonArray{28, 32}));
        QCOMPARE(inputs.value(QStringLiteral("normalisation")).toObject().value(QStringLiteral("std")).toArray(),
                 QJsonArray{0.25});
        const QJsonObject weights = json.value(QStringLiteral("weights")).toObject();
        QCOMPARE(weights.value(QStringLiteral("file")).toString(), QStringLiteral("weights.pt"));
        QCOMPARE(weights.value(QStringLiteral("format")).toString(), QStringLiteral("torch-state-dict"));
        QCOMPARE(weights.value(QStringLiteral("sha256")).toString(),
                 sha256OfFile(dir.filePath(QStringLiteral("weights.pt"))).value());

        const Result<ClassifierModule> read = readClassifierModule(dir.path());
        QVERIFY2(read.ok(), qPrintable(read ? QString() : read.error().text()));
        QCOMPARE(read->directory, QDir(dir.path()).absolutePath());
        QCOMPARE(read->architecture, QStringLiteral("smallcnn"));
        QCOMPARE(read->channels, 1);
        QCOMPARE(read->height, 28);
        QCOMPARE(read->width, 32);
        QCOMPARE(read->mean, std::vector<double>{0.5});
        QCOMPARE(read->std, std::vector<double>{0.25});
        QCOMPARE(read->labels, (QStringList{QStringLiteral("rose"), QStringLiteral("tulip"), QStringLiteral("daisy")}));
        QCOMPARE(read->weightsPath(), QDir(dir.path()).absoluteFilePath(QStringLiteral("weights.pt")));
        QCOMPARE(read->manifest.metrics.value(QStringLiteral("test_top1")).toDouble(), 0.75);
        QCOMPARE(read->manifest.hyperParameters.value(QStringLiteral("epochs")).toInt(), 3);
    }

    void withoutNormalisation()
    {
        QTemporaryDir dir;
        QVERIFY(writeBytes(dir.filePath(QStringLiteral("weights.pt")), QByteArray("w")));
        ClassifierModule module = sampleModule(dir.path());
        module.mean.clear();
        module.std.clear();
        QVERIFY(writeClassifierModule(module).ok());
        const Result<ClassifierModule> read = readClassifierModule(dir.path());
        QVERIFY(read.ok());
        QVERIFY(read->mean.empty());
        QVERIFY(read->std.empty());
    }

    // Each bad module.json: a change to a valid one, and a phrase the message must contain.
    void badManifest_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QJsonValue>("value");
        QTest::addColumn<QString>("expected");
        QTest::newRow("template") << "weights" << QJsonValue(QJsonValue::Undefined) << "is a template: train it first";
        QTest::newRow("wrong task") << "task" << QJsonValue("super-resolution") << "not an image classifier";
        QTest::newRow("unknown architecture")
            << "architecture" << QJsonValue("vgg16") << "unknown architecture \"vgg16\"";
        QTest::newRow("no architecture") << "architecture" << QJsonValue(QJsonValue::Undefined) << "name the network";
        QTest::newRow("one label") << "labels" << QJsonValue(QJsonArray{"rose"}) << "at least 2 class names";
        QTest::newRow("no labels") << "labels" << QJsonValue(QJsonArray{}) << "at least 2 class names";
        QTest::newRow("duplicate label") << "labels" << QJsonValue(QJsonArray{"rose", "rose"}) << "listed twice";
        QTest::newRow("no channels") << "inputs" << QJsonValue(QJsonObject{{"size", QJsonArray{28, 28}}})
                                     << "inputs.channels";
        QTest::newRow("bad size") << "inputs" << QJsonValue(QJsonObject{{"channels", 1}, {"size", QJsonArray{28}}})
                                  << "[height, width]";
        QTest::newRow("huge size") << "inputs"
                                   << QJsonValue(QJsonObject{{"channels", 1}, {"size", QJsonArray{28, 100000}}})
                                   << "[height, width]";
        QTest::newRow("mean per channel")
            << "inputs"
            << QJsonValue(QJsonObject{
                   {"channels", 1},
                   {"size", QJsonArray{28, 28}},
                   {"normalisation", QJsonObject{{"mean", QJsonArray{0.1, 0.2}}, {"std", QJsonArray{0.3}}}}})
            << "one value per channel";
        QTest::newRow("zero std") << "inputs"
                                  << QJsonValue(QJsonObject{{"channels", 1},
                                                            {"size", QJsonArray{28, 28}},
                                                            {"normalisation", QJsonObject{{"mean", QJsonArray{0.1}},
                                                                                          {"std", QJsonArray{0.0}}}}})
                                  << "greater than 0";
        QTest::newRow("weights format") << "weights"
                                        << QJsonValue(QJsonObject{{"file", "weights.pt"}, {"format", "onnx"}})
                                        << "torch-state-dict";
    }

    void badManifest()
    {
        QFETCH(QString, key);
        QFETCH(QJsonValue, value);
        QFETCH(QString, expected);
        QTemporaryDir dir;
        QVERIFY(writeBytes(dir.filePath(QStringLiteral("weights.pt")), QByteArray("w")));
        QVERIFY(writeClassifierModule(sampleModule(dir.path())).ok());
        const QString manifestPath = dir.filePath(QStringLiteral("module.json"));
        QJsonObject json = readJson(manifestPath);
        if (value.isUndefined())
            json.remove(key);
        else
            json.insert(key, value);
        QVERIFY(writeBytes(manifestPath, QJsonDocument(json).toJson()));

        const Result<ClassifierModule> read = readClassifierModule(dir.path());
        QVERIFY(!read.ok());
        QVERIFY2(read.error().text().contains(expected), qPrintable(read.error().text()));
    }

    void missingWeights()
    {
        QTemporaryDir dir;
        QVERIFY(writeBytes(dir.filePath(QStringLiteral("weights.pt")), QByteArray("w")));
        QVERIFY(writeClassifierModule(sampleModule(dir.path())).ok());
        QVERIFY(QFile::remove(dir.filePath(QStringLiteral("weights.pt"))));
        const Result<ClassifierModule> read = readClassifierModule(dir.path());
        QVERIFY(!read.ok());
        QVERIFY2(read.error().text().contains(QStringLiteral("weights.pt")), qPrintable(read.error().text()));
        QVERIFY2(read.error().text().contains(QStringLiteral("train the module again")),
                 qPrintable(read.error().text()));
        QVERIFY2(!read.error().text().contains(QStringLiteral("damaged")), qPrintable(read.error().text()));
        QCOMPARE(read.error().field, QStringLiteral("weights.file"));
    }

    void missingFolderAndManifest()
    {
        QTemporaryDir dir;
        Result<ClassifierModule> read = readClassifierModule(dir.filePath(QStringLiteral("nowhere")));
        QVERIFY(!read.ok());
        QVERIFY(read.error().text().contains(QStringLiteral("not a module folder")));
        read = readClassifierModule(dir.path());
        QVERIFY(!read.ok());
        QVERIFY2(read.error().text().contains(QStringLiteral("module.json")), qPrintable(read.error().text()));
    }

    void builtInTemplateIsRefused()
    {
        // The template shipped with the workbench, copied as a user would find it.
        QTemporaryDir dir;
        QVERIFY(QFile::copy(QStringLiteral(":/modules/image-classifier/module.json"),
                            dir.filePath(QStringLiteral("module.json"))));
        const Result<ClassifierModule> read = readClassifierModule(dir.path());
        QVERIFY(!read.ok());
        QVERIFY2(read.error().text().contains(QStringLiteral("module image-classifier is a template: train it first")),
                 qPrintable(read.error().text()));
    }

    void writeRefusesBadFields_data()
    {
        QTest::addColumn<int>("what");
        QTest::addColumn<QString>("expected");
        QTest::newRow("no weights file") << 0 << "does not exist";
        QTest::newRow("unknown architecture") << 1 << "unknown architecture";
        QTest::newRow("one label") << 2 << "at least 2 class names";
        QTest::newRow("std count") << 3 << "one mean and one std per channel";
        QTest::newRow("bad id") << 4 << "id";
    }

    void writeRefusesBadFields()
    {
        QFETCH(int, what);
        QFETCH(QString, expected);
        QTemporaryDir dir;
        ClassifierModule module = sampleModule(dir.path());
        if (what != 0)
            QVERIFY(writeBytes(dir.filePath(QStringLiteral("weights.pt")), QByteArray("w")));
        if (what == 1)
            module.architecture = QStringLiteral("alexnet");
        if (what == 2)
            module.labels = {QStringLiteral("only")};
        if (what == 3)
            module.std = {0.1, 0.2};
        if (what == 4)
            module.manifest.id = QStringLiteral("Not An Id!");
        const Result<void> written = writeClassifierModule(module);
        QVERIFY(!written.ok());
        QVERIFY2(written.error().text().contains(expected), qPrintable(written.error().text()));
        QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("module.json"))));
    }
};

QTEST_GUILESS_MAIN(TestClassifierModule)
#include "test_classifier_module.moc"
