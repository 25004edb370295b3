// The catalog: scanning the user's folder and the built-in modules, broken modules listed
// with their reasons, search, shadowing, removal and the DEEPWB_CATALOG variable.
#include "core/catalog/catalog.h"
#include "core/catalog/manifest_io.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

using namespace dw;

namespace {

QByteArray manifest(const QString &id, const QString &title, const QString &task, const QStringList &keywords,
                    const QString &summary = {})
{
    return QJsonDocument(QJsonObject{{"id", id},
                                     {"version", "1.0.0"},
                                     {"title", title},
                                     {"summary", summary},
                                     {"description", "Made by test_catalog."},
                                     {"keywords", QJsonArray::fromStringList(keywords)},
                                     {"task", task}})
        .toJson();
}

bool writeBytes(const QString &path, const QByteArray &bytes)
{
    QDir().mkpath(QFileInfo(path).path());
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
}

const CatalogEntry *byFolder(const Catalog &catalog, const QString &folder)
{
    for (const CatalogEntry &e : catalog.entries())
        if (QFileInfo(e.path).fileName() == folder)
            return &e;
    return nullptr;
}

QStringList idsOf(const QList<CatalogEntry> &entries)
{
    QStringList ids;
    for (const CatalogEntry &e : entries)
        ids << e.id();
    ids.sort();
    return ids;
}

}  // namespace

class TestCatalog : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;  // a catalog of good and broken modules, shared by the search tests
    QString root() const { return m_dir.filePath("modules"); }

private Q_SLOTS:
    void initTestCase();
    void scanListsBrokenAmongGood_data();
    void scanListsBrokenAmongGood();
    void builtInsPresentWithTasks_data();
    void builtInsPresentWithTasks();
    void withoutBuiltIns();
    void search_data();
    void search();
    void keywordsAndTasks();
    void shadowing();
    void removeModule();
    void removeRefused_data();
    void removeRefused();
    void duplicateIds();
    void hiddenFoldersSkipped();
    void leftoverOfAKilledTrainingIsNotListed();
    void scanCreatesUserFolder();
    void freeFolderFor();
    void environmentVariable();
};

void TestCatalog::initTestCase()
{
    QVERIFY(m_dir.isValid());
    // The counts here are the user's modules and the templates; the shipped demo modules have
    // their own suite (test_demo_modules).
    qputenv("DEEPWB_DEMO_MODULES", QByteArray());
    QVERIFY(writeBytes(root() + "/plants/module.json",
                       manifest("plant-classifier", "Plant classifier", "image-classification",
                                {"plants", "ResNet", "trainable"}, "Tells 10 plant species apart")));
    QVERIFY(writeBytes(root() + "/rivers/module.json",
                       manifest("river-flow", "River flow forecaster", "time-series",
                                {"hydrology", "LSTM", "trainable"}, "Forecasts the Nile's flow")));
    QVERIFY(writeBytes(root() + "/sentinel/module.json",
                       manifest("sentinel-sr", "Sentinel-2 sharpener", "super-resolution", {"remote sensing"})));
    QVERIFY(QDir().mkpath(root() + "/empty-folder"));
    QVERIFY(writeBytes(root() + "/broken-json/module.json", "{\"id\": \"broken-json\", \"title\": "));
    QVERIFY(writeBytes(root() + "/unknown-task/module.json",
                       manifest("detector", "Fish detector", "object-detection", {"fish"})));
    QVERIFY(writeBytes(
        root() + "/no-weights/module.json",
        QJsonDocument(QJsonObject{{"id", "no-weights"},
                                  {"version", "1.0.0"},
                                  {"title", "Lost weights"},
                                  {"task", "image-classification"},
                                  {"weights", QJsonObject{{"file", "weights.pt"}, {"format", "torchscript"}}}})
            .toJson()));
}

