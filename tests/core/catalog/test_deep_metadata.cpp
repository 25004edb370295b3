// Import of DEEP Open Catalog metadata.json files: the committed fixtures (modelled on the
// DEEP-OC-satsr and DEEP-OC-mods modules), key spelling, description forms, unknown keys,
// id derivation and the task guess.
#include "core/catalog/deep_metadata.h"
#include "core/catalog/manifest_io.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QtTest>

using namespace dw;

namespace {

QByteArray fixture(const QString &name)
{
    QFile f(QStringLiteral(DW_TEST_DATA_DIR "/catalog/") + name);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

QByteArray json(const QJsonObject &o)
{
    return QJsonDocument(o).toJson();
}

bool hasWarning(const QList<ValidationProblem> &warnings, const QString &field, const QString &fragment)
{
    return std::any_of(warnings.begin(), warnings.end(),
                       [&](const ValidationProblem &w) { return w.field == field && w.message.contains(fragment); });
}

QString describe(const QList<ValidationProblem> &problems)
{
    QStringList lines;
    for (const ValidationProblem &p : problems)
        lines << p.text();
    return lines.join(" | ");
}

}  // namespace

class TestDeepMetadata : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void fixtures_data();
    void fixtures();
    void fixtureKeepsDeepOnlyFields();
    void capitalisedKeys();
    void unknownKeysKeptAndWrittenBack();
    void description_data();
    void description();
    void ai4Form();
    void derivedId_data();
    void derivedId();
    void taskGuess_data();
    void taskGuess();
    void wrongTypesWarn();
    void refused_data();
    void refused();
    void slugify_data();
    void slugify();
};

void TestDeepMetadata::fixtures_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("id");
    QTest::addColumn<QString>("title");
    QTest::addColumn<QString>("task");
    QTest::addColumn<QString>("guessedFrom");
    QTest::addColumn<QString>("date");
    QTest::addColumn<QString>("code");
    QTest::newRow("satsr") << "deep_oc_satsr_metadata.json"
                           << "deep-oc-satsr"
                           << "DEEP OC Satellite super resolution"
                           << "super-resolution"
                           << "title, summary and keywords"
                           << "2019-01-01"
                           << "https://github.com/deephdc/satsr";
    QTest::newRow("mods") << "deep_oc_mods_metadata.json"
                          << "deep-oc-mods"
                          << "DEEP OC Massive Online Data Streams"
                          << "time-series"
                          << "description"
                          << "2019-02-19"
                          << "https://github.com/deephdc/mods";
}

void TestDeepMetadata::fixtures()
{
    QFETCH(QString, file);
    QFETCH(QString, id);
    QFETCH(QString, title);
    QFETCH(QString, task);
    QFETCH(QString, guessedFrom);
    QFETCH(QString, date);
    QFETCH(QString, code);
    const QByteArray bytes = fixture(file);
    QVERIFY(!bytes.isEmpty());
    QList<ValidationProblem> warnings;
    const Result<ModuleManifest> imported = importDeepMetadata(bytes, &warnings);
    QVERIFY2(imported.ok(), qPrintable(imported.ok() ? QString() : imported.error().text()));
    const ModuleManifest &m = *imported;
    QCOMPARE(m.id, id);
    QCOMPARE(m.title, title);
    QCOMPARE(m.task, task);
    QVERIFY2(hasWarning(warnings, "task", "guessed \"" + task + "\" from the " + guessedFrom),
             qPrintable(describe(warnings)));
    QCOMPARE(m.dateCreation, date);
    QCOMPARE(m.license, QStringLiteral("Apache 2.0"));
    QCOMPARE(m.sources.first(), code);
    QVERIFY(m.sources.contains("https://hub.docker.com/r/deephdc/" + id));
    QVERIFY(m.keywords.contains("docker"));
    QVERIFY(m.description.startsWith("This use case") || m.description.startsWith("Recent Earth-observation"));
    QVERIFY(m.isTemplate());
    // What the import produced is a valid module, ready for the catalog.
    QVERIFY2(validateManifest(m).isEmpty(), qPrintable(describe(validateManifest(m))));
}

