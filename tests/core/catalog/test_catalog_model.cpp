// CatalogModel: the list model the catalog views show, checked by QAbstractItemModelTester
// through resets and plugin changes, and role by role.
#include "core/catalog/catalog_model.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QtTest>

using namespace dw;

namespace {

CatalogEntry entry(const QString &id, const QString &title, const QString &task, const QStringList &keywords)
{
    CatalogEntry e;
    e.path = "/catalog/" + id;
    e.manifest.id = id;
    e.manifest.title = title;
    e.manifest.summary = "Summary of " + title;
    e.manifest.description = "Description of " + title;
    e.manifest.task = task;
    e.manifest.keywords = keywords;
    e.manifest.license = "MIT";
    return e;
}

QList<CatalogEntry> sampleEntries()
{
    CatalogEntry trained = entry("plants", "Plant classifier", "image-classification", {"Plants", "trainable"});
    trained.manifest.weights = {"weights.pt", "torchscript", {}, {}};
    CatalogEntry builtIn = entry("forecaster", "Time-series forecaster", "time-series", {"lstm"});
    builtIn.builtIn = true;
    builtIn.path = ":/modules/forecaster";
    CatalogEntry broken = entry("", "", "object-detection", {});
    broken.path = "/catalog/broken-folder";
    broken.problems = {{"task", "unknown task"}, {"title", "required"}};
    return {trained, builtIn, broken};
}

}  // namespace

class TestCatalogModel : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void modelTester();
    void roles_data();
    void roles();
    void toolTip();
    void roleNames();
    void lookups();
    void availableTasksSignalChange();
};

void TestCatalogModel::modelTester()
{
    CatalogModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setEntries(sampleEntries());
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(model.rowCount(model.index(0)), 0);  // a flat list
    model.setAvailableTasks({"image-classification"});
    model.setEntries({});
    QCOMPARE(model.rowCount(), 0);
    model.setAvailableTasks({"time-series"});
    model.setEntries(sampleEntries().mid(1));
    QCOMPARE(model.rowCount(), 2);
}

void TestCatalogModel::roles_data()
{
    QTest::addColumn<int>("row");
    QTest::addColumn<int>("role");
    QTest::addColumn<QVariant>("expected");
    QTest::newRow("display is the title") << 0 << int(Qt::DisplayRole) << QVariant("Plant classifier");
    QTest::newRow("display without title: folder") << 2 << int(Qt::DisplayRole) << QVariant("broken-folder");
    QTest::newRow("id") << 0 << int(CatalogModel::IdRole) << QVariant("plants");
    QTest::newRow("id of broken: folder") << 2 << int(CatalogModel::IdRole) << QVariant("broken-folder");
    QTest::newRow("title") << 1 << int(CatalogModel::TitleRole) << QVariant("Time-series forecaster");
    QTest::newRow("summary") << 0 << int(CatalogModel::SummaryRole) << QVariant("Summary of Plant classifier");
    QTest::newRow("description") << 0 << int(CatalogModel::DescriptionRole)
                                 << QVariant("Description of Plant classifier");
    QTest::newRow("task") << 1 << int(CatalogModel::TaskRole) << QVariant("time-series");
    QTest::newRow("keywords") << 0 << int(CatalogModel::KeywordsRole) << QVariant(QStringList{"Plants", "trainable"});
    QTest::newRow("license") << 0 << int(CatalogModel::LicenseRole) << QVariant("MIT");
    QTest::newRow("valid") << 0 << int(CatalogModel::ValidRole) << QVariant(true);
    QTest::newRow("invalid") << 2 << int(CatalogModel::ValidRole) << QVariant(false);
    QTest::newRow("problems") << 2 << int(CatalogModel::ProblemsRole)
                              << QVariant(QStringList{"task: unknown task", "title: required"});
    QTest::newRow("no problems") << 0 << int(CatalogModel::ProblemsRole) << QVariant(QStringList{});
    QTest::newRow("built-in") << 1 << int(CatalogModel::BuiltInRole) << QVariant(true);
    QTest::newRow("user module") << 0 << int(CatalogModel::BuiltInRole) << QVariant(false);
    QTest::newRow("trained is no template") << 0 << int(CatalogModel::TemplateRole) << QVariant(false);
    QTest::newRow("template") << 1 << int(CatalogModel::TemplateRole) << QVariant(true);
    QTest::newRow("path") << 1 << int(CatalogModel::PathRole) << QVariant(":/modules/forecaster");
    QTest::newRow("plugin available") << 0 << int(CatalogModel::PluginAvailableRole) << QVariant(true);
    QTest::newRow("plugin missing") << 1 << int(CatalogModel::PluginAvailableRole) << QVariant(false);
    QTest::newRow("search text")
        << 0 << int(CatalogModel::SearchTextRole)
        << QVariant("plant classifier summary of plant classifier description of plant classifier plants trainable");
    QTest::newRow("unknown role") << 0 << int(Qt::UserRole + 500) << QVariant();
}