void TestCatalog::scanListsBrokenAmongGood_data()
{
    QTest::addColumn<QString>("folder");
    QTest::addColumn<QString>("id");
    QTest::addColumn<QString>("field");  // empty: valid
    QTest::addColumn<QString>("fragment");
    QTest::newRow("good: plants") << "plants"
                                  << "plant-classifier"
                                  << ""
                                  << "";
    QTest::newRow("good: rivers") << "rivers"
                                  << "river-flow"
                                  << ""
                                  << "";
    QTest::newRow("good: sentinel") << "sentinel"
                                    << "sentinel-sr"
                                    << ""
                                    << "";
    QTest::newRow("no module.json") << "empty-folder"
                                    << "empty-folder"
                                    << "module.json"
                                    << "has no module.json";
    QTest::newRow("invalid JSON") << "broken-json"
                                  << "broken-json"
                                  << "module.json"
                                  << "the file looks truncated";
    QTest::newRow("unknown task") << "unknown-task"
                                  << "detector"
                                  << "task"
                                  << "unknown task \"object-detection\"";
    QTest::newRow("weights missing") << "no-weights"
                                     << "no-weights"
                                     << "weights.file"
                                     << "is not in the module folder";
}

void TestCatalog::scanListsBrokenAmongGood()
{
    QFETCH(QString, folder);
    QFETCH(QString, id);
    QFETCH(QString, field);
    QFETCH(QString, fragment);
    Catalog catalog(root());
    catalog.scan();
    QCOMPARE(catalog.entries().size(), 7 + 3);  // every folder, broken or not, plus the built-ins
    const CatalogEntry *entry = byFolder(catalog, folder);
    QVERIFY(entry);
    QCOMPARE(entry->id(), id);
    QVERIFY(!entry->builtIn);
    if (field.isEmpty()) {
        QVERIFY(entry->isValid());
        return;
    }
    QVERIFY(!entry->isValid());
    QCOMPARE(entry->problems.first().field, field);
    QVERIFY2(entry->problems.first().message.contains(fragment), qPrintable(entry->problems.first().message));
}

void TestCatalog::builtInsPresentWithTasks_data()
{
    QTest::addColumn<QString>("id");
    QTest::addColumn<QString>("task");
    QTest::newRow("image") << "image-classifier"
                           << "image-classification";
    QTest::newRow("super-resolution") << "satellite-super-resolution"
                                      << "super-resolution";
    QTest::newRow("time series") << "time-series-forecaster"
                                 << "time-series";
}

void TestCatalog::builtInsPresentWithTasks()
{
    QFETCH(QString, id);
    QFETCH(QString, task);
    QTemporaryDir empty;
    Catalog catalog(empty.path());
    catalog.scan();
    QCOMPARE(catalog.entries().size(), 3);
    const CatalogEntry *entry = catalog.find(id);
    QVERIFY(entry);
    QVERIFY(entry->builtIn);
    QVERIFY(entry->isValid());
    QVERIFY(entry->manifest.isTemplate());
    QCOMPARE(entry->manifest.task, task);
    QCOMPARE(entry->path, Catalog::builtInDirectory() + "/" + id);
}

void TestCatalog::withoutBuiltIns()
{
    Catalog catalog(root(), false);
    catalog.scan();
    QCOMPARE(catalog.entries().size(), 7);
    QVERIFY(!catalog.find("image-classifier"));
}

void TestCatalog::search_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("task");
    QTest::addColumn<QStringList>("keywords");
    QTest::addColumn<bool>("validOnly");
    QTest::addColumn<QStringList>("ids");
    QTest::newRow("title word, any case") << "SHARPENER"
                                          << "" << QStringList{} << false << QStringList{"sentinel-sr"};
    QTest::newRow("summary word") << "nile"
                                  << "" << QStringList{} << false << QStringList{"river-flow"};
    QTest::newRow("keyword part") << "sensing"
                                  << "" << QStringList{} << false
                                  << QStringList{"satellite-super-resolution", "sentinel-sr"};
    QTest::newRow("description") << "test_catalog"
                                 << "" << QStringList{} << true
                                 << QStringList{"plant-classifier", "river-flow", "sentinel-sr"};
    QTest::newRow("two words, two fields") << "species resnet"
                                           << "" << QStringList{} << false << QStringList{"plant-classifier"};
    QTest::newRow("word nowhere") << "plant quantum"
                                  << "" << QStringList{} << false << QStringList{};
    QTest::newRow("task") << ""
                          << "time-series" << QStringList{} << false
                          << QStringList{"river-flow", "time-series-forecaster"};
    QTest::newRow("task and text") << "forecaster"
                                   << "time-series" << QStringList{"trainable"} << false
                                   << QStringList{"river-flow", "time-series-forecaster"};
    QTest::newRow("keyword, any case") << ""
                                       << "" << QStringList{"lstm"} << false
                                       << QStringList{"river-flow", "time-series-forecaster"};
    QTest::newRow("keywords all required")
        << ""
        << "" << QStringList{"trainable", "plants"} << false << QStringList{"plant-classifier"};
    QTest::newRow("keyword is whole") << ""
                                      << "" << QStringList{"plant"} << false << QStringList{};
    QTest::newRow("valid only drops broken") << "fish"
                                             << "" << QStringList{} << true << QStringList{};
    QTest::newRow("broken found by text") << "fish"
                                          << "" << QStringList{} << false << QStringList{"detector"};
}