void TestDeepMetadata::fixtureKeepsDeepOnlyFields()
{
    const Result<ModuleManifest> m = importDeepMetadata(fixture("deep_oc_mods_metadata.json"));
    QVERIFY(m.ok());
    QVERIFY(m->extra.value("continuous_integration").isObject());
    QCOMPARE(m->extra.value("tosca").toArray().first().toObject().value("title").toString(),
             QStringLiteral("Mesos (CPU)"));
    // Which URL was the docker image and which the code stays known.
    QCOMPARE(m->extra.value("deep_sources").toObject().value("docker_registry_repo").toString(),
             QStringLiteral("deephdc/deep-oc-mods"));
    QCOMPARE(m->trainingData.value("url").toString(),
             QStringLiteral("https://nc.deep-hybrid-datacloud.eu/s/mods-data"));
    // Paragraph ends ("...\n" lines) become blank lines: Markdown paragraphs.
    QVERIFY2(m->description.contains("computing centres.\n\nThe approach"), qPrintable(m->description));
}

void TestDeepMetadata::capitalisedKeys()
{
    const QByteArray bytes = R"({
        "Title": "Plant Classification",
        "SUMMARY": "Identifies plants from photos.",
        "Description": "A classifier of plant images.",
        "KeyWords": ["plants", "image classification"],
        "License": "MIT",
        "DATE_CREATION": "2019-03-05",
        "Sources": {"Code": "https://github.com/deephdc/plant-classification", "Docker_Registry_Repo": "deephdc/deep-oc-plants-classification"},
        "Cite_URL": "https://doi.org/10.1109/ACCESS.2019.2933017"
    })";
    QList<ValidationProblem> warnings;
    const Result<ModuleManifest> m = importDeepMetadata(bytes, &warnings);
    QVERIFY(m.ok());
    QCOMPARE(m->title, QStringLiteral("Plant Classification"));
    QCOMPARE(m->summary, QStringLiteral("Identifies plants from photos."));
    QCOMPARE(m->description, QStringLiteral("A classifier of plant images."));
    QCOMPARE(m->keywords, (QStringList{"plants", "image classification"}));
    QCOMPARE(m->license, QStringLiteral("MIT"));
    QCOMPARE(m->dateCreation, QStringLiteral("2019-03-05"));
    QCOMPARE(m->citeUrl, QStringLiteral("https://doi.org/10.1109/ACCESS.2019.2933017"));
    QCOMPARE(m->sources.first(), QStringLiteral("https://github.com/deephdc/plant-classification"));
    QCOMPARE(m->id, QStringLiteral("deep-oc-plants-classification"));
    QCOMPARE(m->task, QStringLiteral("image-classification"));
    // Matched keys are not left behind as unknown ones.
    QVERIFY2(!m->extra.contains("Title") && !m->extra.contains("DATE_CREATION"),
             qPrintable(QJsonDocument(m->extra).toJson()));
}

void TestDeepMetadata::unknownKeysKeptAndWrittenBack()
{
    const QByteArray bytes = R"({"title": "Fish detector", "task": "image-classification",
        "maintainer": {"name": "Obsea", "email": "obsea@example.org"}, "Trainable": true, "gpu_memory": 8})";
    const Result<ModuleManifest> m = importDeepMetadata(bytes);
    QVERIFY(m.ok());
    QCOMPARE(m->extra.value("maintainer").toObject().value("name").toString(), QStringLiteral("Obsea"));
    QCOMPARE(m->extra.value("Trainable").toBool(), true);
    QCOMPARE(m->extra.value("gpu_memory").toInt(), 8);
    QTemporaryDir dir;
    QVERIFY(writeManifest(*m, dir.path()).ok());
    const ManifestReadResult read = readManifest(dir.path());
    QVERIFY2(read.isValid(), qPrintable(describe(read.problems)));
    QCOMPARE(read.manifest, *m);
}

