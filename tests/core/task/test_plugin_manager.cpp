// PluginManager: the good test plugin loads and works through the task interface; broken
// ones (garbage file, other interface, old interface version, no implementation,
// unresolved symbol, a second copy of a task) are reported with their reason and skipped.
#include "core/task/plugin_manager.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QTemporaryDir>
#include <QTest>

#include <atomic>

using namespace dw;
using namespace Qt::StringLiterals;

namespace {

const QString kPluginDir = QStringLiteral(DW_TEST_PLUGIN_DIR);

const PluginRecord *recordFor(const PluginManager &manager, const QString &fileName)
{
    for (const PluginRecord &record : manager.records()) {
        if (QFileInfo(record.file).fileName() == fileName)
            return &record;
    }
    return nullptr;
}

}  // namespace

class TestPluginManager : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void goodPluginLoads();
    void pluginJsonMetadata();
    void schemasAndPredict();
    void trainReportsProgressAndCancels();
    void warm();
    void brokenPluginsAreSkipped_data();
    void brokenPluginsAreSkipped();
    void loadTwiceReportsOnce();
    void singleFileAndMissingPaths();
    void searchPaths();
    void instanceIsSingleton();

private:
    PluginManager m_manager;
};

void TestPluginManager::initTestCase()
{
    QVERIFY2(QDir(kPluginDir).exists(), qPrintable(kPluginDir));
    // The singleton reads the environment on first use; point it at the test plugins.
    qputenv("DEEPWB_PLUGIN_PATH", (kPluginDir + u":/nonexistent/deepwb-plugins"_s).toUtf8());
    m_manager.load({kPluginDir});
}

void TestPluginManager::goodPluginLoads()
{
    const PluginRecord *record = recordFor(m_manager, u"libdwtestplugin.so"_s);
    QVERIFY(record);
    QVERIFY2(record->loaded, qPrintable(record->error));
    QVERIFY(record->error.isEmpty());
    QCOMPARE(record->metadata.task, u"test-echo"_s);
    QCOMPARE(record->metadata.version, u"1.0.0"_s);
    QCOMPARE(m_manager.tasks(), QStringList{u"test-echo"_s});
    QVERIFY(m_manager.plugin(u"test-echo"_s) != nullptr);
    QVERIFY(m_manager.plugin(u"image-classification"_s) == nullptr);
}

void TestPluginManager::pluginJsonMetadata()
{
    const PluginRecord *record = recordFor(m_manager, u"libdwtestplugin.so"_s);
    QVERIFY(record);
    QCOMPARE(record->json.value(u"task"_s).toString(), u"test-echo"_s);
    QCOMPARE(record->json.value(u"name"_s).toString(), u"Test echo"_s);
}

void TestPluginManager::schemasAndPredict()
{
    TaskPlugin *plugin = m_manager.plugin(u"test-echo"_s);
    QVERIFY(plugin);
    const ArgumentSchema train = plugin->trainArguments();
    QVERIFY(train.find(u"epochs"_s));
    QCOMPARE(train.find(u"epochs"_s)->type, ArgType::Int);
    QCOMPARE(train.groups(), (QStringList{u"Training"_s, u"Optimiser"_s, u"Data"_s}));
    const Result<QVariantMap> bad = train.validate({{u"epochs"_s, 0}});
    QVERIFY(!bad.ok());
    QCOMPARE(bad.error().text(), u"epochs: must be between 1 and 1000, got 0"_s);

    const ArgumentSchema predict = plugin->predictArguments();
    const Result<QVariantMap> args =
        predict.validate({{u"text"_s, u"hi"_s}, {u"repeat"_s, u"3"_s}, {u"tags"_s, u"a,b"_s}});
    QVERIFY(args.ok());
    JobContext context;
    const Result<TaskResult> result = plugin->predict(*args, context);
    QVERIFY(result.ok());
    QCOMPARE(taskResultKind(*result), u"json"_s);
    const QJsonObject json = taskResultToJson(*result);
    QCOMPARE(json.value(u"echo"_s).toString(), u"hihihi"_s);
    QCOMPARE(json.value(u"args"_s).toObject().value(u"repeat"_s).toInt(), 3);
    QCOMPARE(json.value(u"args"_s).toObject().value(u"tags"_s).toArray(), (QJsonArray{u"a"_s, u"b"_s}));
    QVERIFY(!predict.validate({}).ok());  // "text" is required
}

void TestPluginManager::trainReportsProgressAndCancels()
{
    TaskPlugin *plugin = m_manager.plugin(u"test-echo"_s);
    QVERIFY(plugin);
    const Result<QVariantMap> args =
        plugin->trainArguments().validate({{u"epochs"_s, 2}, {u"steps"_s, 5}, {u"step-ms"_s, 0}});
    QVERIFY(args.ok());

    QList<double> fractions;
    QStringList lines;
    std::atomic_bool cancel{false};
    JobContext::Callbacks callbacks;
    callbacks.progress = [&](double f, const QString &) { fractions << f; };
    callbacks.log = [&](const QString &line) { lines << line; };
    JobContext context(u"job-1"_s, &cancel, callbacks);
    const Result<TaskResult> result = plugin->train(*args, context);
    QVERIFY(result.ok());
    QCOMPARE(fractions.size(), 10);
    QCOMPARE(fractions.last(), 1.0);
    QCOMPARE(lines, (QStringList{u"epoch 1 done"_s, u"epoch 2 done"_s}));
    QCOMPARE(taskResultToJson(*result).value(u"steps"_s).toInt(), 10);

    cancel = true;
    const Result<TaskResult> cancelled = plugin->train(*args, context);
    QVERIFY(!cancelled.ok());
    QVERIFY(cancelled.error().message.contains(u"cancelled"_s));
}

