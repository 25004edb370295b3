// CatalogFilterProxy: the catalog view's search box and filter chips (text, task,
// keywords, valid only) and its case-insensitive order by title.
#include "core/catalog/catalog_filter_proxy.h"
#include "core/catalog/catalog_model.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QtTest>

using namespace dw;

namespace {

CatalogEntry entry(const QString &id, const QString &title, const QString &task, const QStringList &keywords,
                   const QString &summary = {}, bool valid = true)
{
    CatalogEntry e;
    e.path = "/catalog/" + id;
    e.manifest.id = id;
    e.manifest.title = title;
    e.manifest.summary = summary;
    e.manifest.task = task;
    e.manifest.keywords = keywords;
    if (!valid)
        e.problems = {{"weights.file", "missing"}};
    return e;
}

QList<CatalogEntry> sampleEntries()
{
    return {
        entry("cells", "cell classifier", "image-classification", {"microscopy", "trainable"}, "Sorts cells"),
        entry("plants", "Plant classifier", "image-classification", {"plants", "trainable", "pre-trained"}, "Flowers"),
        entry("nile", "Nile flow", "time-series", {"hydrology", "trainable"}, "River forecast"),
        entry("s2", "Sentinel-2 sharpener", "super-resolution", {"remote sensing"}, "Sharper bands"),
        entry("alerts", "anomaly alerts", "time-series", {"network", "pre-trained"}, "Traffic", false)};
}

QStringList titles(const QAbstractItemModel &model)
{
    QStringList out;
    for (int row = 0; row < model.rowCount(); ++row)
        out << model.index(row, 0).data().toString();
    return out;
}

}  // namespace

class TestCatalogFilterProxy : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void sortedByTitleIgnoringCase();
    void filter_data();
    void filter();
    void filterFollowsSourceChanges();
    void modelTester();
    void queryChangedOnlyOnChange();
};

void TestCatalogFilterProxy::sortedByTitleIgnoringCase()
{
    CatalogModel model;
    model.setEntries(sampleEntries());
    CatalogFilterProxy proxy;
    proxy.setSourceModel(&model);
    QCOMPARE(titles(proxy), (QStringList{"anomaly alerts", "cell classifier", "Nile flow", "Plant classifier",
                                         "Sentinel-2 sharpener"}));
}

void TestCatalogFilterProxy::filter_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("task");
    QTest::addColumn<QStringList>("keywords");
    QTest::addColumn<bool>("validOnly");
    QTest::addColumn<QStringList>("expected");
    QTest::newRow("nothing set") << ""
                                 << "" << QStringList{} << false
                                 << QStringList{"anomaly alerts", "cell classifier", "Nile flow", "Plant classifier",
                                                "Sentinel-2 sharpener"};
    QTest::newRow("text in title") << "CLASSIFIER"
                                   << "" << QStringList{} << false
                                   << QStringList{"cell classifier", "Plant classifier"};
    QTest::newRow("text in summary") << "forecast"
                                     << "" << QStringList{} << false << QStringList{"Nile flow"};
    QTest::newRow("text in keyword") << "sensing"
                                     << "" << QStringList{} << false << QStringList{"Sentinel-2 sharpener"};
    QTest::newRow("two words") << "plant flowers"
                               << "" << QStringList{} << false << QStringList{"Plant classifier"};
    QTest::newRow("task") << ""
                          << "time-series" << QStringList{} << false << QStringList{"anomaly alerts", "Nile flow"};
    QTest::newRow("task and valid only") << ""
                                         << "time-series" << QStringList{} << true << QStringList{"Nile flow"};
    QTest::newRow("keyword") << ""
                             << "" << QStringList{"pre-trained"} << false
                             << QStringList{"anomaly alerts", "Plant classifier"};
    QTest::newRow("keywords, all of them")
        << ""
        << "" << QStringList{"TRAINABLE", "pre-trained"} << false << QStringList{"Plant classifier"};
    QTest::newRow("task and keyword") << ""
                                      << "image-classification" << QStringList{"microscopy"} << false
                                      << QStringList{"cell classifier"};
    QTest::newRow("no match") << "quantum"
                              << "" << QStringList{} << false << QStringList{};
}

void TestCatalogFilterProxy::filter()
{
    QFETCH(QString, text);
    QFETCH(QString, task);
    QFETCH(QStringList, keywords);
    QFETCH(bool, validOnly);
    QFETCH(QStringList, expected);
    CatalogModel model;
    model.setEntries(sampleEntries());
    CatalogFilterProxy proxy;
    proxy.setSourceModel(&model);
    proxy.setText(text);
    proxy.setTask(task);
    proxy.setKeywords(keywords);
    proxy.setValidOnly(validOnly);
    QCOMPARE(titles(proxy), expected);
    // The proxy and the catalog's own search apply the same rule.
    int matching = 0;
    for (const CatalogEntry &e : model.entries())
        matching += proxy.query().matches(e) ? 1 : 0;
    QCOMPARE(matching, expected.size());
}

void TestCatalogFilterProxy::filterFollowsSourceChanges()
{
    CatalogModel model;
    CatalogFilterProxy proxy;
    proxy.setSourceModel(&model);
    proxy.setTask("time-series");
    model.setEntries(sampleEntries());  // a rescan after the filter was set
    QCOMPARE(titles(proxy), (QStringList{"anomaly alerts", "Nile flow"}));
    proxy.setTask({});
    QCOMPARE(proxy.rowCount(), 5);
}

void TestCatalogFilterProxy::modelTester()
{
    CatalogModel model;
    CatalogFilterProxy proxy;
    proxy.setSourceModel(&model);
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setEntries(sampleEntries());
    proxy.setText("classifier");
    proxy.setKeywords({"trainable"});
    proxy.setValidOnly(true);
    model.setAvailableTasks({"image-classification"});
    proxy.setQuery({});
    model.setEntries(sampleEntries().mid(2));
    QCOMPARE(proxy.rowCount(), 3);
}

void TestCatalogFilterProxy::queryChangedOnlyOnChange()
{
    CatalogFilterProxy proxy;
    QSignalSpy changed(&proxy, &CatalogFilterProxy::queryChanged);
    proxy.setText("nile");
    proxy.setText("nile");
    proxy.setTask("time-series");
    QCOMPARE(changed.size(), 2);
    QCOMPARE(proxy.query().text, QStringLiteral("nile"));
    QCOMPARE(proxy.query().task, QStringLiteral("time-series"));
}

QTEST_GUILESS_MAIN(TestCatalogFilterProxy)
#include "test_catalog_filter_proxy.moc"