void TestDeepMetadata::description_data()
{
    QTest::addColumn<QJsonValue>("description");
    QTest::addColumn<QString>("markdown");
    QTest::newRow("string") << QJsonValue("One paragraph.") << "One paragraph.";
    QTest::newRow("array of lines") << QJsonValue(QJsonArray{"First line", "continues.\n", "Second paragraph."})
                                    << "First line\ncontinues.\n\nSecond paragraph.";
    QTest::newRow("empty lines") << QJsonValue(QJsonArray{"A.", "", "B."}) << "A.\n\nB.";
    QTest::newRow("escaped newline") << QJsonValue(QJsonArray{"A.\\n", "B."}) << "A.\n\nB.";
}

void TestDeepMetadata::description()
{
    QFETCH(QJsonValue, description);
    QFETCH(QString, markdown);
    const Result<ModuleManifest> m = importDeepMetadata(json({{"title", "X"}, {"description", description}}));
    QVERIFY(m.ok());
    QCOMPARE(m->description, markdown);
}

void TestDeepMetadata::ai4Form()
{
    // The later AI4OS form of the same metadata: tags, topics, dates and links.
    const QByteArray bytes = R"({
        "metadata_version": "2.0.0",
        "title": "DEEP OC Massive Online Data Streams",
        "summary": "Massive Online Data Streams analysis",
        "description": ["Streams.\\n", "Alerts."],
        "libraries": ["TensorFlow", "Keras"],
        "topics": ["Anomaly Detection", "Time Series"],
        "tags": ["security", "networks"],
        "license": "Apache 2.0",
        "dates": {"created": "2019-02-19", "updated": "2024-02-19"},
        "links": {"source_code": "https://github.com/deephdc/DEEP-OC-mods", "docker_image": "deephdc/deep-oc-mods", "doi": "10.1016/j.procs.2018.07.298"}
    })";
    const Result<ModuleManifest> m = importDeepMetadata(bytes);
    QVERIFY(m.ok());
    QCOMPARE(m->keywords, (QStringList{"security", "networks", "Anomaly Detection", "Time Series"}));
    QCOMPARE(m->dateCreation, QStringLiteral("2019-02-19"));
    QCOMPARE(m->id, QStringLiteral("deep-oc-mods"));
    QCOMPARE(m->task, QStringLiteral("time-series"));
    QCOMPARE(m->citeUrl, QStringLiteral("https://doi.org/10.1016/j.procs.2018.07.298"));
    QCOMPARE(m->sources,
             (QStringList{"https://github.com/deephdc/DEEP-OC-mods", "https://hub.docker.com/r/deephdc/deep-oc-mods"}));
    QCOMPARE(m->description, QStringLiteral("Streams.\n\nAlerts."));
    QCOMPARE(m->extra.value("libraries").toArray().size(), 2);
    QCOMPARE(m->extra.value("dates").toObject().value("updated").toString(), QStringLiteral("2024-02-19"));
}

void TestDeepMetadata::derivedId_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("id");
    QTest::newRow("docker repo name")
        << QByteArray(R"({"title": "A", "sources": {"docker_registry_repo": "deephdc/deep-oc-dogs_breed_det"}})")
        << "deep-oc-dogs_breed_det";
    QTest::newRow("docker repo with tag")
        << QByteArray(R"({"title": "A", "sources": {"docker_registry_repo": "deephdc/UC-Fish:latest"}})") << "uc-fish";
    QTest::newRow("slug of the title") << QByteArray(R"({"title": "Phytoplankton Classifier (Keras) — v2"})")
                                       << "phytoplankton-classifier-keras-v2";
    QTest::newRow("explicit id") << QByteArray(R"({"title": "A", "id": "My_Module"})") << "my_module";
}

void TestDeepMetadata::derivedId()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QString, id);
    const Result<ModuleManifest> m = importDeepMetadata(bytes);
    QVERIFY(m.ok());
    QCOMPARE(m->id, id);
}