void TestCatalogModel::roles()
{
    QFETCH(int, row);
    QFETCH(int, role);
    QFETCH(QVariant, expected);
    CatalogModel model;
    model.setEntries(sampleEntries());
    model.setAvailableTasks({"image-classification"});
    const QVariant value = model.data(model.index(row), role);
    QCOMPARE(value.isValid(), expected.isValid());
    if (expected.typeId() == QMetaType::QStringList)
        QCOMPARE(value.toStringList(), expected.toStringList());
    else
        QCOMPARE(value, expected);
}

void TestCatalogModel::toolTip()
{
    CatalogModel model;
    model.setEntries(sampleEntries());
    QCOMPARE(model.data(model.index(0), Qt::ToolTipRole).toString(), QStringLiteral("Summary of Plant classifier"));
    // A broken module's tool tip says what is wrong, one problem a line.
    QCOMPARE(model.data(model.index(2), Qt::ToolTipRole).toString(),
             QStringLiteral("task: unknown task\ntitle: required"));
    // Asking for a row that does not exist is a caller's bug: answered with nothing, and a warning.
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression("^Index .* is not valid"));
    QVERIFY(!model.data(model.index(7), Qt::DisplayRole).isValid());
}

void TestCatalogModel::roleNames()
{
    CatalogModel model;
    const QHash<int, QByteArray> names = model.roleNames();
    QCOMPARE(names.value(Qt::DisplayRole), QByteArray("display"));
    QCOMPARE(names.value(CatalogModel::IdRole), QByteArray("id"));
    QCOMPARE(names.value(CatalogModel::ProblemsRole), QByteArray("problems"));
    QCOMPARE(names.value(CatalogModel::SearchTextRole), QByteArray("searchText"));
    // Every declared role has a name (QML and the REST layer look them up by name).
    const QMetaEnum roles = QMetaEnum::fromType<CatalogModel::Role>();
    for (int i = 0; i < roles.keyCount(); ++i)
        QVERIFY2(names.contains(roles.value(i)), roles.key(i));
}

void TestCatalogModel::lookups()
{
    CatalogModel model;
    model.setEntries(sampleEntries());
    QCOMPARE(model.rowOf("forecaster"), 1);
    QCOMPARE(model.rowOf("broken-folder"), 2);
    QCOMPARE(model.rowOf("absent"), -1);
    QVERIFY(model.entryAt(0));
    QCOMPARE(model.entryAt(0)->manifest.id, QStringLiteral("plants"));
    QVERIFY(!model.entryAt(-1));
    QVERIFY(!model.entryAt(3));
    QCOMPARE(model.entries().size(), 3);
}

void TestCatalogModel::availableTasksSignalChange()
{
    CatalogModel model;
    model.setEntries(sampleEntries());
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.setAvailableTasks({"time-series"});
    QCOMPARE(changed.size(), 1);
    QCOMPARE(changed.first().at(0).toModelIndex().row(), 0);
    QCOMPARE(changed.first().at(1).toModelIndex().row(), 2);
    QCOMPARE(changed.first().at(2).value<QList<int>>(), QList<int>{CatalogModel::PluginAvailableRole});
    QCOMPARE(model.data(model.index(1), CatalogModel::PluginAvailableRole).toBool(), true);
    model.setAvailableTasks({"time-series"});  // no change, no signal
    QCOMPARE(changed.size(), 1);
}

QTEST_GUILESS_MAIN(TestCatalogModel)
#include "test_catalog_model.moc"