void TestCatalog::search()
{
    QFETCH(QString, text);
    QFETCH(QString, task);
    QFETCH(QStringList, keywords);
    QFETCH(bool, validOnly);
    QFETCH(QStringList, ids);
    Catalog catalog(root());
    catalog.scan();
    CatalogQuery query;
    query.text = text;
    query.task = task;
    query.keywords = keywords;
    query.validOnly = validOnly;
    QCOMPARE(idsOf(catalog.search(query)), ids);
}

void TestCatalog::keywordsAndTasks()
{
    Catalog catalog(root(), false);
    catalog.scan();
    const QStringList keywords = catalog.allKeywords();
    QVERIFY(keywords.contains("resnet"));  // case-folded
    QVERIFY(!keywords.contains("ResNet"));
    QCOMPARE(keywords.count("trainable"), 1);
    QVERIFY(std::is_sorted(keywords.begin(), keywords.end()));
    QCOMPARE(catalog.allTasks(),
             (QStringList{"image-classification", "object-detection", "super-resolution", "time-series"}));
}

void TestCatalog::shadowing()
{
    QTemporaryDir dir;
    QVERIFY(writeBytes(dir.filePath("mine/module.json"),
                       manifest("image-classifier", "My own classifier", "image-classification", {"mine"})));
    Catalog catalog(dir.path());
    catalog.scan();
    QCOMPARE(catalog.entries().size(), 3);  // the built-in of the same id is hidden
    const CatalogEntry *entry = catalog.find("image-classifier");
    QVERIFY(entry);
    QVERIFY(!entry->builtIn);
    QCOMPARE(entry->manifest.title, QStringLiteral("My own classifier"));

    QVERIFY(catalog.remove("image-classifier").ok());
    QVERIFY(!QFileInfo::exists(dir.filePath("mine")));
    entry = catalog.find("image-classifier");
    QVERIFY(entry);
    QVERIFY(entry->builtIn);  // it is back
}

void TestCatalog::removeModule()
{
    QTemporaryDir dir;
    QVERIFY(writeBytes(dir.filePath("a/module.json"), manifest("a", "A", "time-series", {})));
    QVERIFY(writeBytes(dir.filePath("a/weights/extra.bin"), "x"));
    QVERIFY(writeBytes(dir.filePath("b/module.json"), manifest("b", "B", "time-series", {})));
    Catalog catalog(dir.path(), false);
    catalog.scan();
    const Result<void> removed = catalog.remove("a");
    QVERIFY2(removed.ok(), qPrintable(removed.ok() ? QString() : removed.error().text()));
    QVERIFY(!QFileInfo::exists(dir.filePath("a")));
    QVERIFY(QFileInfo::exists(dir.filePath("b/module.json")));
    QCOMPARE(idsOf(catalog.entries()), QStringList{"b"});
}

void TestCatalog::removeRefused_data()
{
    QTest::addColumn<QString>("id");
    QTest::addColumn<QString>("fragment");
    QTest::newRow("built-in") << "time-series-forecaster"
                              << "is built into the application and cannot be removed";
    QTest::newRow("unknown") << "no-such-module"
                             << "no module \"no-such-module\" in the catalog";
}

void TestCatalog::removeRefused()
{
    QFETCH(QString, id);
    QFETCH(QString, fragment);
    QTemporaryDir dir;
    Catalog catalog(dir.path());
    catalog.scan();
    const Result<void> removed = catalog.remove(id);
    QVERIFY(!removed.ok());
    QVERIFY2(removed.error().message.contains(fragment), qPrintable(removed.error().message));
    QCOMPARE(catalog.entries().size(), 3);
}