void TestDeepMetadata::taskGuess_data()
{
    QTest::addColumn<QString>("title");
    QTest::addColumn<QStringList>("keywords");
    QTest::addColumn<QString>("task");  // empty: not guessed
    QTest::addColumn<QString>("warning");
    QTest::newRow("image classification") << "Conus image classifier" << QStringList{} << "image-classification"
                                          << "guessed";
    QTest::newRow("classification of photos")
        << "Seeds" << QStringList{"classification", "photos"} << "image-classification"
        << "guessed";
    QTest::newRow("super-resolution") << "Satellite super resolution" << QStringList{} << "super-resolution"
                                      << "guessed";
    QTest::newRow("forecasting keyword") << "River flow" << QStringList{"forecasting"} << "time-series"
                                         << "guessed";
    QTest::newRow("timeseries keyword") << "Sensors" << QStringList{"timeseries"} << "time-series"
                                        << "guessed";
    QTest::newRow("nothing to go on") << "Speech to text" << QStringList{"audio"} << ""
                                      << "could not tell the task";
    QTest::newRow("two tasks") << "Image classification and forecasting" << QStringList{} << ""
                               << "suggests several tasks";
}

void TestDeepMetadata::taskGuess()
{
    QFETCH(QString, title);
    QFETCH(QStringList, keywords);
    QFETCH(QString, task);
    QFETCH(QString, warning);
    QList<ValidationProblem> warnings;
    const Result<ModuleManifest> m =
        importDeepMetadata(json({{"title", title}, {"keywords", QJsonArray::fromStringList(keywords)}}), &warnings);
    QVERIFY(m.ok());
    QCOMPARE(m->task, task);
    QVERIFY2(hasWarning(warnings, "task", warning), qPrintable(describe(warnings)));
}

void TestDeepMetadata::wrongTypesWarn()
{
    QList<ValidationProblem> warnings;
    const Result<ModuleManifest> m = importDeepMetadata(
        R"({"title": "X", "keywords": ["a", 5, "b"], "license": {"name": "MIT"}, "links": "https://x.org", "sources": "https://github.com/x/y"})",
        &warnings);
    QVERIFY(m.ok());
    QCOMPARE(m->keywords, (QStringList{"a", "b"}));
    QCOMPARE(m->sources, QStringList{"https://github.com/x/y"});  // one URL instead of an object: still a source
    QVERIFY2(hasWarning(warnings, "keywords[1]", "not a text"), qPrintable(describe(warnings)));
    QVERIFY2(hasWarning(warnings, "license", "expected a text"), qPrintable(describe(warnings)));
    QVERIFY2(hasWarning(warnings, "links", "expected an object"), qPrintable(describe(warnings)));
    QCOMPARE(m->extra.value("links").toString(), QStringLiteral("https://x.org"));  // kept, not lost
}

void TestDeepMetadata::refused_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("fragment");
    QTest::newRow("not JSON") << QByteArray("title: Plants\n") << "does not start with '{'";
    QTest::newRow("truncated") << QByteArray(R"({"title": "Pla)") << "looks truncated";
    QTest::newRow("a list") << QByteArray(R"([{"title": "Plants"}])") << "the top level is a list";
    QTest::newRow("empty") << QByteArray() << "the file is empty";
    QTest::newRow("names nothing") << QByteArray(R"({"license": "MIT"})") << "names no module";
}

void TestDeepMetadata::refused()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QString, fragment);
    const Result<ModuleManifest> m = importDeepMetadata(bytes);
    QVERIFY(!m.ok());
    QCOMPARE(m.error().field, QStringLiteral("metadata.json"));
    QVERIFY2(m.error().message.contains(fragment), qPrintable(m.error().message));
}

void TestDeepMetadata::slugify_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("slug");
    QTest::newRow("words") << "DEEP OC Satellite super resolution"
                           << "deep-oc-satellite-super-resolution";
    QTest::newRow("accents") << QString::fromUtf8("Clasificación de Imágenes") << "clasificacion-de-imagenes";
    QTest::newRow("punctuation runs") << "  --Hello,   World!--  "
                                      << "hello-world";
    QTest::newRow("long") << QString(100, 'a') << QString(64, 'a');
    QTest::newRow("nothing usable") << QString::fromUtf8("植物") << "";
}

void TestDeepMetadata::slugify()
{
    QFETCH(QString, text);
    QFETCH(QString, slug);
    QCOMPARE(dw::slugify(text), slug);
}

QTEST_GUILESS_MAIN(TestDeepMetadata)
#include "test_deep_metadata.moc"
