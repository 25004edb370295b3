// module.json: round trip, the validation table (each malformed manifest reported with its
// field and a specific message), checksums and the weights check.
#include "core/catalog/manifest_io.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QtTest>

using namespace dw;

namespace {

QJsonObject validJson()
{
    return QJsonObject{{"id", "plant-classifier"},
                       {"version", "1.2.0"},
                       {"title", "Plant classifier"},
                       {"summary", "Tells 10 plant species apart."},
                       {"description", "# Plants\n\nTrained on PlantNet photos."},
                       {"keywords", QJsonArray{"image classification", "plants"}},
                       {"license", "MIT"},
                       {"date_creation", "2024-05-31"},
                       {"authors", QJsonArray{"A. Botanist"}},
                       {"sources", QJsonArray{"https://github.com/deephdc/image-classification-tf"}},
                       {"dataset_url", "https://example.org/plants"},
                       {"cite_url", "https://doi.org/10.1109/ACCESS.2019.2933017"},
                       {"task", "image-classification"},
                       {"architecture", "resnet18"},
                       {"hyper-parameters", QJsonObject{{"epochs", 20}, {"learning-rate", 0.001}}},
                       {"inputs", QJsonObject{{"channels", 3}, {"size", QJsonArray{224, 224}}}},
                       {"labels", QJsonArray{"rose", "tulip", "daisy"}},
                       {"metrics", QJsonObject{{"top1", 0.91}}},
                       {"created_with", "deep-workbench 0.1.0"}};
}

QByteArray bytesOf(const QJsonObject &json)
{
    return QJsonDocument(json).toJson();
}

QByteArray with(const QString &key, const QJsonValue &value)
{
    QJsonObject json = validJson();
    json.insert(key, value);
    return bytesOf(json);
}

QByteArray without(const QString &key)
{
    QJsonObject json = validJson();
    json.remove(key);
    return bytesOf(json);
}

QByteArray withWeights(const QString &file, const QString &format, const QString &sha256)
{
    return with("weights", QJsonObject{{"file", file}, {"format", format}, {"sha256", sha256}});
}

bool writeBytes(const QString &path, const QByteArray &bytes)
{
    QDir().mkpath(QFileInfo(path).path());
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
}

QString describe(const QList<ValidationProblem> &problems)
{
    QStringList lines;
    for (const ValidationProblem &p : problems)
        lines << p.text();
    return lines.join(" | ");
}

const QString kHashOfAbc = QStringLiteral("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");

}  // namespace

class TestManifest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void roundTrip_data();
    void roundTrip();
    void builtInTemplatesAreValid_data();
    void builtInTemplatesAreValid();
    void validation_data();
    void validation();
    void wrongTypeKeepsTheRest();
    void writeIsIndentedAndAtomic();
    void writeFailsWithReason();
    void sha256OfFile_data();
    void sha256OfFile();
    void sha256OfMissingFile();
    void verifyWeights_data();
    void verifyWeights();
    void readChecksWeightsPresence();
};

void TestManifest::roundTrip_data()
{
    QTest::addColumn<QJsonObject>("json");
    QTest::newRow("full") << validJson();
    QJsonObject unknown = validJson();
    unknown.insert("continuous_integration", QJsonObject{{"build_status_url", "https://ci.example.org"}});
    unknown.insert("tosca", QJsonArray{QJsonObject{{"title", "Mesos (CPU)"}, {"inputs", QJsonArray{"rclone_conf"}}}});
    unknown.insert("x-number", 42);
    QTest::newRow("unknown fields kept") << unknown;
    QJsonObject trained = validJson();
    trained.insert("weights", QJsonObject{{"file", "weights.pt"},
                                          {"format", "torchscript"},
                                          {"sha256", kHashOfAbc},
                                          {"url", "https://example.org/w.pt"}});
    trained.insert("parent", "image-classifier");
    trained.insert("training_data", QJsonObject{{"path", "/data/plants"}, {"images", 1200}});
    QTest::newRow("trained, with parent and unknown weights key") << trained;
    QJsonObject unicode = validJson();
    unicode.insert("title", QString::fromUtf8("Clasificación de plantas — 植物"));
    unicode.insert("labels", QJsonArray{QString::fromUtf8("Rosa canina"), QString::fromUtf8("Bellis perennis ♥")});
    QTest::newRow("non-ASCII text") << unicode;
}