void TestPluginManager::warm()
{
    TaskPlugin *plugin = m_manager.plugin(u"test-echo"_s);
    QVERIFY(plugin);
    QTemporaryDir dir;
    JobContext context;
    QVERIFY(plugin->warm(dir.path(), context).ok());
    const Result<void> missing = plugin->warm(dir.filePath(u"missing"_s), context);
    QVERIFY(!missing.ok());
    QCOMPARE(missing.error().field, u"module"_s);
}

void TestPluginManager::brokenPluginsAreSkipped_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("reason");
    QTest::newRow("garbage file") << u"libbroken.so"_s << u"not a Qt plugin"_s;
    QTest::newRow("other interface") << u"libdwforeignplugin.so"_s
                                     << u"not a task plugin: its interface is 'org.example.ImageFormat/1.0'"_s;
    QTest::newRow("old interface version")
        << u"libdwoldiidplugin.so"_s
        << u"built for task interface org.deep-hybrid-datacloud.workbench.TaskPlugin/0.9"_s;
    QTest::newRow("no implementation") << u"libdwnotataskplugin.so"_s << u"does not implement it (NotATaskPlugin)"_s;
    QTest::newRow("unresolved symbol") << u"libdwunresolvedplugin.so"_s << u"dw_test_missing_symbol"_s;
    QTest::newRow("second copy of a task")
        << u"libdwtestplugin_copy.so"_s << u"task 'test-echo' is already provided by"_s;
}

void TestPluginManager::brokenPluginsAreSkipped()
{
    QFETCH(QString, file);
    QFETCH(QString, reason);
    const PluginRecord *record = recordFor(m_manager, file);
    QVERIFY2(record, qPrintable(file));
    QVERIFY(!record->loaded);
    QVERIFY2(record->error.contains(reason), qPrintable(record->error));
    // Whatever went wrong, the good plugin is still the one serving the task.
    QVERIFY(m_manager.plugin(u"test-echo"_s) != nullptr);
}

void TestPluginManager::loadTwiceReportsOnce()
{
    const qsizetype count = m_manager.records().size();
    QCOMPARE(count, 7);  // the good one, its copy, four broken builds and the garbage file
    m_manager.load({kPluginDir});
    QCOMPARE(m_manager.records().size(), count);
    QCOMPARE(m_manager.tasks(), QStringList{u"test-echo"_s});
}

void TestPluginManager::singleFileAndMissingPaths()
{
    PluginManager manager;
    manager.load({kPluginDir + u"/libdwtestplugin.so"_s, u"/nonexistent/deepwb-plugins"_s});
    QCOMPARE(manager.records().size(), 1);
    QCOMPARE(manager.tasks(), QStringList{u"test-echo"_s});
    // A second manager in the same process sees the same library; both work.
    TaskPlugin *plugin = manager.plugin(u"test-echo"_s);
    QVERIFY(plugin);
    QCOMPARE(plugin->metadata().task, u"test-echo"_s);
}

void TestPluginManager::searchPaths()
{
    const QStringList paths = PluginManager::defaultSearchPaths();
    QCOMPARE(paths.size(), 5);
    // The environment first, in its order, then the build tree, then an installed package's
    // folder relative to the program (an unpacked .deb), then the install location.
    QCOMPARE(paths.at(0), QDir::cleanPath(kPluginDir));
    QCOMPARE(paths.at(1), u"/nonexistent/deepwb-plugins"_s);
    QCOMPARE(paths.at(2), QCoreApplication::applicationDirPath() + u"/plugins"_s);
    QCOMPARE(paths.at(3), QDir::cleanPath(QCoreApplication::applicationDirPath() + u"/"_s +
                                          QStringLiteral(DW_PLUGIN_DIR_FROM_BINDIR_FOR_TEST)));
    QVERIFY(paths.at(3).endsWith(u"/lib/deep-workbench/plugins"_s));
    QCOMPARE(paths.last(), QDir::cleanPath(QStringLiteral(DW_PLUGIN_INSTALL_DIR_FOR_TEST)));
}

void TestPluginManager::instanceIsSingleton()
{
    PluginManager &a = PluginManager::instance();
    PluginManager &b = PluginManager::instance();
    QCOMPARE(&a, &b);
    QVERIFY(a.plugin(u"test-echo"_s) != nullptr);
}

QTEST_GUILESS_MAIN(TestPluginManager)
#include "test_plugin_manager.moc"