void TestCatalog::duplicateIds()
{
    QTemporaryDir dir;
    QVERIFY(writeBytes(dir.filePath("copy-1/module.json"), manifest("same", "One", "time-series", {})));
    QVERIFY(writeBytes(dir.filePath("copy-2/module.json"), manifest("same", "Two", "time-series", {})));
    Catalog catalog(dir.path(), false);
    catalog.scan();
    QCOMPARE(catalog.entries().size(), 2);
    for (const CatalogEntry &e : catalog.entries()) {
        QCOMPARE(e.problems.size(), 1);
        QCOMPARE(e.problems.first().field, QStringLiteral("id"));
        QVERIFY2(e.problems.first().message.contains("is also the id of the module in folder copy-"),
                 qPrintable(e.problems.first().message));
    }
}

void TestCatalog::hiddenFoldersSkipped()
{
    QTemporaryDir dir;
    QVERIFY(writeBytes(dir.filePath(".import-abc/files/x/module.json"), manifest("x", "X", "time-series", {})));
    Catalog catalog(dir.path(), false);
    catalog.scan();
    QVERIFY(catalog.entries().isEmpty());
}

// A training killed (kill -9) before its first checkpoint leaves its folder with an empty
// checkpoints/ or a checkpoint that was being written, and a stale lock beside it: nothing to
// use or resume, so not listed (never as an invalid module). By hand, the same empty folder
// without a lock is still listed as one without module.json. With a complete checkpoint it is
// an interrupted training.
void TestCatalog::leftoverOfAKilledTrainingIsNotListed()
{
    QTemporaryDir dir;
    const QString killed = dir.filePath("killed");
    QVERIFY(writeBytes(killed + "/checkpoints/last.pt.Xa81qZ", "half a checkpoint"));
    QVERIFY(writeBytes(dir.filePath(".killed.lock"), "999999999\ndeepwb\nnowhere\n"));  // a writer long gone
    QVERIFY(QDir().mkpath(dir.filePath("by-hand")));
    Catalog catalog(dir.path(), false);
    catalog.scan();
    QCOMPARE(idsOf(catalog.entries()), QStringList{QStringLiteral("by-hand")});
    QVERIFY(!catalog.entries().first().isValid());

    QVERIFY(writeBytes(killed + "/checkpoints/last.pt", "a whole checkpoint"));
    catalog.scan();
    QCOMPARE(idsOf(catalog.entries()), (QStringList{QStringLiteral("by-hand"), QStringLiteral("killed")}));
    QVERIFY(byFolder(catalog, QStringLiteral("killed"))->interrupted);

    // Anything else in it is the user's: listed, never dropped.
    QVERIFY(QFile::remove(killed + "/checkpoints/last.pt"));
    QVERIFY(writeBytes(killed + "/notes.txt", "mine"));
    catalog.scan();
    QVERIFY(byFolder(catalog, QStringLiteral("killed")));
}

void TestCatalog::scanCreatesUserFolder()
{
    QTemporaryDir dir;
    const QString folder = dir.filePath("not/yet/there");
    Catalog catalog(folder);
    catalog.scan();
    QVERIFY(QFileInfo(folder).isDir());
    QCOMPARE(catalog.entries().size(), 3);
}

void TestCatalog::freeFolderFor()
{
    QTemporaryDir dir;
    Catalog catalog(dir.path(), false);
    QCOMPARE(catalog.freeFolderFor("m"), dir.filePath("m"));
    QVERIFY(QDir().mkpath(dir.filePath("m")));
    QVERIFY(QDir().mkpath(dir.filePath("m-2")));
    QCOMPARE(catalog.freeFolderFor("m"), dir.filePath("m-3"));
}

void TestCatalog::environmentVariable()
{
    QTemporaryDir dir;
    const QByteArray saved = qgetenv("DEEPWB_CATALOG");
    qputenv("DEEPWB_CATALOG", dir.path().toUtf8());
    QCOMPARE(Catalog::defaultUserDirectory(), dir.path());
    QVERIFY(
        writeBytes(dir.filePath("env/module.json"), manifest("from-env", "From the environment", "time-series", {})));
    Catalog catalog;
    QCOMPARE(catalog.userDirectory(), dir.path());
    catalog.scan();
    QVERIFY(catalog.find("from-env"));

    qunsetenv("DEEPWB_CATALOG");
    QCOMPARE(Catalog::defaultUserDirectory(),
             QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + "/modules");
    if (!saved.isEmpty())
        qputenv("DEEPWB_CATALOG", saved);
}

QTEST_GUILESS_MAIN(TestCatalog)
#include "test_catalog.moc"