void TestManifest::roundTrip()
{
    QFETCH(QJsonObject, json);
    QList<ValidationProblem> problems;
    const ModuleManifest original = manifestFromJson(json, &problems);
    QVERIFY2(problems.isEmpty(), qPrintable(describe(problems)));

    QTemporaryDir dir;
    const QString moduleDir = dir.filePath("module");
    const Result<void> written = writeManifest(original, moduleDir);
    QVERIFY2(written.ok(), qPrintable(written.ok() ? QString() : written.error().text()));
    if (!original.weights.file.isEmpty())
        QVERIFY(writeBytes(QDir(moduleDir).filePath(original.weights.file), "abc"));

    const ManifestReadResult read = readManifest(moduleDir);
    QVERIFY2(read.isValid(), qPrintable(describe(read.problems)));
    QCOMPARE(read.manifest, original);
    // Unknown keys are written back with their values, not just remembered.
    QCOMPARE(manifestToJson(read.manifest), json);
}

void TestManifest::builtInTemplatesAreValid_data()
{
    QTest::addColumn<QString>("folder");
    QTest::addColumn<QString>("task");
    QTest::newRow("image classifier") << ":/modules/image-classifier"
                                      << "image-classification";
    QTest::newRow("super-resolution") << ":/modules/satellite-super-resolution"
                                      << "super-resolution";
    QTest::newRow("forecaster") << ":/modules/time-series-forecaster"
                                << "time-series";
}

void TestManifest::builtInTemplatesAreValid()
{
    QFETCH(QString, folder);
    QFETCH(QString, task);
    const ManifestReadResult read = readManifest(folder);
    QVERIFY2(read.isValid(), qPrintable(describe(read.problems)));
    QCOMPARE(read.manifest.task, task);
    QVERIFY(read.manifest.isTemplate());
}

void TestManifest::validation_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("fragment");

    // Wrong JSON types
    QTest::newRow("title is a number") << with("title", 5) << "title"
                                       << "expected a text in quotes, found a number";
    QTest::newRow("keyword not a text") << with("keywords", QJsonArray{"plants", 3}) << "keywords[1]"
                                        << "found a number";
    QTest::newRow("keywords an object") << with("keywords", QJsonObject{{"a", "b"}}) << "keywords"
                                        << "found an object";
    QTest::newRow("inputs a list") << with("inputs", QJsonArray{3, 224}) << "inputs"
                                   << "expected an object";
    QTest::newRow("hyper-parameters a text") << with("hyper-parameters", "fast") << "hyper-parameters"
                                             << "found a text";
    QTest::newRow("weights a text") << with("weights", "weights.pt") << "weights"
                                    << "expected an object";
    QTest::newRow("label not a text") << with("labels", QJsonArray{"rose", true}) << "labels[1]"
                                      << "found true/false";
    // Missing required fields
    QTest::newRow("no id") << without("id") << "id"
                           << "required";
    QTest::newRow("no title") << without("title") << "title"
                              << "required";
    QTest::newRow("no task") << without("task") << "task"
                             << "required: what the module does, one of image-classification";
    QTest::newRow("no version") << without("version") << "version"
                                << "required";
    // Bad values
    QTest::newRow("unknown task")
        << with("task", "object-detection") << "task"
        << "unknown task \"object-detection\"; the workbench knows image-classification, super-resolution, time-series";
    QTest::newRow("impossible date") << with("date_creation", "2019-13-45") << "date_creation"
                                     << "use the ISO form YYYY-MM-DD";
    QTest::newRow("date in words") << with("date_creation", "last Tuesday") << "date_creation"
                                   << "\"last Tuesday\" is not a date";
    QTest::newRow("version in words") << with("version", "first") << "version"
                                      << "\"first\" is not a version number";
    QTest::newRow("id with spaces") << with("id", "Plant Classifier") << "id"
                                    << "not a valid id";
    QTest::newRow("id too long") << with("id", QString(65, 'a')) << "id"
                                 << "is 65 characters long; an id may have at most 64";
    QTest::newRow("parent not an id") << with("parent", "../other") << "parent"
                                      << "not a valid id";
    QTest::newRow("duplicate label") << with("labels", QJsonArray{"rose", "tulip", "rose"}) << "labels[2]"
                                     << "\"rose\" is listed twice (also labels[0])";
    QTest::newRow("empty keyword") << with("keywords", QJsonArray{"plants", "  "}) << "keywords[1]"
                                   << "is empty";
    QTest::newRow("dataset_url not a URL") << with("dataset_url", "my laptop") << "dataset_url"
                                           << "not a web address";
    QTest::newRow("bad sha256") << withWeights("weights.pt", "torchscript", "abc123") << "weights.sha256"
                                << "must be 64 hexadecimal characters";
    QTest::newRow("weights outside with ..")
        << withWeights("../../etc/passwd", "torchscript", kHashOfAbc) << "weights.file"
        << "points outside the module folder";
    QTest::newRow("weights absolute") << withWeights("/home/me/weights.pt", "torchscript", kHashOfAbc) << "weights.file"
                                      << "is an absolute path";
    QTest::newRow("unknown weights format")
        << withWeights("w.pkl", "pickle", kHashOfAbc) << "weights.format"
        << "unknown format \"pickle\"; use one of torch-state-dict, torchscript, onnx";
    QTest::newRow("weights without file") << withWeights("", "onnx", kHashOfAbc) << "weights.file"
                                          << "required when weights are described";
    // The file as a whole
    QTest::newRow("invalid UTF-8") << QByteArray("{\"id\": \"a\", \"title\": \"Caf\xe9\"}") << "module.json"
                                   << "invalid UTF-8 at byte 25 (line 1, column 26)";
    QTest::newRow("overlong UTF-8") << QByteArray("{\"title\": \"\xc0\xaf\"}") << "module.json"
                                    << "invalid UTF-8 at byte 11";
    QTest::newRow("empty file") << QByteArray() << "module.json"
                                << "the file is empty";
    QTest::newRow("10 MB of junk") << QByteArray(10 * 1024 * 1024, 'x') << "module.json"
                                   << "the file is 10.0 MB, but a manifest is at most 1.0 MB";
    const QByteArray full = bytesOf(validJson());
    QTest::newRow("truncated JSON") << full.left(full.size() / 2) << "module.json"
                                    << "the file looks truncated";
    QTest::newRow("missing comma") << QByteArray("{\n  \"id\": \"a\"\n  \"title\": \"b\"\n}") << "module.json"
                                   << "malformed JSON at byte 17 (line 3, column 4)";
    QTest::newRow("top level a list") << QByteArray("[1, 2, 3]") << "module.json"
                                      << "the top level is a list [...]";
    QTest::newRow("top level a text") << QByteArray("\"module\"") << "module.json"
                                      << "it starts with '\"' at line 1, column 1";
    QTest::newRow("YAML, not JSON") << QByteArray("\n  id: plants\n") << "module.json"
                                    << "the file does not start with '{' (it starts with 'i' at line 2, column 3)";
}

