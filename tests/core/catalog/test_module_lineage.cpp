// A module's family from the manifests' "parent": ancestors, children, siblings, and the
// hand-edited catalogs where a parent is missing or the parents form a loop.
#include "core/catalog/module_lineage.h"

#include <QtTest>

using namespace dw;

namespace {

CatalogEntry entry(const QString &id, const QString &parent, bool builtIn = false)
{
    CatalogEntry e;
    e.path = QStringLiteral("/catalog/") + id;
    e.builtIn = builtIn;
    e.manifest.id = id;
    e.manifest.parent = parent;
    return e;
}

// "id:parent" pairs; a trailing '*' marks a built-in module.
QList<CatalogEntry> catalog(const QStringList &pairs)
{
    QList<CatalogEntry> entries;
    for (QString pair : pairs) {
        const bool builtIn = pair.endsWith(QLatin1Char('*'));
        if (builtIn)
            pair.chop(1);
        entries << entry(pair.section(QLatin1Char(':'), 0, 0), pair.section(QLatin1Char(':'), 1), builtIn);
    }
    return entries;
}

}  // namespace

class TestModuleLineage : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void family_data();
    void family();
    void unknownIdStillHasChildren();
    void builtInShadowedByUserModule();
};

void TestModuleLineage::family_data()
{
    QTest::addColumn<QStringList>("pairs");
    QTest::addColumn<QString>("id");
    QTest::addColumn<QStringList>("ancestors");
    QTest::addColumn<QString>("missing");
    QTest::addColumn<bool>("cycle");
    QTest::addColumn<QStringList>("children");
    QTest::addColumn<QStringList>("siblings");

    const QStringList tree{"root:", "a:root", "b:root", "c:root", "a1:a", "a2:a", "a1x:a1", "other:"};
    QTest::newRow("root") << tree << "root" << QStringList{} << "" << false << QStringList{"a", "b", "c"}
                          << QStringList{};
    QTest::newRow("middle") << tree << "a" << QStringList{"root"} << "" << false << QStringList{"a1", "a2"}
                            << QStringList{"b", "c"};
    QTest::newRow("leaf") << tree << "a1x" << QStringList{"a1", "a", "root"} << "" << false << QStringList{}
                          << QStringList{};
    QTest::newRow("alone") << tree << "other" << QStringList{} << "" << false << QStringList{} << QStringList{};
    QTest::newRow("missing parent") << QStringList{"x:gone", "y:gone", "x1:x"} << "x" << QStringList{} << "gone"
                                    << false << QStringList{"x1"} << QStringList{"y"};
    QTest::newRow("missing grandparent") << QStringList{"p:gone", "x:p"} << "x" << QStringList{"p"} << "gone" << false
                                         << QStringList{} << QStringList{};
    QTest::newRow("loop of two") << QStringList{"a:b", "b:a"} << "a" << QStringList{"b"} << "" << true
                                 << QStringList{"b"} << QStringList{};
    QTest::newRow("loop above") << QStringList{"x:a", "a:b", "b:c", "c:a"} << "x" << QStringList{"a", "b", "c"} << ""
                                << true << QStringList{} << QStringList{"c"};  // c's parent is a too
    QTest::newRow("own parent") << QStringList{"self:self"} << "self" << QStringList{} << "" << true << QStringList{}
                                << QStringList{};
}

void TestModuleLineage::family()
{
    QFETCH(QStringList, pairs);
    QFETCH(QString, id);
    const ModuleLineage lineage = moduleLineage(catalog(pairs), id);
    QCOMPARE(lineage.id, id);
    QTEST(lineage.ancestors, "ancestors");
    QTEST(lineage.missingAncestor, "missing");
    QTEST(lineage.cycle, "cycle");
    QTEST(lineage.children, "children");
    QTEST(lineage.siblings, "siblings");
    QFETCH(QStringList, ancestors);
    QFETCH(QString, missing);
    QCOMPARE(lineage.parent(), ancestors.isEmpty() ? missing : ancestors.first());
}

void TestModuleLineage::unknownIdStillHasChildren()
{
    const ModuleLineage lineage = moduleLineage(catalog({"k1:nowhere", "k2:nowhere"}), QStringLiteral("nowhere"));
    QCOMPARE(lineage.children, (QStringList{"k1", "k2"}));
    QVERIFY(lineage.ancestors.isEmpty());
    QVERIFY(!lineage.isEmpty());
}

void TestModuleLineage::builtInShadowedByUserModule()
{
    // The built-in "base" has no parent; the user's copy of it was re-trained from "root".
    const QList<CatalogEntry> entries = catalog({"base:*", "root:", "base:root", "child:base"});
    QCOMPARE(moduleLineage(entries, QStringLiteral("base")).ancestors, QStringList{"root"});
    QCOMPARE(moduleLineage(entries, QStringLiteral("child")).ancestors, (QStringList{"base", "root"}));
    QCOMPARE(moduleLineage(entries, QStringLiteral("root")).children, QStringList{"base"});
}

QTEST_GUILESS_MAIN(TestModuleLineage)
#include "test_module_lineage.moc"