void TestManifest::validation()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QString, field);
    QFETCH(QString, fragment);

    // From memory and from a module folder on disk: the same single, specific complaint.
    QTemporaryDir dir;
    QVERIFY(writeBytes(dir.filePath("module.json"), bytes));
    // Weights files named by the rows exist, so that only the row's own fault is reported.
    QVERIFY(writeBytes(dir.filePath("weights.pt"), "abc"));
    QVERIFY(writeBytes(dir.filePath("w.pkl"), "abc"));
    for (const ManifestReadResult &read : {parseManifest(bytes), readManifest(dir.path())}) {
        QVERIFY2(read.problems.size() == 1, qPrintable(describe(read.problems)));
        QCOMPARE(read.problems.first().field, field);
        QVERIFY2(read.problems.first().message.contains(fragment), qPrintable(read.problems.first().message));
    }
    QVERIFY(validateManifest(manifestFromJson(validJson(), nullptr)).isEmpty());
}

void TestManifest::wrongTypeKeepsTheRest()
{
    QJsonObject json = validJson();
    json.insert("title", 12);
    json.insert("keywords", QJsonArray{"plants", 7, "flowers"});
    json.insert("x-lab", "Ghent");
    QList<ValidationProblem> problems;
    const ModuleManifest m = manifestFromJson(json, &problems);
    QCOMPARE(problems.size(), 2);
    QCOMPARE(m.id, QStringLiteral("plant-classifier"));
    QCOMPARE(m.title, QStringLiteral("12"));  // a number is still shown, though reported
    QCOMPARE(m.keywords, (QStringList{"plants", "flowers"}));
    QCOMPARE(m.labels.size(), 3);
    QCOMPARE(m.extra.value("x-lab").toString(), QStringLiteral("Ghent"));
}

void TestManifest::writeIsIndentedAndAtomic()
{
    QTemporaryDir dir;
    const ModuleManifest m = manifestFromJson(validJson(), nullptr);
    QVERIFY(writeManifest(m, dir.path()).ok());
    QFile file(dir.filePath("module.json"));
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray text = file.readAll();
    QVERIFY2(text.contains("\n    \"id\": \"plant-classifier\""), text.constData());  // indented, one key a line
    // QSaveFile leaves nothing beside the manifest.
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden), QStringList{"module.json"});
}

void TestManifest::writeFailsWithReason()
{
    QTemporaryDir dir;
    QVERIFY(writeBytes(dir.filePath("a-file"), "x"));
    const Result<void> written = writeManifest(manifestFromJson(validJson(), nullptr), dir.filePath("a-file/module"));
    QVERIFY(!written.ok());
    QVERIFY2(written.error().message.contains("cannot create the module folder"), qPrintable(written.error().text()));
}

void TestManifest::sha256OfFile_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("abc") << QByteArray("abc");
    QByteArray big(5 * 1024 * 1024 + 17, Qt::Uninitialized);  // spans many read blocks
    QRandomGenerator(7).fillRange(reinterpret_cast<quint32 *>(big.data()), big.size() / 4);
    QTest::newRow("5 MB") << big;
}

void TestManifest::sha256OfFile()
{
    QFETCH(QByteArray, content);
    QTemporaryDir dir;
    QVERIFY(writeBytes(dir.filePath("w.bin"), content));
    const Result<QString> hash = dw::sha256OfFile(dir.filePath("w.bin"));
    QVERIFY(hash.ok());
    QCOMPARE(*hash, QString::fromLatin1(QCryptographicHash::hash(content, QCryptographicHash::Sha256).toHex()));
    if (content == "abc")
        QCOMPARE(*hash, kHashOfAbc);
}

void TestManifest::sha256OfMissingFile()
{
    const Result<QString> hash = dw::sha256OfFile("/nonexistent/weights.pt");
    QVERIFY(!hash.ok());
    QVERIFY2(hash.error().message.contains("cannot read /nonexistent/weights.pt"), qPrintable(hash.error().message));
}

void TestManifest::verifyWeights_data()
{
    QTest::addColumn<QString>("file");    // the file that exists in the module folder
    QTest::addColumn<QString>("sha256");  // what the manifest claims
    QTest::addColumn<bool>("checkHash");
    QTest::addColumn<QString>("field");  // empty: no problem expected
    QTest::addColumn<QString>("fragment");
    QTest::newRow("matches") << "weights.pt" << kHashOfAbc << true << ""
                             << "";
    QTest::newRow("matches, upper-case hex") << "weights.pt" << kHashOfAbc.toUpper() << true << ""
                                             << "";
    QTest::newRow("no checksum given") << "weights.pt"
                                       << "" << true << ""
                                       << "";
    QTest::newRow("mismatch") << "weights.pt" << QString(64, '0') << true << "weights.sha256"
                              << "does not match its checksum";
    QTest::newRow("mismatch, hash not checked") << "weights.pt" << QString(64, '0') << false << ""
                                                << "";
    QTest::newRow("file missing") << "other.pt" << kHashOfAbc << true << "weights.file"
                                  << "is not in the module folder";
}

void TestManifest::verifyWeights()
{
    QFETCH(QString, file);
    QFETCH(QString, sha256);
    QFETCH(bool, checkHash);
    QFETCH(QString, field);
    QFETCH(QString, fragment);
    QTemporaryDir dir;
    QVERIFY(writeBytes(dir.filePath(file), "abc"));
    ModuleManifest m = manifestFromJson(validJson(), nullptr);
    m.weights = {"weights.pt", "torchscript", sha256, {}};
    const QList<ValidationProblem> problems = dw::verifyWeights(m, dir.path(), checkHash);
    if (field.isEmpty()) {
        QVERIFY2(problems.isEmpty(), qPrintable(describe(problems)));
        return;
    }
    QCOMPARE(problems.size(), 1);
    QCOMPARE(problems.first().field, field);
    QVERIFY2(problems.first().message.contains(fragment), qPrintable(problems.first().message));
}

void TestManifest::readChecksWeightsPresence()
{
    QTemporaryDir dir;
    QVERIFY(writeBytes(dir.filePath("module.json"), withWeights("weights.pt", "torchscript", kHashOfAbc)));
    ManifestReadResult read = readManifest(dir.path());
    QCOMPARE(read.problems.size(), 1);
    QCOMPARE(read.problems.first().field, QStringLiteral("weights.file"));
    // Reading never hashes: a wrong checksum is only found by verifyWeights().
    QVERIFY(writeBytes(dir.filePath("weights.pt"), "not abc"));
    read = readManifest(dir.filePath("module.json"));
    QVERIFY2(read.isValid(), qPrintable(describe(read.problems)));
    QCOMPARE(dw::verifyWeights(read.manifest, dir.path()).size(), 1);
}

QTEST_GUILESS_MAIN(TestManifest)
#include "test_manifest.moc"
